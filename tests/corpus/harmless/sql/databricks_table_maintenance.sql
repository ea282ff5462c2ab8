-- Databricks: weekly maintenance of the silver tables
OPTIMIZE main.silver.orders ZORDER BY (customer_id);
VACUUM main.silver.orders RETAIN 168 HOURS;
ANALYZE TABLE main.silver.orders COMPUTE STATISTICS FOR ALL COLUMNS;

ALTER TABLE main.silver.orders SET TBLPROPERTIES ('delta.logRetentionDuration' = 'interval 30 days');

DESCRIBE HISTORY main.silver.orders LIMIT 10;
