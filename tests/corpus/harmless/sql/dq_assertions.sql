-- dq_assertions.sql
-- Data-quality assertions run by the nightly check (each query must return 0 rows).
-- These are SELECTs only. If one fails, open a ticket; do not "fix" the data
-- with ad-hoc UPDATE/DELETE statements — corrections go through a reviewed script.

-- 1. orders must reference an existing, non-deleted customer
SELECT o.id AS order_id
FROM core.orders o
LEFT JOIN core.customers c ON c.id = o.customer_id AND c.deleted_at IS NULL
WHERE c.id IS NULL AND o.deleted_at IS NULL;

-- 2. no negative amounts
SELECT id, total_cents FROM core.orders WHERE total_cents < 0;

-- 3. every paid order has a payment
SELECT o.id
FROM core.orders o
WHERE o.status = 'paid'
  AND NOT EXISTS (SELECT 1 FROM core.payments p WHERE p.order_id = o.id AND p.status = 'captured');

-- 4. is_deleted and deleted_at agree
SELECT id FROM core.customers WHERE is_deleted <> (deleted_at IS NOT NULL);

-- 5. duplicate active e-mail addresses
SELECT lower(email), count(*)
FROM core.customers
WHERE deleted_at IS NULL
GROUP BY 1
HAVING count(*) > 1;

-- 6. order line totals match the order total
SELECT o.id, o.total_cents, l.lines_total
FROM core.orders o
JOIN (SELECT order_id, sum(quantity * unit_price_cents) AS lines_total FROM core.order_lines GROUP BY order_id) l
  ON l.order_id = o.id
WHERE l.lines_total <> o.total_cents;

-- 7. freshness: the events table received data in the last 2 hours
SELECT 'events stale' AS problem
WHERE (SELECT max(received_at) FROM raw.events) < now() - interval '2 hours';

-- 8. the truncate-protection flag is set on every production table (see ops.table_flags)
SELECT table_name FROM ops.table_flags WHERE environment = 'prod' AND NOT protect_from_truncate;
