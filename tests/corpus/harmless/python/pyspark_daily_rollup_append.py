"""Spark job: daily product rollup, appended to gold.product_daily (partitioned by day)."""
from __future__ import annotations

import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def main(run_date: str) -> None:
    spark = SparkSession.builder.appName("product-daily-rollup").getOrCreate()

    events = spark.table("silver.events").where(F.col("event_date") == run_date)
    products = spark.table("silver.products").drop("description", "image_urls")

    events.createOrReplaceTempView("day_events")
    views = spark.sql(
        """
        SELECT product_id, COUNT(*) AS views, COUNT(DISTINCT user_id) AS viewers
        FROM day_events
        WHERE event_name = 'product_view'
        GROUP BY product_id
        """
    )
    rollup = (
        views.join(products, "product_id", "left")
        .withColumn("event_date", F.lit(run_date).cast("date"))
        .dropDuplicates(["product_id", "event_date"])
    )
    (
        rollup.write.mode("append")
        .format("delta")
        .partitionBy("event_date")
        .saveAsTable("gold.product_daily")
    )
    spark.catalog.dropTempView("day_events")
    print(f"{rollup.count()} products for {run_date}")


if __name__ == "__main__":
    main(sys.argv[1])
