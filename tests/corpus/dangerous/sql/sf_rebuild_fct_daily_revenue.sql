-- Snowflake: rebuild the daily revenue fact from orders (run by the nightly task)
USE WAREHOUSE TRANSFORM_WH;
USE SCHEMA ANALYTICS.MARTS;

-- expect: destructive
CREATE OR REPLACE TABLE fct_daily_revenue AS
SELECT
    DATE_TRUNC('day', o.ordered_at)      AS order_day,
    o.region,
    SUM(o.amount_usd)                    AS revenue_usd,
    COUNT(DISTINCT o.customer_id)        AS buyers
FROM RAW.SHOP.ORDERS o
WHERE o.status NOT IN ('cancelled', 'test')
GROUP BY 1, 2;

GRANT SELECT ON TABLE fct_daily_revenue TO ROLE REPORTER;
