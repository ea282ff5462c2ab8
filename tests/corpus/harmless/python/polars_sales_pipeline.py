"""Daily sales pipeline with Polars: raw CSV drops -> cleaned parquet -> append to the warehouse."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import polars as pl

RAW = Path("data/raw/sales")
CLEAN = Path("data/clean/sales")


def clean(day: date) -> pl.DataFrame:
    frame = pl.read_csv(RAW / f"{day:%Y-%m-%d}.csv", try_parse_dates=True)
    return (
        frame.drop(["internal_note", "legacy_sku"])
        .drop_nulls(["order_id", "amount"])
        .unique(subset="order_id", keep="last")
        .with_columns(
            pl.col("amount").cast(pl.Decimal(12, 2)),
            pl.col("country").str.to_uppercase(),
            pl.lit(day).alias("load_date"),
        )
        .filter(pl.col("amount") > 0)
    )


def main() -> None:
    day = date.today()
    frame = clean(day)
    CLEAN.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(CLEAN / f"{day:%Y-%m-%d}.parquet", compression="zstd")
    frame.write_database(
        "staging.sales_daily",
        connection=os.environ["WAREHOUSE_URL"],
        if_table_exists="append",
    )
    summary = frame.group_by("country").agg(pl.col("amount").sum()).sort("amount", descending=True)
    print(summary.head(10))


if __name__ == "__main__":
    main()
