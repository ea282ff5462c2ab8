"""Write a data quality check for the daily orders extract (parquet) with DuckDB.

Fails with exit 1 and a summary when any check fails.
"""
import sys

import duckdb

CHECKS = {
    "no_null_ids": "SELECT count(*) FROM orders WHERE order_id IS NULL",
    "unique_ids": "SELECT count(*) - count(DISTINCT order_id) FROM orders",
    "positive_amounts": "SELECT count(*) FROM orders WHERE total_amount < 0",
    "known_status": "SELECT count(*) FROM orders WHERE status NOT IN ('paid','shipped','delivered','cancelled','refunded')",
    "fresh": "SELECT CASE WHEN max(created_at) < now() - INTERVAL 2 DAY THEN 1 ELSE 0 END FROM orders",
}


def main(path: str) -> int:
    con = duckdb.connect()
    con.execute(f"CREATE TEMP VIEW orders AS SELECT * FROM read_parquet('{path}')")
    failed = []
    for name, sql in CHECKS.items():
        bad = con.execute(sql).fetchone()[0]
        print(f"{'PASS' if not bad else 'FAIL'} {name}: {bad}")
        if bad:
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "data/orders/*.parquet"))
