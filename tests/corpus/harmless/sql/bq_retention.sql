-- BigQuery: keep 400 days of raw clickstream
DELETE FROM `acme-analytics.raw.clickstream`
WHERE event_date < DATE_SUB(CURRENT_DATE(), INTERVAL 400 DAY);

SELECT event_date, COUNT(*) AS n
FROM `acme-analytics.raw.clickstream`
GROUP BY event_date
ORDER BY event_date DESC
LIMIT 7;
