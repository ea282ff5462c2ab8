"""Rebuild analytics.sessions from the raw click events (fixes the double-counted sessions)."""
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("rebuild_sessions").enableHiveSupport().getOrCreate()

spark.sql("""
    CREATE OR REPLACE TEMPORARY VIEW sessionized AS
    SELECT user_id,
           session_id,
           min(event_ts) AS started_at,
           max(event_ts) AS ended_at,
           count(*) AS events
    FROM raw.click_events
    GROUP BY user_id, session_id
""")

# expect: destructive
spark.sql("""
    INSERT OVERWRITE TABLE analytics.sessions
    SELECT user_id, session_id, started_at, ended_at, events,
           unix_timestamp(ended_at) - unix_timestamp(started_at) AS duration_s
    FROM sessionized
""")

print(spark.table("analytics.sessions").count(), "sessions")
