-- session_rollup.sql
-- Snowflake worksheet: weekly engagement rollup built entirely in temporary
-- tables, result appended to REPORTING.WEEKLY_ENGAGEMENT (insert only).

USE ROLE ANALYST;
USE WAREHOUSE ANALYST_WH;
USE SCHEMA ANALYTICS.SCRATCH;

SET week_start = DATE_TRUNC('week', DATEADD(week, -1, CURRENT_DATE()));
SET week_end = DATEADD(day, 7, $week_start);

CREATE OR REPLACE TEMPORARY TABLE tmp_sessions AS
SELECT s.user_id, s.session_id, s.started_at, s.duration_s, s.platform
FROM ANALYTICS.CORE.FCT_SESSIONS s
WHERE s.started_at >= $week_start AND s.started_at < $week_end;

CREATE OR REPLACE TEMPORARY TABLE tmp_user_week AS
SELECT user_id,
       COUNT(*) AS sessions,
       SUM(duration_s) / 60 AS minutes,
       COUNT(DISTINCT DATE(started_at)) AS active_days,
       ARRAY_AGG(DISTINCT platform) AS platforms
FROM tmp_sessions
GROUP BY user_id;

TRUNCATE TABLE tmp_sessions;

DELETE FROM tmp_user_week WHERE user_id IN (SELECT user_id FROM ANALYTICS.CORE.DIM_USERS WHERE is_internal);

SELECT active_days, COUNT(*) AS users, ROUND(AVG(minutes), 1) AS avg_minutes
FROM tmp_user_week GROUP BY active_days ORDER BY active_days;

INSERT INTO ANALYTICS.REPORTING.WEEKLY_ENGAGEMENT (week_start, users, avg_sessions, avg_minutes, p90_minutes)
SELECT $week_start, COUNT(*), AVG(sessions), AVG(minutes), APPROX_PERCENTILE(minutes, 0.9)
FROM tmp_user_week
WHERE NOT EXISTS (SELECT 1 FROM ANALYTICS.REPORTING.WEEKLY_ENGAGEMENT w WHERE w.week_start = $week_start);

DROP TABLE IF EXISTS tmp_user_week;
DROP TABLE IF EXISTS tmp_sessions;
