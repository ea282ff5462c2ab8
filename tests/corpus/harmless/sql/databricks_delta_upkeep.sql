-- Databricks SQL: weekly upkeep of the silver tables. Default retention (7 days) is kept.
OPTIMIZE silver.events ZORDER BY (user_id, event_ts);
OPTIMIZE silver.sessions;

VACUUM silver.events RETAIN 168 HOURS;
VACUUM silver.sessions;

ANALYZE TABLE silver.events COMPUTE STATISTICS;

ALTER TABLE silver.events SET TBLPROPERTIES (
  'delta.logRetentionDuration' = 'interval 30 days',
  'delta.deletedFileRetentionDuration' = 'interval 7 days'
);

DESCRIBE HISTORY silver.events LIMIT 10;
