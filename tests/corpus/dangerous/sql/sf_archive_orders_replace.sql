-- Archive last year's orders (Snowflake): copy them to the archive schema and keep only
-- the current year in the live table.

USE WAREHOUSE transform_wh;
USE DATABASE shop;

CREATE TABLE IF NOT EXISTS archive.orders_2024 AS
SELECT * FROM core.orders WHERE order_date < '2025-01-01';

-- expect: destructive
CREATE OR REPLACE TABLE core.orders AS
SELECT * FROM core.orders WHERE order_date >= '2025-01-01';

ALTER TABLE core.orders CLUSTER BY (order_date);
