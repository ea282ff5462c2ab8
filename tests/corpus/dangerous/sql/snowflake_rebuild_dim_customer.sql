-- Snowflake: rebuild the customer dimension from the latest CRM snapshot
USE WAREHOUSE transform_wh;
USE SCHEMA analytics.core;

-- expect: destructive
CREATE OR REPLACE TABLE analytics.core.dim_customer AS
SELECT c.id AS customer_id,
       c.email,
       c.country,
       MIN(o.created_at) AS first_order_at
FROM raw.crm.customers c
LEFT JOIN raw.shop.orders o ON o.customer_id = c.id
GROUP BY 1, 2, 3;
