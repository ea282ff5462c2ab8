-- Dashboard views (BigQuery). Views only: the underlying tables are not touched.

CREATE OR REPLACE VIEW `acme-analytics.dashboards.v_revenue_daily` AS
SELECT order_date, region, SUM(revenue) AS revenue, COUNT(DISTINCT order_id) AS orders
FROM `acme-analytics.marts.fct_orders`
WHERE order_date >= DATE_SUB(CURRENT_DATE(), INTERVAL 400 DAY)
GROUP BY order_date, region;

CREATE OR REPLACE VIEW `acme-analytics.dashboards.v_active_subscriptions` AS
SELECT plan, COUNT(*) AS subscriptions, SUM(mrr) AS mrr
FROM `acme-analytics.marts.dim_subscriptions`
WHERE status = 'active'
GROUP BY plan;
