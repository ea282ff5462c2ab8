-- Flyway migration: legacy billing has been replaced by billing_v2.
-- Postgres.
BEGIN;

CREATE TABLE IF NOT EXISTS billing_v2.migration_audit (
    migrated_at timestamptz NOT NULL DEFAULT now(),
    note text
);

INSERT INTO billing_v2.migration_audit (note) VALUES ('retire legacy_billing');

-- expect: destructive
DROP SCHEMA legacy_billing CASCADE;

COMMIT;
