-- BigQuery: sessions per device for the last 28 days
DECLARE since DATE DEFAULT DATE_SUB(CURRENT_DATE(), INTERVAL 28 DAY);

CREATE TEMP TABLE sessions AS
SELECT user_pseudo_id, device.category AS device, COUNT(*) AS events
FROM `acme-prod.analytics_123.events_*`
WHERE _TABLE_SUFFIX >= FORMAT_DATE('%Y%m%d', since)
GROUP BY 1, 2;

SELECT device, COUNT(DISTINCT user_pseudo_id) AS users, SUM(events) AS events
FROM sessions
GROUP BY device
ORDER BY users DESC;
