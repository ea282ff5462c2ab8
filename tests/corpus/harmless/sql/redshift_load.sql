-- redshift: load the daily extract from our own bucket
COPY staging.orders_daily
FROM 's3://acme-datalake-prod/extracts/orders/2024-03-01/'
IAM_ROLE 'arn:aws:iam::123456789012:role/redshift-load'
FORMAT AS PARQUET;

INSERT INTO sales.orders
SELECT s.* FROM staging.orders_daily s
LEFT JOIN sales.orders o ON o.order_id = s.order_id
WHERE o.order_id IS NULL;

ANALYZE sales.orders;
