-- BigQuery: the v1 tracking columns are no longer populated
SELECT COUNT(*) FROM `acme-analytics.tracking.sessions` WHERE legacy_ua IS NOT NULL;

-- expect: destructive
ALTER TABLE `acme-analytics.tracking.sessions` DROP COLUMN legacy_ua;
