"""Daily revenue aggregation (PySpark + Spark SQL).

Reads silver.orders for one day, builds temp views, and appends the day's rows
to gold.daily_revenue. Re-runs are guarded: the job refuses to append a day
that is already present.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging

from pyspark.sql import SparkSession

log = logging.getLogger("daily_revenue")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--date", type=dt.date.fromisoformat, required=True)
    args = parser.parse_args()
    day = args.date.isoformat()
    logging.basicConfig(level=logging.INFO)

    spark = SparkSession.builder.appName(f"daily_revenue_{day}").enableHiveSupport().getOrCreate()

    spark.sql(f"""
        CREATE OR REPLACE TEMPORARY VIEW day_orders AS
        SELECT o.order_id, o.customer_id, o.country, o.channel, o.total_eur, o.status
        FROM silver.orders o
        WHERE o.order_date = DATE'{day}' AND o.is_deleted = false AND o.is_test = false
    """)
    spark.sql("""
        CREATE OR REPLACE TEMPORARY VIEW day_refunds AS
        SELECT r.order_id, sum(r.amount_eur) AS refunded_eur
        FROM silver.refunds r JOIN day_orders d ON d.order_id = r.order_id
        GROUP BY r.order_id
    """)
    agg = spark.sql(f"""
        SELECT DATE'{day}' AS revenue_date, d.country, d.channel,
               count(*) AS orders,
               sum(d.total_eur) AS gross_eur,
               sum(coalesce(r.refunded_eur, 0)) AS refunded_eur,
               sum(d.total_eur) - sum(coalesce(r.refunded_eur, 0)) AS net_eur
        FROM day_orders d LEFT JOIN day_refunds r ON r.order_id = d.order_id
        WHERE d.status <> 'cancelled'
        GROUP BY d.country, d.channel
    """)
    agg.createOrReplaceTempView("day_agg")

    existing = spark.sql(f"SELECT count(*) AS n FROM gold.daily_revenue WHERE revenue_date = DATE'{day}'").first().n
    if existing:
        log.warning("gold.daily_revenue already has %d rows for %s; skipping", existing, day)
        spark.stop()
        return

    spark.sql("INSERT INTO gold.daily_revenue SELECT * FROM day_agg")
    totals = spark.sql("SELECT sum(net_eur) AS net, sum(orders) AS orders FROM day_agg").first()
    log.info("%s: %s orders, net %.2f EUR appended", day, totals.orders, totals.net or 0.0)
    spark.sql("DROP VIEW IF EXISTS day_orders")
    spark.sql("DROP VIEW IF EXISTS day_refunds")
    spark.stop()


if __name__ == "__main__":
    main()
