-- Postgres: remove line items of orders cancelled more than 90 days ago
WITH old_cancelled AS (
    SELECT id FROM orders
    WHERE status = 'cancelled' AND cancelled_at < now() - interval '90 days'
)
DELETE FROM order_items
WHERE order_id IN (SELECT id FROM old_cancelled);

DELETE FROM carts c
WHERE NOT EXISTS (SELECT 1 FROM cart_items i WHERE i.cart_id = c.id)
  AND c.updated_at < now() - interval '7 days';
