"""Clean the CRM customer export: drop junk columns, dedupe, normalise e-mails."""
import argparse
import logging
from pathlib import Path

import pandas as pd

log = logging.getLogger("clean")

DROP_COLUMNS = ["Unnamed: 0", "internal_notes", "debug_flags"]


def clean(df: pd.DataFrame) -> pd.DataFrame:
    df = df.drop(columns=[c for c in DROP_COLUMNS if c in df.columns])
    df["email"] = df["email"].str.strip().str.lower()
    df = df.drop_duplicates(subset="email", keep="last")
    df = df[df["deleted_at"].isna()]          # soft-deleted rows stay out of the export
    df = df.drop(index=df[df["country"] == "XX"].index)
    return df.reset_index(drop=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src", type=Path)
    ap.add_argument("dst", type=Path)
    args = ap.parse_args()
    df = pd.read_csv(args.src)
    log.info("read %d rows", len(df))
    out = clean(df)
    log.info("dropped %d rows", len(df) - len(out))
    args.dst.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(args.dst, index=False)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
