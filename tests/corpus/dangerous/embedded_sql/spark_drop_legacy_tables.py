"""Drop the legacy tables that the v2 pipeline replaced."""
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("drop-legacy").enableHiveSupport().getOrCreate()

LEGACY_TABLES = [
    "warehouse.orders_v1",
    "warehouse.customers_v1",
    "warehouse.shipments_v1",
]

for name in LEGACY_TABLES:
    rows = spark.table(name).count()
    print(f"{name}: {rows} rows")
    # expect: destructive
    spark.sql(f"DROP TABLE {name}")

spark.sql("SHOW TABLES IN warehouse").show(truncate=False)
