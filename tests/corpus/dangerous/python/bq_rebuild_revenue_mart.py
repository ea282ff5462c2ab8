"""Rebuild the revenue mart from scratch when the schema changes.

    python rebuild_revenue_mart.py --project acme-prod
"""
from __future__ import annotations

import argparse
import logging

from google.cloud import bigquery

log = logging.getLogger("rebuild_revenue_mart")

SCHEMA = [
    bigquery.SchemaField("revenue_date", "DATE", mode="REQUIRED"),
    bigquery.SchemaField("country", "STRING"),
    bigquery.SchemaField("channel", "STRING"),
    bigquery.SchemaField("orders", "INT64"),
    bigquery.SchemaField("revenue", "NUMERIC"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", default="acme-prod")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)

    client = bigquery.Client(project=args.project)
    table_id = f"{args.project}.marts.daily_revenue"

    log.info("recreating %s with the new schema", table_id)
    # expect: destructive
    client.delete_table(table_id, not_found_ok=True)
    table = bigquery.Table(table_id, schema=SCHEMA)
    table.time_partitioning = bigquery.TimePartitioning(field="revenue_date")
    client.create_table(table)

    job = client.query(
        f"""
        INSERT INTO `{table_id}` (revenue_date, country, channel, orders, revenue)
        SELECT DATE(order_ts), country, channel, COUNT(*), SUM(total)
        FROM `{args.project}.core.orders`
        GROUP BY 1, 2, 3
        """
    )
    job.result()
    log.info("loaded %s rows", job.num_dml_affected_rows)


if __name__ == "__main__":
    main()
