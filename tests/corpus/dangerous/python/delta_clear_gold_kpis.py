# Databricks job: clear the gold KPI table before the full recompute
from delta.tables import DeltaTable
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("recompute-gold-kpis").getOrCreate()

GOLD_PATH = "abfss://lake@acmedatalake.dfs.core.windows.net/gold/kpis_daily"

kpis = DeltaTable.forPath(spark, GOLD_PATH)
print("rows before:", kpis.toDF().count())
# expect: destructive
kpis.delete()

silver = spark.read.format("delta").load("abfss://lake@acmedatalake.dfs.core.windows.net/silver/orders")
daily = silver.groupBy("order_date").agg({"amount": "sum", "order_id": "count"})
daily.write.format("delta").mode("append").save(GOLD_PATH)
