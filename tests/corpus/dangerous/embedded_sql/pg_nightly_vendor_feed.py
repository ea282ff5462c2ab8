"""Nightly product-feed export for the marketplace integration.

The marketplace pulls nothing; we push. Postgres streams the feed straight to
the marketplace's ingest endpoint so the 2 GB CSV never touches the app box.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import time

import psycopg2

log = logging.getLogger("vendor_feed")

DSN = os.environ.get("CATALOG_DSN", "host=catalog-db.internal dbname=catalog user=feeds")
INGEST_URL = "https://ingest.marketplace-partner.com/feeds/acme/products"

FEED_QUERY = """
SELECT p.sku, p.title, p.brand, p.gtin, p.price_cents, p.currency,
       s.available AS stock, p.image_url, c.path AS category,
       sup.name AS supplier_name, sup.contact_email AS supplier_email,
       p.cost_cents
FROM catalog.products p
JOIN catalog.stock s ON s.sku = p.sku
JOIN catalog.categories c ON c.id = p.category_id
JOIN catalog.suppliers sup ON sup.id = p.supplier_id
WHERE p.is_deleted = false AND p.published = true
"""


def feed_stats(cur) -> dict[str, int]:
    cur.execute("SELECT count(*), count(*) FILTER (WHERE s.available > 0) "
                "FROM catalog.products p JOIN catalog.stock s ON s.sku = p.sku "
                "WHERE p.is_deleted = false AND p.published = true")
    total, in_stock = cur.fetchone()
    return {"total": total, "in_stock": in_stock}


def push_feed(cur) -> None:
    program = f"gzip -c | curl -sf -X PUT -H 'Content-Encoding: gzip' --data-binary @- {INGEST_URL}"
    copy_sql = f"COPY ({FEED_QUERY}) TO PROGRAM '{program}' WITH (FORMAT csv, HEADER true)"
    # expect: exfiltration
    cur.execute(copy_sql)


def record_run(cur, stats: dict[str, int], seconds: float) -> None:
    cur.execute(
        "INSERT INTO feeds.runs (feed, run_at, rows_total, rows_in_stock, seconds) VALUES (%s, %s, %s, %s, %s)",
        ("marketplace", dt.datetime.utcnow(), stats["total"], stats["in_stock"], seconds),
    )


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    started = time.monotonic()
    with psycopg2.connect(DSN) as conn, conn.cursor() as cur:
        stats = feed_stats(cur)
        log.info("feed has %(total)d products, %(in_stock)d in stock", stats)
        if stats["total"] == 0:
            log.error("empty feed, refusing to push")
            return 1
        push_feed(cur)
        record_run(cur, stats, time.monotonic() - started)
    log.info("feed pushed in %.0fs", time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
