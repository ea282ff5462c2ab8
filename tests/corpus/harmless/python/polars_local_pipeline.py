from pathlib import Path

import polars as pl

SRC = Path("data/raw/trips_2024.parquet")
OUT = Path("data/derived") / "trips_by_zone_2024.parquet"

trips = pl.read_parquet(SRC)
summary = (
    trips.filter(pl.col("fare") > 0)
    .group_by("pickup_zone")
    .agg(pl.len().alias("n"), pl.col("fare").mean().alias("avg_fare"))
    .sort("n", descending=True)
)
OUT.parent.mkdir(parents=True, exist_ok=True)
summary.write_parquet(OUT)
print(summary.head())
