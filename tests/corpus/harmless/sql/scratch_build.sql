-- Build the cohort report through scratch tables
DROP TABLE IF EXISTS tmp_first_orders;
CREATE TABLE tmp_first_orders AS
SELECT customer_id, min(created_at) AS first_order_at
FROM orders
GROUP BY customer_id;

DROP TABLE IF EXISTS temp_cohort_sizes;
CREATE TABLE temp_cohort_sizes AS
SELECT date_trunc('month', first_order_at) AS cohort, count(*) AS customers
FROM tmp_first_orders
GROUP BY 1;

INSERT INTO reporting.cohort_sizes (cohort, customers, computed_at)
SELECT cohort, customers, now() FROM temp_cohort_sizes;

TRUNCATE TABLE tmp_first_orders;
DROP TABLE tmp_first_orders;
DROP TABLE temp_cohort_sizes;
