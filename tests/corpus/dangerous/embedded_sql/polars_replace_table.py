import os

import polars as pl

URI = os.environ["PG_URI"]

df = pl.read_csv("exports/customers_latest.csv")
df = df.filter(pl.col("email").is_not_null()).unique(subset=["customer_id"])

# expect: destructive
df.write_database(
    table_name="public.customers",
    connection=URI,
    if_table_exists="replace",
)
