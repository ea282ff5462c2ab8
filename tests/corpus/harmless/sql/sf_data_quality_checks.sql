-- Data quality checks for core.customers (Snowflake). Each query returns failing rows only.

-- duplicate emails
SELECT lower(email) AS email, count(*) AS n
FROM core.customers
GROUP BY 1
HAVING count(*) > 1;

-- missing mandatory fields
SELECT customer_id, email, country
FROM core.customers
WHERE email IS NULL OR country IS NULL;

-- impossible dates
SELECT customer_id, created_at, updated_at
FROM core.customers
WHERE updated_at < created_at OR created_at > current_timestamp();

-- referential integrity
SELECT o.order_id, o.customer_id
FROM core.orders o
LEFT JOIN core.customers c ON c.customer_id = o.customer_id
WHERE c.customer_id IS NULL
LIMIT 100;
