-- reset_dev.sql: reset the dev database to an empty schema, then re-run migrations.
--   psql "$DEV_DATABASE_URL" -f db/reset_dev.sql && alembic upgrade head

\set ON_ERROR_STOP on

-- expect: destructive
DROP SCHEMA public CASCADE;
CREATE SCHEMA public;
GRANT ALL ON SCHEMA public TO app;
COMMENT ON SCHEMA public IS 'standard public schema';

-- reports schema holds the materialized views; rebuilt by the migrations too
-- expect: destructive
DROP SCHEMA IF EXISTS reports CASCADE;

CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
