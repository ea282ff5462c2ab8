"""Load the day's events DataFrame into BigQuery through a scratch table, then merge."""
from __future__ import annotations

import sys
import uuid

import pandas as pd
from google.cloud import bigquery

PROJECT = "acme-prod"
client = bigquery.Client(project=PROJECT)


def load(day: str) -> None:
    frame = pd.read_parquet(f"data/events/{day}.parquet")
    scratch = f"{PROJECT}.scratch.tmp_events_{uuid.uuid4().hex[:8]}"
    job = client.load_table_from_dataframe(
        frame,
        scratch,
        job_config=bigquery.LoadJobConfig(write_disposition=bigquery.WriteDisposition.WRITE_TRUNCATE),
    )
    job.result()
    try:
        merge = client.query(
            f"""
            MERGE `{PROJECT}.raw.events` t
            USING `{scratch}` s
            ON t.event_id = s.event_id
            WHEN NOT MATCHED THEN INSERT ROW
            """
        )
        merge.result()
        print(f"{day}: {merge.num_dml_affected_rows} new events")
    finally:
        client.delete_table(scratch, not_found_ok=True)

    counts = client.query(
        f"SELECT event_name, COUNT(*) n FROM `{PROJECT}.raw.events` WHERE DATE(ts) = @day GROUP BY 1",
        job_config=bigquery.QueryJobConfig(query_parameters=[bigquery.ScalarQueryParameter("day", "DATE", day)]),
    ).to_dataframe()
    print(counts)


if __name__ == "__main__":
    load(sys.argv[1])
