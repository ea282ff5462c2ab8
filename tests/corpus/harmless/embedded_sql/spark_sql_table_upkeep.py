"""Databricks job: weekly upkeep of the silver tables (compaction, default-retention vacuum, stats)."""
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
TABLES = ["silver.events", "silver.sessions", "silver.orders"]

for table in TABLES:
    spark.sql(f"OPTIMIZE {table}")
    spark.sql(f"VACUUM {table} RETAIN 168 HOURS")
    spark.sql(f"ANALYZE TABLE {table} COMPUTE STATISTICS")
    history = spark.sql(f"DESCRIBE HISTORY {table} LIMIT 1").collect()[0]
    print(table, history["operation"], history["timestamp"])

spark.sql("DROP TABLE IF EXISTS scratch.tmp_upkeep_report")
spark.sql(
    """
    CREATE TABLE scratch.tmp_upkeep_report AS
    SELECT 'silver.events' AS table_name, COUNT(*) AS row_count FROM silver.events
    """
)
