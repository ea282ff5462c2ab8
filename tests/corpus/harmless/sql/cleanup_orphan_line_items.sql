-- Remove line items whose order was hard-deleted by the old admin tool
DELETE FROM order_line_items li
WHERE NOT EXISTS (
    SELECT 1 FROM orders o WHERE o.id = li.order_id
);

-- and coupons redeemed against cancelled test orders
DELETE FROM coupon_redemptions
WHERE order_id IN (
    SELECT id FROM orders WHERE is_test = true AND status = 'cancelled'
);

-- expired carts only
DELETE FROM carts c
USING customers cu
WHERE cu.id = c.customer_id
  AND cu.deleted_at IS NOT NULL
  AND c.updated_at < now() - interval '30 days';
