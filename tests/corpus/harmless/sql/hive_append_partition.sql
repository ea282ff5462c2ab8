-- Load yesterday's events into the partitioned table (Hive / Spark SQL), append only.

ALTER TABLE analytics.events ADD IF NOT EXISTS PARTITION (dt = '2025-02-09');

INSERT INTO TABLE analytics.events PARTITION (dt = '2025-02-09')
SELECT event_id, user_id, event_type, payload, event_ts
FROM staging.events_raw
WHERE to_date(event_ts) = '2025-02-09';

SELECT dt, count(*) FROM analytics.events WHERE dt >= '2025-02-01' GROUP BY dt ORDER BY dt;
