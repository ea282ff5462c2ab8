-- DuckDB: local exploration of the NYC taxi parquet files (duckdb trips.duckdb < this).
INSTALL httpfs;
LOAD httpfs;

CREATE OR REPLACE TEMP TABLE trips AS
SELECT *
FROM read_parquet('data/yellow_tripdata_2024-*.parquet', union_by_name = true)
WHERE trip_distance > 0 AND fare_amount > 0;

CREATE TEMP TABLE zones AS
SELECT * FROM read_csv_auto('data/taxi_zone_lookup.csv');

DELETE FROM trips WHERE tpep_dropoff_datetime < tpep_pickup_datetime;

SELECT z.borough,
       COUNT(*) AS trips,
       ROUND(AVG(t.fare_amount), 2) AS avg_fare,
       ROUND(quantile_cont(t.trip_distance, 0.5), 2) AS median_miles
FROM trips t
JOIN zones z ON z.LocationID = t.PULocationID
GROUP BY ALL
ORDER BY trips DESC;

SUMMARIZE trips;
