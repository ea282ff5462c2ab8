"""Data quality check + cleanup of the incoming leads batch, all in memory."""
from __future__ import annotations

import json
import sys

import pandas as pd

REQUIRED = {"email", "company", "source"}


def check(records: list[dict]) -> dict[str, int]:
    issues = {"missing_fields": 0, "bad_email": 0, "duplicates": 0}
    seen: set[str] = set()
    for rec in list(records):
        if not REQUIRED <= rec.keys():
            issues["missing_fields"] += 1
            records.remove(rec)
            continue
        email = rec["email"].strip().lower()
        if "@" not in email:
            issues["bad_email"] += 1
            records.remove(rec)
        elif email in seen:
            issues["duplicates"] += 1
            records.remove(rec)
        else:
            seen.add(email)
            rec.pop("raw_payload", None)
    return issues


def main(path: str) -> None:
    with open(path) as fh:
        records = json.load(fh)
    issues = check(records)
    df = pd.DataFrame(records).drop(columns=["internal_note"], errors="ignore")
    df = df.dropna(subset=["company"])
    print(json.dumps(issues), len(df), "clean rows")


if __name__ == "__main__":
    main(sys.argv[1])
