-- hive: register today's partition
ALTER TABLE logs.access_log ADD IF NOT EXISTS PARTITION (dt='2024-03-01')
LOCATION 's3a://acme-logs/access/dt=2024-03-01/';
SELECT count(*) FROM logs.access_log WHERE dt = '2024-03-01';
