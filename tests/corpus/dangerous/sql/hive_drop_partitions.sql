-- hive: drop the partitions loaded with the wrong schema
-- expect: destructive
ALTER TABLE logs.access_log DROP IF EXISTS PARTITION (dt='2024-02-01');
-- expect: destructive
ALTER TABLE logs.access_log DROP IF EXISTS PARTITION (dt='2024-02-02');
MSCK REPAIR TABLE logs.access_log;
