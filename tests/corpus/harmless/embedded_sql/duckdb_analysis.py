import duckdb

con = duckdb.connect("analytics.duckdb", read_only=False)
con.execute("CREATE TABLE IF NOT EXISTS trips AS SELECT * FROM read_parquet('data/trips/*.parquet')")
con.execute("CREATE OR REPLACE TEMP TABLE trips_clean AS SELECT * FROM trips WHERE fare > 0")
df = con.execute("""
    SELECT date_trunc('hour', pickup_at) AS hour, count(*) AS trips, avg(fare) AS fare
    FROM trips_clean GROUP BY 1 ORDER BY 1
""").df()
con.execute("DROP TABLE IF EXISTS trips_clean")
print(df.head())
