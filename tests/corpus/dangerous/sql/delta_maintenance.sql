-- databricks: weekly maintenance for the bronze tables
OPTIMIZE bronze.device_telemetry ZORDER BY (device_id);

SET spark.databricks.delta.retentionDurationCheck.enabled = false;
-- expect: destructive
VACUUM bronze.device_telemetry RETAIN 0 HOURS;

ANALYZE TABLE bronze.device_telemetry COMPUTE STATISTICS;
