-- ClickHouse: page_views got double-loaded on 2025-03-02; wipe and reload from S3.
SELECT event_date, count() AS n
FROM analytics.page_views
GROUP BY event_date
ORDER BY event_date DESC
LIMIT 10;

-- expect: destructive
TRUNCATE TABLE analytics.page_views ON CLUSTER main;

INSERT INTO analytics.page_views
SELECT *
FROM s3('https://acme-raw.s3.amazonaws.com/page_views/2025/*.parquet', 'Parquet');

OPTIMIZE TABLE analytics.page_views FINAL;
