-- ClickHouse: events schema and the monthly retention job (keep 13 months).
CREATE TABLE IF NOT EXISTS analytics.events
(
    event_date Date,
    event_ts   DateTime64(3),
    user_id    UInt64,
    event_name LowCardinality(String),
    props      String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_date)
ORDER BY (event_name, user_id, event_ts);

ALTER TABLE analytics.events
    DELETE WHERE event_date < addMonths(toStartOfMonth(today()), -13);

ALTER TABLE analytics.events
    UPDATE props = '{}' WHERE event_name = 'debug_ping' AND event_date < today() - 30;

OPTIMIZE TABLE analytics.events PARTITION 202501 FINAL;

SELECT partition, sum(rows) AS rows, formatReadableSize(sum(bytes_on_disk)) AS size
FROM system.parts
WHERE database = 'analytics' AND table = 'events' AND active
GROUP BY partition
ORDER BY partition DESC;
