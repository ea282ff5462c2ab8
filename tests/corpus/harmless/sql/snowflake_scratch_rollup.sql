-- Snowflake: daily rollup via scratch tables
DROP TABLE IF EXISTS ANALYTICS.SCRATCH.tmp_daily_rollup;

CREATE TEMPORARY TABLE daily_rollup_work AS
SELECT order_date, region, SUM(amount) AS revenue
FROM ANALYTICS.CORE.ORDERS
WHERE order_date = CURRENT_DATE - 1
GROUP BY 1, 2;

CREATE OR REPLACE TEMPORARY TABLE daily_rollup_work2 AS SELECT * FROM daily_rollup_work WHERE revenue > 0;

INSERT INTO ANALYTICS.MARTS.DAILY_REVENUE SELECT * FROM daily_rollup_work2;

TRUNCATE TABLE daily_rollup_work;
DROP TABLE daily_rollup_work;
