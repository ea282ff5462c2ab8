from pyspark.sql import SparkSession

spark = (
    SparkSession.builder.appName("rebuild_fact_sales")
    .config("spark.sql.sources.partitionOverwriteMode", "static")
    .enableHiveSupport()
    .getOrCreate()
)

spark.read.parquet("s3a://acme-lake/landing/sales/").createOrReplaceTempView("landing_sales")

# expect: destructive
spark.sql("""
    INSERT OVERWRITE TABLE warehouse.fact_sales
    SELECT sale_id, store_id, sku, qty, amount, sale_date
    FROM landing_sales
""")

spark.stop()
