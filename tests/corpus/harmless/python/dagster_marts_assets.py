"""Dagster assets for the local DuckDB marts."""
from __future__ import annotations

import duckdb
import pandas as pd
from dagster import AssetExecutionContext, Definitions, asset

DB_PATH = "warehouse/marts.duckdb"


@asset
def raw_orders() -> pd.DataFrame:
    return pd.read_parquet("data/raw/orders.parquet")


@asset
def orders_daily(context: AssetExecutionContext, raw_orders: pd.DataFrame) -> None:
    con = duckdb.connect(DB_PATH)
    try:
        con.register("raw_orders_df", raw_orders)
        con.execute("CREATE TEMP TABLE staged AS SELECT * FROM raw_orders_df WHERE status <> 'test'")
        con.execute("DROP TABLE IF EXISTS tmp_orders_daily")
        con.execute(
            """
            CREATE TABLE tmp_orders_daily AS
            SELECT CAST(created_at AS DATE) AS day, country, COUNT(*) AS orders, SUM(total) AS revenue
            FROM staged GROUP BY ALL
            """
        )
        con.execute("CREATE TABLE IF NOT EXISTS orders_daily AS SELECT * FROM tmp_orders_daily WHERE false")
        con.execute(
            "DELETE FROM orders_daily WHERE day IN (SELECT DISTINCT day FROM tmp_orders_daily)"
        )
        con.execute("INSERT INTO orders_daily SELECT * FROM tmp_orders_daily")
        rows = con.execute("SELECT COUNT(*) FROM orders_daily").fetchone()[0]
        context.add_output_metadata({"rows": rows})
    finally:
        con.close()


defs = Definitions(assets=[raw_orders, orders_daily])
