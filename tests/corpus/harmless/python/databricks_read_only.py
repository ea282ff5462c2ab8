# Databricks notebook source
# COMMAND ----------
files = dbutils.fs.ls("/mnt/datalake/raw/clickstream")
print(len(files))

# COMMAND ----------
df = spark.read.json("/mnt/datalake/raw/clickstream/2024/03/01")
df.printSchema()

# COMMAND ----------
dbutils.fs.rm("/tmp/clickstream_preview", True)
df.limit(1000).write.mode("overwrite").json("/tmp/clickstream_preview")
