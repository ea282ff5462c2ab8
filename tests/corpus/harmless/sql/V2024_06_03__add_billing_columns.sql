-- Flyway migration (Postgres): billing address fields and lookup index
BEGIN;

ALTER TABLE billing_v2.accounts
    ADD COLUMN IF NOT EXISTS billing_country char(2),
    ADD COLUMN IF NOT EXISTS vat_id text;

ALTER TABLE billing_v2.accounts
    ADD CONSTRAINT accounts_vat_id_format CHECK (vat_id IS NULL OR vat_id ~ '^[A-Z]{2}[0-9A-Z]+$') NOT VALID;

COMMENT ON COLUMN billing_v2.accounts.vat_id IS 'EU VAT id; dropped from invoices when empty';

COMMIT;

CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_billing_country_idx
    ON billing_v2.accounts (billing_country);
