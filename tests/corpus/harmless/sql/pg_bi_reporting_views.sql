-- reporting_views.sql
-- Views for the BI tool. CREATE OR REPLACE VIEW only (no data is stored in
-- views, replacing one loses nothing). Deployed by CI on every merge.

CREATE SCHEMA IF NOT EXISTS reporting;

CREATE OR REPLACE VIEW reporting.active_customers AS
SELECT c.id, c.email, c.name, c.country, c.created_at, c.segment
FROM core.customers c
WHERE NOT c.is_deleted AND c.deleted_at IS NULL;

CREATE OR REPLACE VIEW reporting.orders_enriched AS
SELECT o.id AS order_id, o.ordered_at, o.status, o.total_cents / 100.0 AS total,
       c.country, c.segment, ch.name AS channel
FROM core.orders o
JOIN core.customers c ON c.id = o.customer_id
LEFT JOIN core.channels ch ON ch.id = o.channel_id
WHERE o.deleted_at IS NULL;

CREATE OR REPLACE VIEW reporting.monthly_revenue AS
SELECT date_trunc('month', ordered_at)::date AS month, country, sum(total) AS revenue, count(*) AS orders
FROM reporting.orders_enriched
WHERE status NOT IN ('cancelled', 'refunded')
GROUP BY 1, 2;

CREATE OR REPLACE VIEW reporting.customer_ltv AS
SELECT c.id AS customer_id, c.segment,
       count(o.order_id) AS orders,
       coalesce(sum(o.total), 0) AS lifetime_value,
       min(o.ordered_at) AS first_order_at,
       max(o.ordered_at) AS last_order_at
FROM reporting.active_customers c
LEFT JOIN reporting.orders_enriched o ON o.order_id IN (
    SELECT id FROM core.orders WHERE customer_id = c.id
)
GROUP BY c.id, c.segment;

CREATE OR REPLACE VIEW reporting.deletion_requests AS
-- GDPR deletion requests and their state; "deleted" means anonymised, see privacy runbook
SELECT r.id, r.customer_id, r.requested_at, r.completed_at, r.state
FROM privacy.deletion_requests r;

CREATE MATERIALIZED VIEW IF NOT EXISTS reporting.daily_kpis AS
SELECT ordered_at::date AS day, count(*) AS orders, sum(total) AS revenue, count(DISTINCT country) AS countries
FROM reporting.orders_enriched
GROUP BY 1
WITH NO DATA;

REFRESH MATERIALIZED VIEW reporting.daily_kpis;

GRANT USAGE ON SCHEMA reporting TO bi_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO bi_reader;
