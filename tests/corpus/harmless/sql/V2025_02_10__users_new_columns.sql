-- V2025_02_10__users_new_columns.sql (Flyway)
-- Migrate users to the new schema, step 1 of 3: additive columns and backfill.

ALTER TABLE users ADD COLUMN email_normalized citext;
ALTER TABLE users ADD COLUMN display_name text;
ALTER TABLE users ADD COLUMN migrated_at timestamptz;

UPDATE users
SET email_normalized = lower(trim(email)),
    display_name = coalesce(full_name, split_part(email, '@', 1)),
    migrated_at = now()
WHERE email_normalized IS NULL;

CREATE UNIQUE INDEX IF NOT EXISTS ux_users_email_normalized ON users (email_normalized);
