-- BigQuery DDL for the marts dataset. Idempotent: safe to run on every deploy.
CREATE SCHEMA IF NOT EXISTS `acme-prod.marts`
OPTIONS (location = 'EU', description = 'Curated marts for BI');

CREATE TABLE IF NOT EXISTS `acme-prod.marts.daily_revenue` (
  revenue_date DATE NOT NULL,
  country STRING,
  channel STRING,
  orders INT64,
  revenue NUMERIC
)
PARTITION BY revenue_date
CLUSTER BY country, channel
OPTIONS (description = 'One row per day, country and channel');

ALTER TABLE `acme-prod.marts.daily_revenue`
ADD COLUMN IF NOT EXISTS refunds NUMERIC;

CREATE OR REPLACE VIEW `acme-prod.marts.v_revenue_last_30d` AS
SELECT revenue_date, country, SUM(revenue) AS revenue
FROM `acme-prod.marts.daily_revenue`
WHERE revenue_date >= DATE_SUB(CURRENT_DATE(), INTERVAL 30 DAY)
GROUP BY 1, 2;
