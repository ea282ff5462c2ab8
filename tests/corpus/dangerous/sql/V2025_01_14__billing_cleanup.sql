-- V2025_01_14__billing_cleanup.sql
-- Flyway migration, billing schema.
--
-- 1. new table for dunning attempts
-- 2. invoices: payment terms, indexes for the dunning job
-- 3. retire the pre-2022 tax code column (replaced by billing.tax_rates)
--
-- Reviewed-by: platform-db

SET lock_timeout = '5s';
SET statement_timeout = '15min';

CREATE TABLE IF NOT EXISTS billing.dunning_attempts (
    id             bigserial PRIMARY KEY,
    invoice_id     bigint      NOT NULL REFERENCES billing.invoices (id),
    attempt_no     smallint    NOT NULL CHECK (attempt_no BETWEEN 1 AND 10),
    channel        text        NOT NULL CHECK (channel IN ('email', 'sms', 'letter')),
    scheduled_for  timestamptz NOT NULL,
    sent_at        timestamptz,
    outcome        text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (invoice_id, attempt_no)
);

COMMENT ON TABLE billing.dunning_attempts IS 'One row per reminder sent for an overdue invoice';

ALTER TABLE billing.invoices
    ADD COLUMN IF NOT EXISTS payment_terms_days smallint NOT NULL DEFAULT 14,
    ADD COLUMN IF NOT EXISTS due_on date;

UPDATE billing.invoices
SET due_on = issued_on + payment_terms_days
WHERE due_on IS NULL AND issued_on IS NOT NULL;

CREATE INDEX IF NOT EXISTS invoices_due_on_open_idx
    ON billing.invoices (due_on)
    WHERE status = 'open';

CREATE INDEX IF NOT EXISTS dunning_attempts_scheduled_idx
    ON billing.dunning_attempts (scheduled_for)
    WHERE sent_at IS NULL;

-- backfill tax rate references before the old column goes away
UPDATE billing.invoice_lines l
SET tax_rate_id = r.id
FROM billing.tax_rates r
WHERE l.tax_rate_id IS NULL
  AND r.legacy_code = l.legacy_tax_code;

-- expect: destructive
ALTER TABLE billing.invoice_lines DROP COLUMN legacy_tax_code;

CREATE OR REPLACE VIEW billing.overdue_invoices AS
SELECT i.id, i.number, i.company_id, i.total_cents, i.currency, i.due_on,
       current_date - i.due_on AS days_overdue,
       (SELECT count(*) FROM billing.dunning_attempts d WHERE d.invoice_id = i.id) AS reminders_sent
FROM billing.invoices i
WHERE i.status = 'open' AND i.due_on < current_date;

GRANT SELECT ON billing.overdue_invoices TO reporting;
GRANT SELECT, INSERT, UPDATE ON billing.dunning_attempts TO billing_app;
GRANT USAGE ON SEQUENCE billing.dunning_attempts_id_seq TO billing_app;
