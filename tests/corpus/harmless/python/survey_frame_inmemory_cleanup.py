"""Tidy a survey extract in memory before plotting."""
import pandas as pd


def tidy(df: pd.DataFrame) -> pd.DataFrame:
    df = df.drop(columns=["free_text", "ip_address"], errors="ignore")
    df = df.drop_duplicates(subset=["respondent_id"])
    df = df.dropna(subset=["score"])
    return df


def prune(config: dict, tags: list, seen: set) -> None:
    config.pop("debug", None)
    if "deprecated" in tags:
        tags.remove("deprecated")
    seen.discard("anonymous")
    # Note: never call DROP TABLE or rm -rf from this module.
