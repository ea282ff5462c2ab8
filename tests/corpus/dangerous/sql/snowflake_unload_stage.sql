-- snowflake: unload payments for the finance partner's external stage
CREATE STAGE IF NOT EXISTS partner_share_stage
  URL = 's3://partner-finance-ingest/acme/'
  CREDENTIALS = (AWS_KEY_ID = '...' AWS_SECRET_KEY = '...');

-- expect: exfiltration
COPY INTO @partner_share_stage/payments/
FROM (SELECT payment_id, customer_email, amount, card_bin FROM FINANCE.PUBLIC.PAYMENTS)
FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP)
HEADER = TRUE;
