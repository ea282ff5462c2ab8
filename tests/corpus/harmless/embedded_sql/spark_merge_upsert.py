from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
updates = spark.read.parquet("/mnt/landing/customers/2024-03-01/")
updates.createOrReplaceTempView("customer_updates")

spark.sql("""
MERGE INTO silver.customers AS t
USING customer_updates AS s
ON t.customer_id = s.customer_id
WHEN MATCHED AND s.is_deleted = true THEN DELETE
WHEN MATCHED THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
""")
spark.sql("VACUUM silver.customers RETAIN 168 HOURS")
