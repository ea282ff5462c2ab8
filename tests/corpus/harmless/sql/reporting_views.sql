-- Reporting views used by the dashboards
CREATE OR REPLACE VIEW reporting.v_active_customers AS
SELECT c.id, c.name, c.country, max(o.created_at) AS last_order_at
FROM customers c
JOIN orders o ON o.customer_id = c.id
WHERE o.created_at > now() - interval '90 days'
GROUP BY c.id, c.name, c.country;

CREATE OR REPLACE VIEW reporting.v_revenue_by_month AS
SELECT date_trunc('month', created_at) AS month, sum(total) AS revenue
FROM orders
WHERE status = 'paid'
GROUP BY 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS reporting.mv_top_products AS
SELECT product_id, sum(quantity) AS units
FROM order_items
GROUP BY product_id
ORDER BY units DESC
LIMIT 100;

REFRESH MATERIALIZED VIEW reporting.mv_top_products;
