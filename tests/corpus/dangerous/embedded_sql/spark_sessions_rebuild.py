"""Rebuild the sessionised clickstream table (PySpark job).

spark-submit --master yarn --deploy-mode cluster sessions_rebuild.py --date 2024-05-01
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging

from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

log = logging.getLogger("sessions_rebuild")

SESSION_GAP_MINUTES = 30


def build_spark(app_name: str) -> SparkSession:
    return (SparkSession.builder.appName(app_name)
            .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
            .config("spark.sql.shuffle.partitions", "400")
            .enableHiveSupport()
            .getOrCreate())


def sessionise(spark: SparkSession, day: dt.date):
    events = (spark.table("raw.clickstream_events")
              .where(F.col("event_date") == F.lit(day.isoformat()))
              .where(F.col("user_agent").isNotNull())
              .select("anonymous_id", "user_id", "event_ts", "page_url", "referrer", "event_type"))
    w = Window.partitionBy("anonymous_id").orderBy("event_ts")
    gap = (F.col("event_ts").cast("long") - F.lag("event_ts").over(w).cast("long")) / 60
    flagged = events.withColumn("new_session", F.when(gap.isNull() | (gap > SESSION_GAP_MINUTES), 1).otherwise(0))
    numbered = flagged.withColumn("session_seq", F.sum("new_session").over(w))
    sessions = (numbered.groupBy("anonymous_id", "session_seq")
                .agg(F.min("event_ts").alias("started_at"),
                     F.max("event_ts").alias("ended_at"),
                     F.count("*").alias("events"),
                     F.first("referrer", ignorenulls=True).alias("landing_referrer"),
                     F.first("page_url").alias("landing_page"),
                     F.max("user_id").alias("user_id"))
                .withColumn("session_id", F.sha2(F.concat_ws(":", "anonymous_id", "session_seq"), 256))
                .withColumn("event_date", F.lit(day.isoformat())))
    return sessions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--date", type=dt.date.fromisoformat, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)

    spark = build_spark(f"sessions_rebuild_{args.date}")
    sessions = sessionise(spark, args.date)
    sessions.createOrReplaceTempView("new_sessions")
    log.info("built %d sessions for %s", sessions.count(), args.date)

    # expect: destructive
    spark.sql("""
        INSERT OVERWRITE TABLE warehouse.web_sessions
        SELECT session_id, anonymous_id, user_id, started_at, ended_at, events,
               landing_page, landing_referrer, event_date
        FROM new_sessions
    """)
    spark.sql("ANALYZE TABLE warehouse.web_sessions COMPUTE STATISTICS")
    spark.stop()


if __name__ == "__main__":
    main()
