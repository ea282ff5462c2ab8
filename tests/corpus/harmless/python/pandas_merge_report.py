import numpy as np
import pandas as pd

orders = pd.read_csv("data/orders.csv", parse_dates=["created_at"])
customers = pd.read_csv("data/customers.csv")

df = orders.merge(customers, on="customer_id", how="left", validate="many_to_one")
df = df.drop(columns=["password_hash", "internal_notes"], errors="ignore")
df = df[df["deleted_at"].isna()].drop(columns="deleted_at")
df["is_refund"] = np.where(df["amount"] < 0, 1, 0)
pivot = df.pivot_table(index=df["created_at"].dt.to_period("M"), columns="segment", values="amount", aggfunc="sum")
pivot.to_excel("out/revenue_by_segment.xlsx")
print(pivot.tail())
