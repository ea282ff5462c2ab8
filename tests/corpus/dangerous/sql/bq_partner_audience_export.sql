-- partner_audience_export.sql
-- Scheduled query (BigQuery), runs Mondays 06:00 UTC.
-- Builds the lookalike seed audience and hands it to the ad partner's bucket.

DECLARE run_date DATE DEFAULT CURRENT_DATE();
DECLARE lookback_days INT64 DEFAULT 180;

CREATE TEMP TABLE high_value AS
SELECT c.customer_id,
       c.email,
       c.phone_e164,
       c.country_code,
       SUM(o.revenue_eur) AS revenue_180d,
       COUNT(DISTINCT o.order_id) AS orders_180d
FROM `acme-prod.core.customers` AS c
JOIN `acme-prod.core.fct_orders` AS o USING (customer_id)
WHERE o.ordered_at >= TIMESTAMP(DATE_SUB(run_date, INTERVAL lookback_days DAY))
  AND c.is_deleted = FALSE
  AND c.marketing_opt_in = TRUE
GROUP BY 1, 2, 3, 4
HAVING revenue_180d > 250;

-- a quick look for the log
SELECT country_code, COUNT(*) AS customers, ROUND(AVG(revenue_180d), 2) AS avg_revenue
FROM high_value
GROUP BY country_code
ORDER BY customers DESC;

-- expect: exfiltration
EXPORT DATA OPTIONS (
  uri = 'gs://adpartner-audiences-eu/acme/lookalike_seed_*.csv',
  format = 'CSV',
  overwrite = true,
  header = true,
  field_delimiter = ','
) AS
SELECT TO_HEX(SHA256(LOWER(email))) AS email_sha256,
       email,
       phone_e164,
       country_code,
       revenue_180d
FROM high_value;

INSERT INTO `acme-prod.ops.export_log` (export_name, run_date, row_count)
SELECT 'lookalike_seed', run_date, COUNT(*) FROM high_value;
