-- Migration 0017: introduce account status, backfill from billing state
-- postgres

ALTER TABLE accounts ADD COLUMN status varchar(16);

-- everybody starts inactive until the billing sync runs
-- expect: destructive
UPDATE accounts
SET status = 'inactive',
    updated_at = now();

ALTER TABLE accounts ALTER COLUMN status SET NOT NULL;
ALTER TABLE accounts ADD CONSTRAINT accounts_status_chk
    CHECK (status IN ('active', 'inactive', 'suspended'));
