-- MySQL: add next month's partition to the events table and refresh stats
ALTER TABLE events REORGANIZE PARTITION p_future INTO (
    PARTITION p202411 VALUES LESS THAN (TO_DAYS('2024-12-01')),
    PARTITION p_future VALUES LESS THAN MAXVALUE
);

ANALYZE TABLE events;
OPTIMIZE TABLE sessions;
SHOW CREATE TABLE events;
