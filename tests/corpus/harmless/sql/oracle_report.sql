-- oracle: top customers by revenue
SELECT c.customer_id, c.name, SUM(o.amount) AS revenue
FROM customers c
JOIN orders o ON o.customer_id = c.customer_id
WHERE o.order_date >= ADD_MONTHS(TRUNC(SYSDATE, 'MM'), -12)
GROUP BY c.customer_id, c.name
ORDER BY revenue DESC
FETCH FIRST 50 ROWS ONLY;
