-- Flyway V12: explicit invoice status instead of the paid_at / voided_at pair (PostgreSQL).
ALTER TABLE invoices ADD COLUMN status VARCHAR(16);

UPDATE invoices SET status = 'void' WHERE voided_at IS NOT NULL;
UPDATE invoices SET status = 'paid' WHERE voided_at IS NULL AND paid_at IS NOT NULL;
UPDATE invoices SET status = 'open' WHERE status IS NULL;

ALTER TABLE invoices ALTER COLUMN status SET NOT NULL;
ALTER TABLE invoices ALTER COLUMN status SET DEFAULT 'open';
ALTER TABLE invoices
    ADD CONSTRAINT invoices_status_chk CHECK (status IN ('open', 'paid', 'void'));

CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_invoices_status_due
    ON invoices (status, due_date)
    WHERE status = 'open';

COMMENT ON COLUMN invoices.status IS 'open | paid | void; paid_at/voided_at kept for history, do not drop yet';
