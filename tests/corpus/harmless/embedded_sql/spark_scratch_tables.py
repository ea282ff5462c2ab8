from pyspark.sql import SparkSession

spark = SparkSession.builder.enableHiveSupport().getOrCreate()
run_id = "20240301"

spark.sql("CREATE DATABASE IF NOT EXISTS scratch")
spark.sql(f"DROP TABLE IF EXISTS scratch.tmp_sessions_{run_id}")
spark.sql(f"""
CREATE TABLE scratch.tmp_sessions_{run_id} AS
SELECT user_id, session_id, min(ts) AS started
FROM raw.clicks WHERE dt = '2024-03-01'
GROUP BY user_id, session_id
""")
counts = spark.sql(f"SELECT count(*) AS n FROM scratch.tmp_sessions_{run_id}").collect()[0].n
print("sessions:", counts)
spark.sql("INSERT INTO analytics.session_counts VALUES ('2024-03-01', %d)" % counts)
