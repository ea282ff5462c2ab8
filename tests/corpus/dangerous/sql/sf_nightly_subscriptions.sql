-- nightly_subscriptions.sql
-- Snowflake worksheet promoted to the nightly task TASK_NIGHTLY_SUBSCRIPTIONS.
-- Builds the subscriptions fact from the Stripe raw tables.

USE ROLE TRANSFORMER;
USE WAREHOUSE TRANSFORM_WH;
USE DATABASE ANALYTICS;

ALTER SESSION SET TIMEZONE = 'UTC';
ALTER SESSION SET QUERY_TAG = 'nightly_subscriptions';

-- 1. latest state of each subscription (raw is append-only)
CREATE OR REPLACE TEMPORARY TABLE stg_subscriptions AS
SELECT *
FROM RAW.STRIPE.SUBSCRIPTIONS
QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY _loaded_at DESC) = 1;

-- 2. items with prices
CREATE OR REPLACE TEMPORARY TABLE stg_subscription_items AS
SELECT si.subscription_id,
       si.price_id,
       p.unit_amount / 100.0 AS unit_amount,
       p.currency,
       p.recurring_interval,
       si.quantity
FROM RAW.STRIPE.SUBSCRIPTION_ITEMS si
JOIN RAW.STRIPE.PRICES p ON p.id = si.price_id
QUALIFY ROW_NUMBER() OVER (PARTITION BY si.id ORDER BY si._loaded_at DESC) = 1;

-- 3. the fact table
-- expect: destructive
CREATE OR REPLACE TABLE CORE.FCT_SUBSCRIPTIONS AS
SELECT s.id AS subscription_id,
       s.customer AS stripe_customer_id,
       c.account_id,
       s.status,
       TO_TIMESTAMP(s.start_date) AS started_at,
       TO_TIMESTAMP(s.canceled_at) AS canceled_at,
       SUM(CASE i.recurring_interval
               WHEN 'year' THEN i.unit_amount * i.quantity / 12
               ELSE i.unit_amount * i.quantity END) AS mrr,
       ANY_VALUE(i.currency) AS currency
FROM stg_subscriptions s
JOIN stg_subscription_items i ON i.subscription_id = s.id
LEFT JOIN CORE.DIM_ACCOUNTS c ON c.stripe_customer_id = s.customer
GROUP BY 1, 2, 3, 4, 5, 6;

-- 4. sanity checks (the task fails if these return rows)
SELECT 'negative mrr' AS problem, subscription_id FROM CORE.FCT_SUBSCRIPTIONS WHERE mrr < 0
UNION ALL
SELECT 'missing account', subscription_id FROM CORE.FCT_SUBSCRIPTIONS WHERE account_id IS NULL AND status = 'active';

GRANT SELECT ON CORE.FCT_SUBSCRIPTIONS TO ROLE REPORTER;
