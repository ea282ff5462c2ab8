-- Give the BI tool read-only access to the reporting schema.

CREATE ROLE bi_reader NOLOGIN;
GRANT USAGE ON SCHEMA reporting TO bi_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO bi_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO bi_reader;

CREATE ROLE metabase LOGIN PASSWORD NULL IN ROLE bi_reader;
ALTER ROLE metabase SET statement_timeout = '60s';
