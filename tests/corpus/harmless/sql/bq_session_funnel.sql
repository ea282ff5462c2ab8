-- BigQuery: 7-day session funnel by traffic source
DECLARE start_date DATE DEFAULT DATE_SUB(CURRENT_DATE(), INTERVAL 7 DAY);

WITH sessions AS (
  SELECT
    user_pseudo_id,
    (SELECT value.int_value FROM UNNEST(event_params) WHERE key = 'ga_session_id') AS session_id,
    traffic_source.source AS source,
    LOGICAL_OR(event_name = 'add_to_cart') AS carted,
    LOGICAL_OR(event_name = 'purchase') AS purchased
  FROM `acme-prod.analytics_123456.events_*`
  WHERE _TABLE_SUFFIX BETWEEN FORMAT_DATE('%Y%m%d', start_date) AND FORMAT_DATE('%Y%m%d', CURRENT_DATE())
  GROUP BY 1, 2, 3
)
SELECT source,
       COUNT(*) AS sessions,
       COUNTIF(carted) AS carted,
       COUNTIF(purchased) AS purchased,
       SAFE_DIVIDE(COUNTIF(purchased), COUNT(*)) AS conversion
FROM sessions
GROUP BY source
ORDER BY sessions DESC;
