"""Cleaning helpers for the customer master data extract (pandas).

Everything here works on in-memory DataFrames: dropping columns, removing
duplicate rows, popping keys from dicts. Nothing is deleted from any database
or disk; callers decide where the cleaned frame goes.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import Iterable

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

drop_cols = ["fax", "legacy_crm_id", "import_batch", "deleted_flag_old"]
PHONE_RE = re.compile(r"[^\d+]")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)
COUNTRY_FIX = {"UK": "GB", "EL": "GR", "Deutschland": "DE", "Germany": "DE", "USA": "US"}


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalise_names(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for col in ("first_name", "last_name", "company"):
        df[col] = df[col].astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    df["name_key"] = (df["first_name"].fillna("") + " " + df["last_name"].fillna("")).map(
        lambda s: strip_accents(s).lower().strip())
    return df


def normalise_contacts(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["email"] = df["email"].astype("string").str.strip().str.lower()
    df.loc[~df["email"].fillna("").str.match(EMAIL_RE), "email"] = pd.NA
    df["phone"] = df["phone"].astype("string").map(lambda p: PHONE_RE.sub("", p) if isinstance(p, str) else p)
    df["country"] = df["country"].replace(COUNTRY_FIX).str.upper()
    return df


def remove_duplicates(df: pd.DataFrame) -> pd.DataFrame:
    """Keep the most recently updated row per e-mail, then per name+postcode."""
    before = len(df)
    df = df.sort_values("updated_at").drop_duplicates(subset=["email"], keep="last")
    df = df.drop_duplicates(subset=["name_key", "postcode"], keep="last")
    log.info("removed %d duplicate rows", before - len(df))
    return df


def flag_deleted(df: pd.DataFrame) -> pd.DataFrame:
    """Rows with a deleted_at are kept but flagged; the warehouse filters on is_deleted."""
    df = df.copy()
    df["is_deleted"] = df["deleted_at"].notna()
    return df


def drop_unused(df: pd.DataFrame, extra: Iterable[str] = ()) -> pd.DataFrame:
    cols = [c for c in [*drop_cols, *extra] if c in df.columns]
    return df.drop(columns=cols)


def clean_tags(records: list[dict]) -> list[dict]:
    out = []
    for record in records:
        record = dict(record)
        record.pop("internal_notes", None)
        tags = list(record.get("tags", []))
        for noisy in ("test", "import", "tmp"):
            if noisy in tags:
                tags.remove(noisy)
        record["tags"] = sorted(set(tags))
        out.append(record)
    return out


def clean(df: pd.DataFrame) -> pd.DataFrame:
    df = drop_unused(df)
    df = normalise_names(df)
    df = normalise_contacts(df)
    df = flag_deleted(df)
    df = remove_duplicates(df)
    df["segment"] = np.select(
        [df["lifetime_value"] >= 5000, df["lifetime_value"] >= 500],
        ["key", "regular"], default="occasional")
    return df.reset_index(drop=True)


def report(df: pd.DataFrame) -> dict[str, int]:
    return {
        "rows": len(df),
        "missing_email": int(df["email"].isna().sum()),
        "deleted": int(df["is_deleted"].sum()),
        "countries": int(df["country"].nunique()),
    }


if __name__ == "__main__":
    import sys

    logging.basicConfig(level=logging.INFO)
    frame = pd.read_csv(sys.argv[1], parse_dates=["updated_at", "deleted_at"])
    cleaned = clean(frame)
    print(report(cleaned))
    cleaned.to_parquet(sys.argv[2], index=False)
