-- storage_reclaim.sql
-- Databricks SQL, scheduled monthly on the maintenance warehouse.
-- Compacts and cleans the bronze/silver Delta tables to cut storage cost.

USE CATALOG main;

-- compaction
OPTIMIZE bronze.app_events ZORDER BY (event_date, user_id);
OPTIMIZE silver.sessions ZORDER BY (session_date);
OPTIMIZE silver.orders;

-- history we keep for time travel
VACUUM silver.sessions RETAIN 168 HOURS;
VACUUM silver.orders RETAIN 168 HOURS;

-- bronze.app_events is 40 TB of history nobody time-travels on
SET spark.databricks.delta.retentionDurationCheck.enabled = false;
-- expect: destructive
VACUUM bronze.app_events RETAIN 0 HOURS;
SET spark.databricks.delta.retentionDurationCheck.enabled = true;

-- statistics for the optimizer
ANALYZE TABLE silver.sessions COMPUTE STATISTICS FOR ALL COLUMNS;
ANALYZE TABLE silver.orders COMPUTE STATISTICS FOR ALL COLUMNS;

DESCRIBE HISTORY bronze.app_events LIMIT 5;
