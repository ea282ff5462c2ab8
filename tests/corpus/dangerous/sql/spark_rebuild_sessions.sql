-- spark sql: rebuild sessionised clicks for yesterday
SET spark.sql.shuffle.partitions = 400;

CREATE TABLE IF NOT EXISTS analytics.sessions (
  session_id STRING, user_id STRING, started_at TIMESTAMP, pages INT, dt DATE
) USING delta PARTITIONED BY (dt);

-- expect: destructive
INSERT OVERWRITE TABLE analytics.sessions
SELECT session_id, user_id, MIN(ts) AS started_at, COUNT(*) AS pages, to_date(MIN(ts)) AS dt
FROM raw.clicks
GROUP BY session_id, user_id;
