-- postgres: read-only access for the analysts group
CREATE ROLE analyst_ro NOLOGIN;
GRANT USAGE ON SCHEMA reporting TO analyst_ro;
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO analyst_ro;
ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO analyst_ro;
