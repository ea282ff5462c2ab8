-- Rebuild one day of sessions (BigQuery scripting; scheduled query with @run_date).
DECLARE target_day DATE DEFAULT DATE_SUB(@run_date, INTERVAL 1 DAY);

CREATE TEMP TABLE day_sessions AS
SELECT
  user_pseudo_id,
  session_id,
  MIN(event_ts) AS session_start,
  MAX(event_ts) AS session_end,
  COUNTIF(event_name = 'purchase') AS purchases
FROM `acme-prod.raw.events`
WHERE DATE(event_ts) = target_day
GROUP BY 1, 2;

BEGIN TRANSACTION;

DELETE FROM `acme-prod.marts.sessions`
WHERE session_date = target_day;

INSERT INTO `acme-prod.marts.sessions` (session_date, user_pseudo_id, session_id, session_start, session_end, purchases)
SELECT target_day, user_pseudo_id, session_id, session_start, session_end, purchases
FROM day_sessions;

COMMIT TRANSACTION;

SELECT COUNT(*) AS sessions_loaded FROM day_sessions;
