-- staged_load.sql (Redshift)
-- Load yesterday's order files from our landing bucket and upsert them.
-- Pattern: COPY into a TEMP staging table, delete the matching keys from the
-- target (explicit join predicate), insert, all in one transaction.

BEGIN;

CREATE TEMP TABLE stage_orders (LIKE sales.orders);

COPY stage_orders
FROM 's3://acme-landing/orders/dt=2024-05-01/'
IAM_ROLE 'arn:aws:iam::123456789012:role/redshift-copy'
FORMAT AS PARQUET;

-- drop duplicates inside the batch: keep the newest version of each order
DELETE FROM stage_orders
USING (
    SELECT order_id, MAX(updated_at) AS max_updated
    FROM stage_orders GROUP BY order_id HAVING COUNT(*) > 1
) d
WHERE stage_orders.order_id = d.order_id AND stage_orders.updated_at < d.max_updated;

DELETE FROM sales.orders
USING stage_orders
WHERE sales.orders.order_id = stage_orders.order_id;

INSERT INTO sales.orders SELECT * FROM stage_orders;

INSERT INTO ops.load_log (table_name, loaded_at, row_count)
SELECT 'sales.orders', GETDATE(), COUNT(*) FROM stage_orders;

END;

ANALYZE sales.orders;
