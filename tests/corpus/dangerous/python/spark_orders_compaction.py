from pyspark.sql import SparkSession, functions as F

spark = (SparkSession.builder
         .appName("orders-compaction")
         .enableHiveSupport()
         .getOrCreate())

SOURCE = "raw.orders_events"
TARGET = "prod.orders"


def latest_per_order(df):
    w = F.row_number().over(
        __import__("pyspark.sql.window", fromlist=["Window"]).Window
        .partitionBy("order_id").orderBy(F.col("event_ts").desc()))
    return df.withColumn("rn", w).filter("rn = 1").drop("rn")


events = spark.table(SOURCE)
compacted = latest_per_order(events).select("order_id", "customer_id", "status", "amount", "event_ts")
print("rows:", compacted.count())
# expect: destructive
compacted.write.mode("overwrite").format("delta").saveAsTable(TARGET)
spark.stop()
