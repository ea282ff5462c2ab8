import duckdb

con = duckdb.connect("warehouse.duckdb")

print(con.sql("SELECT schema_name FROM information_schema.schemata").fetchall())

# expect: destructive
con.execute("DROP SCHEMA marts CASCADE")
con.execute("CREATE SCHEMA marts")
con.close()
