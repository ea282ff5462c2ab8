"""Deduplicate the customers table with pandas and write it back."""
import os

import pandas as pd
from sqlalchemy import create_engine

engine = create_engine(os.environ["DATABASE_URL"])

customers = pd.read_sql("SELECT * FROM customers", engine)
customers["email_key"] = customers["email"].str.strip().str.lower()
before = len(customers)
customers = (
    customers.sort_values("updated_at", ascending=False)
    .drop_duplicates(subset="email_key", keep="first")
    .drop(columns="email_key")
)
print(f"removed {before - len(customers)} duplicates")

# expect: destructive
customers.to_sql("customers", engine, if_exists="replace", index=False, chunksize=5000)
