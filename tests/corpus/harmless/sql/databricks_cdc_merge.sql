-- Databricks: apply the CDC feed to silver.customers.
CREATE OR REPLACE TEMP VIEW customer_changes AS
SELECT * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY change_ts DESC) AS rn
  FROM bronze.customer_cdc
  WHERE change_date = current_date() - INTERVAL 1 DAY
) WHERE rn = 1;

MERGE INTO silver.customers AS t
USING customer_changes AS s
ON t.customer_id = s.customer_id
WHEN MATCHED AND s.op = 'D' THEN DELETE
WHEN MATCHED AND s.op = 'U' THEN UPDATE SET *
WHEN NOT MATCHED AND s.op IN ('I', 'U') THEN INSERT *;

INSERT INTO audit.merge_runs
SELECT 'silver.customers', current_timestamp(), COUNT(*) FROM customer_changes;
