"""Feature preparation for the churn model (in-memory transformations only)."""
import numpy as np
import pandas as pd

df = pd.read_parquet("data/processed/customers.parquet")

# drop identifiers and leaky columns
df = df.drop(columns=["customer_id", "email", "cancelled_at"])
target = df.pop("churned")
del df["signup_source_raw"]
df.drop(index=df[df["tenure_days"] < 0].index, inplace=True)
df = df.dropna(subset=["mrr"])

categorical = ["plan", "country", "channel"]
numeric = [c for c in df.columns if c not in categorical]
numeric.remove("tenure_days")
seen = set(categorical)
seen.discard("channel")

params = {"max_depth": 6, "n_estimators": 300, "debug": True}
params.pop("debug")

df["log_mrr"] = np.log1p(df["mrr"])
X = pd.get_dummies(df, columns=categorical, drop_first=True)
print(X.shape, target.mean())
X.assign(churned=target).to_parquet("data/processed/churn_features.parquet", index=False)
