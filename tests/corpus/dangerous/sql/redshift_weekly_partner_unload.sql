-- weekly_partner_unload.sql
-- Redshift. Weekly refresh of the shared dataset for the logistics partner
-- (Parcelio). They read it from their own bucket.

BEGIN;

CREATE TEMP TABLE weekly_shipments AS
SELECT s.shipment_id,
       s.order_id,
       o.customer_id,
       c.first_name || ' ' || c.last_name AS recipient_name,
       a.street, a.postcode, a.city, a.country_code,
       c.phone,
       s.carrier, s.service_level, s.weight_grams,
       s.shipped_at, s.delivered_at
FROM logistics.shipments s
JOIN sales.orders o ON o.order_id = s.order_id
JOIN sales.customers c ON c.customer_id = o.customer_id
JOIN sales.addresses a ON a.address_id = s.address_id
WHERE s.shipped_at >= DATEADD(day, -7, GETDATE());

SELECT carrier, COUNT(*) FROM weekly_shipments GROUP BY carrier ORDER BY 2 DESC;

-- expect: exfiltration
UNLOAD ('SELECT * FROM weekly_shipments')
TO 's3://parcelio-partner-inbound/acme/shipments/week_'
IAM_ROLE 'arn:aws:iam::123456789012:role/redshift-unload'
FORMAT AS PARQUET
ALLOWOVERWRITE
MAXFILESIZE 256 MB;

INSERT INTO ops.unload_log (name, unloaded_at, row_count)
SELECT 'parcelio_weekly', GETDATE(), COUNT(*) FROM weekly_shipments;

COMMIT;
