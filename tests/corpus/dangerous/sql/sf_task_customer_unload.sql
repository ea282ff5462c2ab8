-- Nightly customer feed for the loyalty partner (Snowflake).
USE ROLE etl_role;
USE DATABASE crm;
USE SCHEMA public;

CREATE STAGE IF NOT EXISTS loyalty_partner_stage
  URL = 's3://loyalty-partner-ingest/acme/'
  CREDENTIALS = (AWS_KEY_ID = 'AKIAEXAMPLEKEY00' AWS_SECRET_KEY = 'example/secret/key')
  FILE_FORMAT = (TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"' COMPRESSION = GZIP);

CREATE OR REPLACE STREAM customers_changes ON TABLE crm.public.customers;

-- expect: exfiltration
COPY INTO @loyalty_partner_stage/customers/
FROM (
  SELECT customer_id, email, phone, first_name, last_name, birth_date, loyalty_tier
  FROM crm.public.customers
  WHERE loyalty_opt_in = TRUE
)
HEADER = TRUE
OVERWRITE = TRUE;
