"""Local analysis with DuckDB: scratch work in temp tables, results as a pandas frame."""
import duckdb

con = duckdb.connect("analysis.duckdb")

con.execute(
    """
    CREATE OR REPLACE TEMP TABLE orders AS
    SELECT * FROM read_parquet('data/orders/*.parquet')
    WHERE status NOT IN ('test', 'fraud')
    """
)
con.execute("CREATE OR REPLACE TEMP TABLE customers AS SELECT * FROM read_csv_auto('data/customers.csv')")
con.execute("DELETE FROM orders WHERE total <= 0")
con.execute("UPDATE customers SET country = upper(country) WHERE country IS NOT NULL")

top = con.execute(
    """
    SELECT c.country, count(*) AS orders, round(sum(o.total), 2) AS revenue
    FROM orders o JOIN customers c USING (customer_id)
    GROUP BY ALL
    ORDER BY revenue DESC
    LIMIT 15
    """
).df()
print(top)
con.close()
