-- Storage bill is up 40%: stop keeping Time Travel on the raw layer and drop the
-- backup copy of the events table (Snowflake).
USE ROLE sysadmin;
USE WAREHOUSE admin_wh;

SHOW TABLES LIKE 'EVENTS%' IN SCHEMA raw_db.public;

SELECT table_name, active_bytes, time_travel_bytes, failsafe_bytes
FROM raw_db.information_schema.table_storage_metrics
WHERE table_schema = 'PUBLIC'
ORDER BY time_travel_bytes DESC;

-- expect: destructive
ALTER TABLE raw_db.public.events SET DATA_RETENTION_TIME_IN_DAYS = 0;

-- expect: destructive
DROP TABLE raw_db.public.events_backup_2024;
