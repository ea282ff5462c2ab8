"""Databricks job: reload sales.daily from the corrected bronze feed."""
from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()

spark.sql("REFRESH TABLE bronze.pos_transactions")
spark.sql(
    """
    CREATE OR REPLACE TEMP VIEW corrected AS
    SELECT store_id, to_date(ts) AS sale_date, SUM(amount) AS revenue, COUNT(*) AS transactions
    FROM bronze.pos_transactions
    WHERE NOT is_void
    GROUP BY store_id, to_date(ts)
    """
)

# expect: destructive
spark.sql("INSERT OVERWRITE TABLE sales.daily SELECT store_id, sale_date, revenue, transactions FROM corrected")

spark.sql("SELECT sale_date, SUM(revenue) FROM sales.daily GROUP BY sale_date ORDER BY sale_date DESC LIMIT 7").show()
