-- Snowflake worksheet: build the weekly funnel in session-scoped scratch tables
USE WAREHOUSE ANALYST_WH;

CREATE TEMPORARY TABLE funnel_sessions AS
SELECT session_id, user_id, MIN(event_ts) AS started_at
FROM RAW.WEB.EVENTS
WHERE event_ts >= DATEADD(day, -7, CURRENT_DATE)
GROUP BY 1, 2;

CREATE OR REPLACE TEMPORARY TABLE funnel_steps AS
SELECT s.session_id,
       MAX(IFF(e.event_name = 'view_product', 1, 0)) AS viewed,
       MAX(IFF(e.event_name = 'add_to_cart', 1, 0)) AS carted,
       MAX(IFF(e.event_name = 'checkout', 1, 0))    AS checked_out
FROM funnel_sessions s
JOIN RAW.WEB.EVENTS e ON e.session_id = s.session_id
GROUP BY 1;

SELECT SUM(viewed), SUM(carted), SUM(checked_out) FROM funnel_steps;

DROP TABLE IF EXISTS funnel_steps;
DROP TABLE IF EXISTS funnel_sessions;
