from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
run_date = spark.conf.get("spark.acme.run_date", "2024-05-01")

# expect: destructive
spark.sql("""
INSERT OVERWRITE TABLE prod.daily_revenue
SELECT order_date, region, SUM(amount) AS revenue
FROM prod.orders
GROUP BY order_date, region
""")
spark.sql(f"SELECT * FROM prod.daily_revenue WHERE order_date = '{run_date}'").show()
