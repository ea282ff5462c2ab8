-- Free disk space on the lakehouse: compact and vacuum the big Delta tables (Databricks SQL).

OPTIMIZE silver.events ZORDER BY (user_id);
OPTIMIZE silver.page_views;

SET spark.databricks.delta.retentionDurationCheck.enabled = false;

-- expect: destructive
VACUUM silver.events RETAIN 0 HOURS;
-- expect: destructive
VACUUM silver.page_views RETAIN 0 HOURS;

DESCRIBE HISTORY silver.events LIMIT 5;
