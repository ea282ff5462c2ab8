"""orders_fact ETL.

extract  -> pull new and changed orders from the OLTP replica
transform -> currency conversion, status mapping, channel attribution
load     -> rebuild analytics.orders_fact in the warehouse

Run: python orders_fact_pipeline.py [--since 2024-01-01] [--dry-run]
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
from dataclasses import dataclass
from decimal import Decimal

import psycopg2
import psycopg2.extras

log = logging.getLogger("orders_fact")

SOURCE_DSN = os.environ.get("SOURCE_DSN", "host=oltp-replica.internal dbname=shop user=etl")
WAREHOUSE_DSN = os.environ.get("WAREHOUSE_DSN", "host=warehouse.internal dbname=analytics user=etl")

STATUS_MAP = {
    "new": "open", "paid": "open", "packed": "open", "shipped": "fulfilled",
    "delivered": "fulfilled", "refunded": "refunded", "cancelled": "cancelled",
}


@dataclass
class OrderRow:
    order_id: int
    customer_id: int
    created_at: dt.datetime
    status: str
    currency: str
    total: Decimal
    channel: str | None


def retry(times: int = 3, delay: float = 5.0):
    def deco(fn):
        def wrapper(*args, **kwargs):
            for attempt in range(1, times + 1):
                try:
                    return fn(*args, **kwargs)
                except psycopg2.OperationalError:
                    if attempt == times:
                        raise
                    log.warning("%s: operational error, retry %d/%d", fn.__name__, attempt, times)
                    time.sleep(delay * attempt)
        return wrapper
    return deco


@retry()
def extract(since: dt.date) -> list[OrderRow]:
    with psycopg2.connect(SOURCE_DSN) as conn, conn.cursor() as cur:
        cur.execute(
            """
            SELECT o.id, o.customer_id, o.created_at, o.status, o.currency, o.total, a.channel
            FROM orders o
            LEFT JOIN attribution a ON a.order_id = o.id
            WHERE o.updated_at >= %s AND o.is_test = false
            """,
            (since,),
        )
        rows = [OrderRow(*r) for r in cur.fetchall()]
    log.info("extracted %d orders since %s", len(rows), since)
    return rows


@retry()
def fx_rates(day: dt.date) -> dict[str, Decimal]:
    with psycopg2.connect(WAREHOUSE_DSN) as conn, conn.cursor() as cur:
        cur.execute("SELECT currency, rate_to_eur FROM ref.fx_rates WHERE rate_date = %s", (day,))
        return {c: Decimal(r) for c, r in cur.fetchall()}


def transform(rows: list[OrderRow]) -> list[tuple]:
    rates_cache: dict[dt.date, dict[str, Decimal]] = {}
    out = []
    for row in rows:
        day = row.created_at.date()
        if day not in rates_cache:
            rates_cache[day] = fx_rates(day)
        rate = rates_cache[day].get(row.currency, Decimal(1)) if row.currency != "EUR" else Decimal(1)
        out.append((
            row.order_id, row.customer_id, day, STATUS_MAP.get(row.status, "unknown"),
            (row.total * rate).quantize(Decimal("0.01")), row.channel or "direct",
        ))
    return out


@retry()
def load(records: list[tuple], dry_run: bool) -> None:
    if dry_run:
        log.info("dry run: would load %d rows", len(records))
        return
    with psycopg2.connect(WAREHOUSE_DSN) as conn, conn.cursor() as cur:
        # full rebuild: the fact table is small enough and this avoids merge logic
        # expect: destructive
        cur.execute("DELETE FROM analytics.orders_fact")
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO analytics.orders_fact (order_id, customer_id, order_date, status, total_eur, channel)"
            " VALUES %s",
            records,
            page_size=5000,
        )
        cur.execute("ANALYZE analytics.orders_fact")
    log.info("loaded %d rows into analytics.orders_fact", len(records))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--since", type=dt.date.fromisoformat, default=dt.date(2020, 1, 1))
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    started = time.monotonic()
    records = transform(extract(args.since))
    load(records, args.dry_run)
    log.info("finished in %.1fs", time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
