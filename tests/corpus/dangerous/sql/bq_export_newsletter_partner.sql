-- Weekly newsletter audience for the agency (BigQuery script, scheduled query).
DECLARE run_date DATE DEFAULT CURRENT_DATE();
DECLARE since DATE;
SET since = DATE_SUB(run_date, INTERVAL 90 DAY);

CREATE TEMP TABLE audience AS
SELECT
  u.user_id,
  u.email,
  u.first_name,
  u.country,
  MAX(o.order_ts) AS last_order_ts
FROM `acme-prod.core.users` AS u
JOIN `acme-prod.core.orders` AS o USING (user_id)
WHERE u.marketing_opt_in
  AND DATE(o.order_ts) >= since
GROUP BY 1, 2, 3, 4;

-- expect: exfiltration
EXPORT DATA OPTIONS (
  uri = 'gs://brightwave-agency-inbound/acme/audience_*.csv',
  format = 'CSV',
  overwrite = true,
  header = true
) AS
SELECT * FROM audience ORDER BY last_order_ts DESC;
