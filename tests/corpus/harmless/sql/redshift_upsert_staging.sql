-- Redshift: classic staging-table upsert
BEGIN TRANSACTION;

CREATE TEMP TABLE stage (LIKE sales.orders);

COPY stage
FROM 's3://acme-landing/orders/2024-06-03/'
IAM_ROLE 'arn:aws:iam::123456789012:role/redshift-loader'
FORMAT AS PARQUET;

DELETE FROM sales.orders
USING stage
WHERE sales.orders.order_id = stage.order_id;

INSERT INTO sales.orders SELECT * FROM stage;

DROP TABLE stage;

END TRANSACTION;
