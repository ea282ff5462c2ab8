-- seed_dev_fixtures.sql
-- Loads the demo dataset used by the local dev environment and the e2e suite.
--   psql "$DATABASE_URL" -f db/seed_dev_fixtures.sql
-- Safe to re-run: starts from a clean slate.

BEGIN;

-- expect: destructive
TRUNCATE TABLE order_lines, orders, addresses, customers, products RESTART IDENTITY CASCADE;

INSERT INTO products (sku, name, description, price_cents, currency, stock, is_active) VALUES
    ('MUG-001', 'Enamel mug', 'Camping mug, 350 ml', 1290, 'EUR', 120, true),
    ('MUG-002', 'Ceramic mug', 'Stoneware, dishwasher safe', 1490, 'EUR', 80, true),
    ('TEE-010', 'Logo T-shirt S', 'Organic cotton', 2200, 'EUR', 40, true),
    ('TEE-011', 'Logo T-shirt M', 'Organic cotton', 2200, 'EUR', 55, true),
    ('TEE-012', 'Logo T-shirt L', 'Organic cotton', 2200, 'EUR', 35, true),
    ('CAP-020', 'Baseball cap', 'One size', 1800, 'EUR', 0, true),
    ('BAG-030', 'Tote bag', 'Heavy canvas', 1500, 'EUR', 200, true),
    ('STK-040', 'Sticker pack', '10 vinyl stickers', 500, 'EUR', 1000, true),
    ('OLD-999', 'Discontinued poster', 'Kept for order history', 900, 'EUR', 0, false);

INSERT INTO customers (email, first_name, last_name, country, marketing_opt_in, created_at) VALUES
    ('ada@example.com', 'Ada', 'Lovelace', 'GB', true, now() - interval '400 days'),
    ('grace@example.com', 'Grace', 'Hopper', 'US', false, now() - interval '300 days'),
    ('linus@example.com', 'Linus', 'Torvalds', 'FI', false, now() - interval '200 days'),
    ('margaret@example.com', 'Margaret', 'Hamilton', 'US', true, now() - interval '100 days'),
    ('edsger@example.com', 'Edsger', 'Dijkstra', 'NL', true, now() - interval '50 days'),
    ('barbara@example.com', 'Barbara', 'Liskov', 'US', false, now() - interval '10 days'),
    ('deleted-user@example.com', 'Deleted', 'User', 'DE', false, now() - interval '500 days');

UPDATE customers SET deleted_at = now() - interval '30 days' WHERE email = 'deleted-user@example.com';

INSERT INTO addresses (customer_id, kind, line1, city, postcode, country)
SELECT id, 'shipping', '1 Example Street', 'Exampleton', '12345', country FROM customers;

INSERT INTO orders (customer_id, status, placed_at, currency)
SELECT c.id, s.status, now() - (s.days_ago || ' days')::interval, 'EUR'
FROM customers c
CROSS JOIN (VALUES ('delivered', 90), ('delivered', 45), ('shipped', 3), ('paid', 1), ('cancelled', 20)) AS s(status, days_ago)
WHERE c.deleted_at IS NULL;

INSERT INTO order_lines (order_id, product_id, quantity, unit_price_cents)
SELECT o.id, p.id, 1 + (o.id % 3), p.price_cents
FROM orders o
JOIN products p ON p.sku IN ('MUG-001', 'TEE-011', 'STK-040')
WHERE o.status <> 'cancelled';

UPDATE orders o
SET total_cents = t.total
FROM (SELECT order_id, sum(quantity * unit_price_cents) AS total FROM order_lines GROUP BY order_id) t
WHERE t.order_id = o.id;

SELECT 'products' AS table_name, count(*) FROM products
UNION ALL SELECT 'customers', count(*) FROM customers
UNION ALL SELECT 'orders', count(*) FROM orders
UNION ALL SELECT 'order_lines', count(*) FROM order_lines;

COMMIT;
