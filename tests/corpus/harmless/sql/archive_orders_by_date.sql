-- Archive last year's orders: move rows older than 2025-01-01 into orders_archive.

BEGIN;

INSERT INTO orders_archive (id, customer_id, status, total_amount, created_at, archived_at)
SELECT id, customer_id, status, total_amount, created_at, now()
FROM orders
WHERE created_at < DATE '2025-01-01'
ON CONFLICT (id) DO NOTHING;

DELETE FROM order_lines
WHERE order_id IN (SELECT id FROM orders WHERE created_at < DATE '2025-01-01');

DELETE FROM orders
WHERE created_at < DATE '2025-01-01';

COMMIT;
