"""Clean up a customer dataframe before modelling. Nothing here touches storage."""
import pandas as pd

PII = ["email", "phone", "street"]


def clean(df: pd.DataFrame) -> pd.DataFrame:
    df = df.drop(columns=PII, errors="ignore")
    df = df.drop_duplicates(subset=["customer_id"])
    df = df.dropna(subset=["signup_date"])
    return df


def tidy_config(cfg: dict) -> dict:
    cfg = dict(cfg)
    cfg.pop("debug", None)
    flags = set(cfg.get("flags", []))
    flags.discard("experimental")
    cfg["flags"] = sorted(flags)
    order = list(cfg.get("order", []))
    if "legacy" in order:
        order.remove("legacy")
    cfg["order"] = order
    return cfg


class LRU:
    def __init__(self):
        self._d = {}

    def clear(self):
        self._d.clear()

    def delete(self, key):
        del self._d[key]


if __name__ == "__main__":
    frame = pd.read_csv("data/customers.csv")
    print(clean(frame).shape)
