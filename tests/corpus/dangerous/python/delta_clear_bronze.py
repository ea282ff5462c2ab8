from delta.tables import DeltaTable
from pyspark.sql import SparkSession


def main():
    spark = SparkSession.builder.appName("clear-bronze").getOrCreate()
    table_name = "bronze.device_telemetry"
    dt = DeltaTable.forName(spark, table_name)
    before = dt.toDF().count()
    # expect: destructive
    dt.delete()
    print(f"cleared {before} rows from {table_name}")


if __name__ == "__main__":
    main()
