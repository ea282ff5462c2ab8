-- BigQuery: export the newsletter audience for the ESP import
DECLARE run_date DATE DEFAULT CURRENT_DATE();

-- expect: exfiltration
EXPORT DATA OPTIONS (
  uri = 'gs://esp-partner-imports/acme/audience_*.csv',
  format = 'CSV',
  overwrite = true,
  header = true
) AS
SELECT u.email, u.first_name, u.country, u.signup_date
FROM `acme-prod.core.users` AS u
WHERE u.newsletter_opt_in
  AND u.deleted_at IS NULL;
