-- Postgres: read-only access for the analyst role
CREATE ROLE analyst NOLOGIN;
GRANT USAGE ON SCHEMA reporting TO analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO analyst;
ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO analyst;
GRANT analyst TO alice, bob;
REVOKE INSERT, UPDATE, DELETE ON reporting.kpi_targets FROM analyst;
