-- Give the new BI tool (Metabase) access to the reporting data.

CREATE ROLE metabase LOGIN PASSWORD 'changeme';
GRANT USAGE ON SCHEMA public, reporting TO metabase;
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO metabase;

-- quick fix so the dashboards stop failing on tables in public
-- expect: privilege
GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO PUBLIC;
