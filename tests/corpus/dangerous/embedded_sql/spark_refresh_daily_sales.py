"""Hive/Spark: recompute warehouse.daily_sales for all dates."""
from pyspark.sql import SparkSession

spark = (SparkSession.builder
         .appName("refresh_daily_sales")
         .enableHiveSupport()
         .getOrCreate())

spark.sql("SET hive.exec.dynamic.partition.mode=nonstrict")
# expect: destructive
spark.sql("""
    INSERT OVERWRITE TABLE warehouse.daily_sales
    SELECT store_id, sku, SUM(qty) AS units, SUM(qty * price) AS revenue, sale_date
    FROM raw.pos_transactions
    GROUP BY store_id, sku, sale_date
""")
print(spark.table("warehouse.daily_sales").count())
