-- Flyway migration: the accounts -> organizations rename
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS plan_tier text;

-- expect: destructive
ALTER TABLE accounts RENAME TO organizations;
-- expect: destructive
ALTER TABLE organizations DROP CONSTRAINT accounts_billing_email_key;
-- expect: destructive
ALTER TABLE invoices DROP COLUMN account_legacy_ref;

CREATE INDEX IF NOT EXISTS organizations_plan_tier_idx ON organizations (plan_tier);
