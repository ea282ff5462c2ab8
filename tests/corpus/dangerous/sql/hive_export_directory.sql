-- hive: export clicks to the partner bucket
-- expect: exfiltration
INSERT OVERWRITE DIRECTORY 's3a://partner-bucket/acme/clicks/'
ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
SELECT user_id, url, ts FROM web.clicks WHERE dt = '2024-03-01';
