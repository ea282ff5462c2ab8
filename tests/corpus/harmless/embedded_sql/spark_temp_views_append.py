"""Daily Spark job: enrich today's orders and append them to the curated table."""
import sys

from pyspark.sql import SparkSession, functions as F

run_date = sys.argv[1]
spark = SparkSession.builder.appName("orders_enrich").getOrCreate()

orders = spark.table("raw.orders").where(F.col("order_date") == run_date)
orders.createOrReplaceTempView("todays_orders")
spark.sql("CREATE OR REPLACE TEMP VIEW fx AS SELECT currency, rate FROM ref.fx_rates WHERE day = '%s'" % run_date)

enriched = spark.sql("""
    SELECT o.order_id, o.customer_id, o.amount * fx.rate AS amount_eur, o.order_date
    FROM todays_orders o JOIN fx ON o.currency = fx.currency
""")
enriched.write.mode("append").partitionBy("order_date").saveAsTable("curated.orders_eur")
spark.sql("DROP VIEW IF EXISTS fx")
spark.catalog.dropTempView("todays_orders")
