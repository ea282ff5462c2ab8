-- Databricks SQL: sync silver customers from the CDC feed
MERGE INTO main.silver.customers AS t
USING main.bronze.customers_cdc AS s
ON t.customer_id = s.customer_id
WHEN MATCHED AND s.op = 'U' THEN UPDATE SET *
WHEN NOT MATCHED AND s.op = 'I' THEN INSERT *;

-- remove customers that are no longer in the snapshot
-- expect: destructive
MERGE INTO main.silver.customer_flags AS t
USING main.bronze.customers_snapshot AS s
ON t.customer_id = s.customer_id
WHEN MATCHED THEN DELETE;
