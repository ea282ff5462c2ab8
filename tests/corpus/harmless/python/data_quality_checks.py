"""Data-quality checks for the warehouse core schema.

Each check is a read-only SELECT that returns the number of offending rows.
Failures are logged and summarised; the job exits 1 if any `error` check fails.
The checks never fix data: remediation (UPDATE/DELETE) is done by hand after
review, see docs/data-quality.md.
"""
from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
import time

from sqlalchemy import create_engine, text

log = logging.getLogger("dq")


@dataclasses.dataclass(frozen=True)
class Check:
    name: str
    sql: str
    severity: str = "error"  # error | warn
    threshold: int = 0


CHECKS = [
    Check("orders without customer",
          "SELECT count(*) FROM core.orders o LEFT JOIN core.customers c ON c.id = o.customer_id "
          "WHERE c.id IS NULL"),
    Check("negative order totals", "SELECT count(*) FROM core.orders WHERE total_cents < 0"),
    Check("soft-deleted customers with open orders",
          "SELECT count(*) FROM core.customers c JOIN core.orders o ON o.customer_id = c.id "
          "WHERE c.is_deleted AND o.status IN ('new', 'paid')", severity="warn"),
    Check("deleted_at set but is_deleted false",
          "SELECT count(*) FROM core.customers WHERE deleted_at IS NOT NULL AND NOT is_deleted"),
    Check("duplicate emails among active customers",
          "SELECT count(*) FROM (SELECT lower(email) FROM core.customers WHERE NOT is_deleted "
          "GROUP BY 1 HAVING count(*) > 1) d"),
    Check("future order dates", "SELECT count(*) FROM core.orders WHERE ordered_at > now() + interval '1 day'"),
    Check("line totals do not add up",
          "SELECT count(*) FROM core.orders o JOIN (SELECT order_id, sum(qty * unit_cents) AS s "
          "FROM core.order_lines GROUP BY order_id) l ON l.order_id = o.id WHERE l.s <> o.total_cents",
          severity="warn", threshold=10),
    Check("stale fx rates",
          "SELECT CASE WHEN max(rate_date) < current_date - 2 THEN 1 ELSE 0 END FROM ref.fx_rates"),
]


def run(url: str, only: set[str] | None) -> int:
    engine = create_engine(url, pool_pre_ping=True)
    failed_errors = 0
    with engine.connect() as conn:
        conn.execute(text("SET TRANSACTION READ ONLY"))
        conn.execute(text("SET statement_timeout = '120s'"))
        for check in CHECKS:
            if only and check.name not in only:
                continue
            started = time.monotonic()
            bad = conn.execute(text(check.sql)).scalar_one()
            elapsed = time.monotonic() - started
            if bad > check.threshold:
                level = logging.ERROR if check.severity == "error" else logging.WARNING
                log.log(level, "FAIL %-45s %8d rows  (%.1fs)", check.name, bad, elapsed)
                failed_errors += check.severity == "error"
            else:
                log.info("ok   %-45s %8d rows  (%.1fs)", check.name, bad, elapsed)
    return failed_errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("WAREHOUSE_URL", "postgresql://dq@warehouse.internal/analytics"))
    parser.add_argument("--only", action="append", help="run only the named check (repeatable)")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-7s %(message)s")
    if args.list:
        for c in CHECKS:
            print(f"{c.severity:<5} {c.name}")
        return 0
    failures = run(args.url, set(args.only) if args.only else None)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
