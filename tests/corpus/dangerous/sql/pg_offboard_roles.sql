-- Postgres: offboard the old ETL service accounts
REASSIGN OWNED BY etl_legacy TO etl_service;
-- expect: destructive
DROP OWNED BY etl_legacy;

-- expect: privilege
DROP ROLE etl_legacy;

-- expect: privilege
DROP USER IF EXISTS reporting_2019;
