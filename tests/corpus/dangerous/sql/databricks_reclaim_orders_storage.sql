-- Databricks SQL: the orders table has 3 TB of old files; compact and reclaim now.
OPTIMIZE sales.orders ZORDER BY (customer_id);

DESCRIBE HISTORY sales.orders LIMIT 20;

SET spark.databricks.delta.retentionDurationCheck.enabled = false;

-- expect: destructive
VACUUM sales.orders RETAIN 0 HOURS;

ANALYZE TABLE sales.orders COMPUTE STATISTICS FOR ALL COLUMNS;
