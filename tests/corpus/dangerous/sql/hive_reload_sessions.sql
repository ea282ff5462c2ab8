-- Hive: reload the sessions table from the raw clickstream
SET hive.exec.dynamic.partition = true;
SET hive.exec.dynamic.partition.mode = nonstrict;

-- expect: destructive
INSERT OVERWRITE TABLE web.sessions PARTITION (dt)
SELECT session_id,
       user_id,
       MIN(ts) AS started_at,
       MAX(ts) AS ended_at,
       COUNT(*) AS hits,
       to_date(MIN(ts)) AS dt
FROM web.raw_clickstream
GROUP BY session_id, user_id;
