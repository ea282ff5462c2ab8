-- postgres: reporting views for the revenue dashboard
CREATE OR REPLACE VIEW reporting.v_daily_revenue AS
SELECT date_trunc('day', paid_at) AS day, SUM(amount_cents) / 100.0 AS revenue
FROM billing.payments
WHERE status = 'succeeded'
GROUP BY 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS reporting.mv_top_customers AS
SELECT customer_id, SUM(amount_cents) AS total
FROM billing.payments
GROUP BY customer_id
ORDER BY total DESC
LIMIT 100;

REFRESH MATERIALIZED VIEW reporting.mv_top_customers;
