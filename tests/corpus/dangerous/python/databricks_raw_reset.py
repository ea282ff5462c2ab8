# Databricks notebook source
# Reset the raw landing zone before re-running Auto Loader from scratch.

RAW_PATH = "dbfs:/mnt/datalake/raw/clickstream"
CHECKPOINT = "dbfs:/mnt/datalake/_checkpoints/clickstream"

# COMMAND ----------

files = dbutils.fs.ls(RAW_PATH)
print(f"{len(files)} folders under {RAW_PATH}")

# COMMAND ----------

# expect: destructive
dbutils.fs.rm(RAW_PATH, True)
# expect: destructive
dbutils.fs.rm(CHECKPOINT, recurse=True)

# COMMAND ----------

dbutils.fs.mkdirs(RAW_PATH)
print("landing zone reset")
