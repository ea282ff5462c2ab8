-- postgres: let the BI tool see everything in reporting without per-role grants
CREATE SCHEMA IF NOT EXISTS reporting;

-- expect: privilege
GRANT ALL ON ALL TABLES IN SCHEMA reporting TO PUBLIC;
