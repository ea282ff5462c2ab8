import os

import pandas as pd
from sqlalchemy import create_engine

engine = create_engine(os.environ["ANALYTICS_DB_URL"])

orders = pd.read_sql(
    "SELECT order_id, customer_id, amount, created_at FROM sales.orders WHERE created_at >= CURRENT_DATE - 7",
    engine,
)
weekly = orders.groupby("customer_id", as_index=False)["amount"].sum()
weekly["week"] = pd.Timestamp.today().normalize()

weekly.to_sql("weekly_customer_spend", engine, schema="reporting", if_exists="append", index=False)
weekly.to_sql("tmp_weekly_spend_check", engine, if_exists="replace", index=False)
