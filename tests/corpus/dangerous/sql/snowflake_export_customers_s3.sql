-- Snowflake: weekly customer extract for the CDP vendor
USE WAREHOUSE EXPORT_WH;
USE DATABASE ANALYTICS;

-- expect: exfiltration
COPY INTO 's3://cdp-vendor-ingest/acme/customers/'
FROM (
    SELECT customer_id, email, first_name, last_name, phone, lifetime_value
    FROM CORE.CUSTOMERS
    WHERE is_deleted = FALSE
)
CREDENTIALS = (AWS_KEY_ID = 'AKIAXXXXXXXX' AWS_SECRET_KEY = 'xxxxxxxx')
FILE_FORMAT = (TYPE = CSV COMPRESSION = GZIP FIELD_OPTIONALLY_ENCLOSED_BY = '"')
HEADER = TRUE
OVERWRITE = TRUE;
