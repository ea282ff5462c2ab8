"""Deduplicate the customers export (CSV in, CSV out) before the CRM import.

Keeps the most recently updated row per normalised email; writes a new file and a
report of what was merged. The input file is left untouched.
"""
import sys
from pathlib import Path

import pandas as pd


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["email_norm"] = df["email"].str.strip().str.lower()
    df["phone"] = df["phone"].str.replace(r"[^\d+]", "", regex=True)
    return df


def main(src: str, dst: str) -> None:
    df = normalise(pd.read_csv(src, parse_dates=["updated_at"]))
    df = df.sort_values("updated_at", ascending=False)
    dupes = df[df.duplicated("email_norm", keep="first")]
    clean = df.drop_duplicates("email_norm", keep="first").drop(columns=["email_norm"])
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    clean.to_csv(dst, index=False)
    dupes.to_csv(Path(dst).with_suffix(".merged.csv"), index=False)
    print(f"{len(df)} rows -> {len(clean)} ({len(dupes)} duplicates merged)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/customers.csv",
         sys.argv[2] if len(sys.argv) > 2 else "out/customers_deduped.csv")
