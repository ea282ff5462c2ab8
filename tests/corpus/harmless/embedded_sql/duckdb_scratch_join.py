import duckdb

con = duckdb.connect()  # in-memory

con.execute("DROP TABLE IF EXISTS tmp_orders")
con.execute("CREATE TABLE tmp_orders AS SELECT * FROM read_parquet('data/orders/*.parquet')")
con.execute("CREATE TEMP TABLE customers AS SELECT * FROM read_csv_auto('data/customers.csv')")

top = con.sql("""
    SELECT c.country, SUM(o.amount) AS revenue
    FROM tmp_orders o JOIN customers c USING (customer_id)
    GROUP BY 1 ORDER BY 2 DESC LIMIT 10
""").df()
print(top)

con.execute("DELETE FROM tmp_orders")
con.execute("DROP TABLE tmp_orders")
