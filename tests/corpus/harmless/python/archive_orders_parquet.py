"""Archive last year's orders to partitioned Parquet under archive/orders/ (read-only on the DB).

Deleting them from the live table is a separate, reviewed migration.
"""
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import psycopg2

YEAR = 2024
OUT = Path("archive/orders")


def main() -> None:
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    with conn, conn.cursor(name="archive_orders") as cur:
        cur.itersize = 50_000
        cur.execute(
            "SELECT id, customer_id, status, total_amount, created_at, "
            "extract(month FROM created_at)::int AS month FROM orders "
            "WHERE created_at >= %s AND created_at < %s",
            (f"{YEAR}-01-01", f"{YEAR + 1}-01-01"),
        )
        cols = ["id", "customer_id", "status", "total_amount", "created_at", "month"]
        n = 0
        while batch := cur.fetchmany(50_000):
            table = pa.Table.from_pylist([dict(zip(cols, row)) for row in batch])
            pq.write_to_dataset(table, root_path=str(OUT / f"year={YEAR}"), partition_cols=["month"])
            n += len(batch)
    print(f"archived {n} orders to {OUT}")


if __name__ == "__main__":
    main()
