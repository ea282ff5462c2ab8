-- MySQL: recompute totals for orders affected by the rounding bug (ticket OPS-2231)
UPDATE orders o
JOIN (
    SELECT order_id, ROUND(SUM(qty * unit_price), 2) AS total
    FROM order_lines
    GROUP BY order_id
) l ON l.order_id = o.id
SET o.total = l.total
WHERE o.created_at BETWEEN '2024-05-01' AND '2024-05-14'
  AND o.total <> l.total;
