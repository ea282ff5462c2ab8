-- postgres: the staging schema is rebuilt by the loader on every run
\echo 'dropping staging'
-- expect: destructive
DROP SCHEMA staging CASCADE;
CREATE SCHEMA staging AUTHORIZATION loader;
GRANT USAGE ON SCHEMA staging TO reporter;
