"""Sessionise yesterday's web events and append them to warehouse.web_sessions_daily.

spark-submit sessionize.py --date 2024-05-01

Appends one date partition; re-running a date first writes to a scratch temp
view and checks whether the partition already exists (then it exits without
writing). Nothing is overwritten.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

log = logging.getLogger("sessionize")
GAP_SECONDS = 30 * 60
TARGET = "warehouse.web_sessions_daily"


def spark_session() -> SparkSession:
    return (SparkSession.builder.appName("sessionize")
            .config("spark.sql.adaptive.enabled", "true")
            .enableHiveSupport().getOrCreate())


def load_events(spark: SparkSession, day: dt.date) -> DataFrame:
    return (spark.table("raw.web_events")
            .where(F.col("event_date") == day.isoformat())
            .where(~F.col("is_bot"))
            .select("anonymous_id", "user_id", "ts", "url", "referrer", "utm_source", "utm_campaign"))


def sessionize(events: DataFrame) -> DataFrame:
    w = Window.partitionBy("anonymous_id").orderBy("ts")
    with_gap = events.withColumn("prev_ts", F.lag("ts").over(w))
    flagged = with_gap.withColumn(
        "is_new", (F.col("prev_ts").isNull() | ((F.col("ts").cast("long") - F.col("prev_ts").cast("long")) > GAP_SECONDS)).cast("int"))
    numbered = flagged.withColumn("session_no", F.sum("is_new").over(w))
    return (numbered.groupBy("anonymous_id", "session_no")
            .agg(F.min("ts").alias("started_at"), F.max("ts").alias("ended_at"), F.count("*").alias("pageviews"),
                 F.first("url").alias("landing_url"), F.first("referrer", ignorenulls=True).alias("referrer"),
                 F.first("utm_source", ignorenulls=True).alias("utm_source"),
                 F.first("utm_campaign", ignorenulls=True).alias("utm_campaign"),
                 F.max("user_id").alias("user_id"))
            .withColumn("duration_s", F.col("ended_at").cast("long") - F.col("started_at").cast("long"))
            .withColumn("session_id", F.sha2(F.concat_ws("|", "anonymous_id", "session_no"), 256))
            .drop("session_no"))


def partition_exists(spark: SparkSession, day: dt.date) -> bool:
    return spark.table(TARGET).where(F.col("event_date") == day.isoformat()).limit(1).count() > 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--date", type=dt.date.fromisoformat,
                        default=dt.date.today() - dt.timedelta(days=1))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    spark = spark_session()

    sessions = sessionize(load_events(spark, args.date)).withColumn("event_date", F.lit(args.date.isoformat()))
    sessions.createOrReplaceTempView("tmp_sessions")
    stats = spark.sql("SELECT count(*) AS n, avg(duration_s) AS avg_s, avg(pageviews) AS avg_pv FROM tmp_sessions").first()
    log.info("%s: %d sessions, avg %.0fs, %.1f pageviews", args.date, stats.n, stats.avg_s or 0, stats.avg_pv or 0)

    if partition_exists(spark, args.date):
        log.warning("partition %s already present in %s; not writing", args.date, TARGET)
        return 0
    sessions.write.mode("append").format("parquet").insertInto(TARGET)
    spark.sql(f"ANALYZE TABLE {TARGET} PARTITION (event_date='{args.date.isoformat()}') COMPUTE STATISTICS")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
