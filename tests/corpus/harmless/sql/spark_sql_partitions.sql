-- spark sql: refresh the staging partition (scratch) and append to the fact table
CREATE TABLE IF NOT EXISTS analytics.fct_clicks (user_id STRING, url STRING, ts TIMESTAMP, dt DATE)
USING delta PARTITIONED BY (dt);

INSERT OVERWRITE TABLE scratch.tmp_clicks_stage
SELECT user_id, url, ts, to_date(ts) AS dt FROM raw.clicks WHERE dt = '2024-03-01';

INSERT INTO analytics.fct_clicks
SELECT * FROM scratch.tmp_clicks_stage;

OPTIMIZE analytics.fct_clicks WHERE dt = '2024-03-01';
VACUUM analytics.fct_clicks RETAIN 168 HOURS;
