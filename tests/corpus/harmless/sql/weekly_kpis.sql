-- Weekly KPI query used by the dashboard (read only)
WITH orders AS (
    SELECT *
    FROM sales.orders
    WHERE deleted_at IS NULL
      AND created_at >= date_trunc('week', current_date) - interval '12 weeks'
),
refunds AS (
    SELECT order_id, sum(amount) AS refunded
    FROM sales.refunds
    GROUP BY order_id
)
SELECT date_trunc('week', o.created_at) AS week,
       count(*)                           AS orders,
       sum(o.amount)                      AS gross,
       sum(coalesce(r.refunded, 0))       AS refunded,
       avg(o.cart_drop_rate)              AS drop_rate
FROM orders o
LEFT JOIN refunds r ON r.order_id = o.id
GROUP BY 1
ORDER BY 1;
