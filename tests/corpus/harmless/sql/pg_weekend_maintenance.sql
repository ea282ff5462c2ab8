-- PostgreSQL weekend maintenance window (psql -f). Rebuilds a scratch rollup, never touches live data.
\set ON_ERROR_STOP on

VACUUM (ANALYZE, VERBOSE) orders;
VACUUM (ANALYZE) order_items;

REINDEX INDEX CONCURRENTLY idx_orders_customer_created;

DROP TABLE IF EXISTS tmp_order_rollup;
CREATE TABLE tmp_order_rollup AS
SELECT customer_id, date_trunc('month', created_at) AS month, count(*) AS orders, sum(total) AS revenue
FROM orders
WHERE created_at >= date_trunc('year', now()) - INTERVAL '1 year'
GROUP BY 1, 2;

CREATE INDEX ON tmp_order_rollup (customer_id);

SELECT month, sum(orders) AS orders, sum(revenue) AS revenue
FROM tmp_order_rollup
GROUP BY month
ORDER BY month;

SELECT relname, n_dead_tup, last_autovacuum
FROM pg_stat_user_tables
ORDER BY n_dead_tup DESC
LIMIT 15;
