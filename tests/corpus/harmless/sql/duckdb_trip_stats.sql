-- duckdb: quick stats over the taxi parquet files
CREATE OR REPLACE TEMP TABLE trips AS
SELECT * FROM read_parquet('data/yellow_tripdata_2024-*.parquet');

SELECT date_trunc('day', tpep_pickup_datetime) AS day,
       count(*) AS trips,
       avg(fare_amount) AS avg_fare
FROM trips
WHERE fare_amount > 0
GROUP BY ALL
ORDER BY day;

SUMMARIZE trips;
