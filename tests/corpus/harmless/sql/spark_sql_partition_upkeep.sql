-- partition_upkeep.sql (Spark SQL / Databricks)
-- Weekly upkeep of the events tables. Compaction, statistics and VACUUM with
-- the default 7-day retention. Never lower the retention below 168 hours here.

-- register partitions written by the streaming job
MSCK REPAIR TABLE raw.app_events_landing;

ALTER TABLE raw.app_events_landing ADD IF NOT EXISTS
    PARTITION (event_date = '2024-05-06')
    PARTITION (event_date = '2024-05-07');

OPTIMIZE silver.app_events WHERE event_date >= current_date() - INTERVAL 7 DAYS ZORDER BY (user_id);

VACUUM silver.app_events RETAIN 168 HOURS;
VACUUM silver.sessions;

ANALYZE TABLE silver.app_events COMPUTE STATISTICS FOR COLUMNS user_id, event_type, event_date;

ALTER TABLE silver.app_events SET TBLPROPERTIES (
    'delta.logRetentionDuration' = 'interval 30 days',
    'delta.deletedFileRetentionDuration' = 'interval 7 days',
    'delta.autoOptimize.optimizeWrite' = 'true'
);

-- late events from the mobile SDK for the last 3 days: append, no overwrite
INSERT INTO silver.app_events
SELECT * FROM raw.app_events_landing l
WHERE l.event_date >= current_date() - INTERVAL 3 DAYS
  AND NOT EXISTS (SELECT 1 FROM silver.app_events s WHERE s.event_id = l.event_id AND s.event_date = l.event_date);

DESCRIBE DETAIL silver.app_events;
