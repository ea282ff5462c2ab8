-- BigQuery: export this week's audience for the ad partner
DECLARE run_date DATE DEFAULT CURRENT_DATE();

CREATE TEMP TABLE audience AS
SELECT user_id, email, country
FROM `acme-prod.crm.users`
WHERE marketing_opt_in AND last_seen >= DATE_SUB(run_date, INTERVAL 30 DAY);

-- expect: exfiltration
EXPORT DATA OPTIONS (
  uri = 'gs://adpartner-ingest/acme/audience-*.csv',
  format = 'CSV',
  overwrite = true,
  header = true
) AS
SELECT * FROM audience;
