-- postgres: give the BI tool access
CREATE ROLE metabase LOGIN PASSWORD 'changeme';
GRANT CONNECT ON DATABASE analytics TO metabase;
-- expect: privilege
GRANT ALL ON ALL TABLES IN SCHEMA public TO PUBLIC;
