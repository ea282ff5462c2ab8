from delta.tables import DeltaTable
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
events = DeltaTable.forName(spark, "bronze.device_telemetry")
events.delete("event_date < date_sub(current_date(), 400)")
events.vacuum(168)
events.optimize().executeCompaction()
