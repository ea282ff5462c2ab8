-- Flyway migration: clean up columns left over from the old auth system.
-- Owner: platform team

BEGIN;

ALTER TABLE users ADD COLUMN IF NOT EXISTS auth_provider text NOT NULL DEFAULT 'local';

UPDATE users SET auth_provider = 'google' WHERE legacy_google_id IS NOT NULL;

-- expect: destructive
ALTER TABLE users DROP COLUMN legacy_google_id;
-- expect: destructive
ALTER TABLE users DROP COLUMN legacy_password_md5;

CREATE INDEX IF NOT EXISTS users_auth_provider_idx ON users (auth_provider);

COMMIT;
