-- Databricks: reclaim storage on the events table after the big backfill
SET spark.databricks.delta.retentionDurationCheck.enabled = false;

OPTIMIZE main.bronze.events ZORDER BY (event_date);

-- expect: destructive
VACUUM main.bronze.events RETAIN 0 HOURS;

SET spark.databricks.delta.retentionDurationCheck.enabled = true;
