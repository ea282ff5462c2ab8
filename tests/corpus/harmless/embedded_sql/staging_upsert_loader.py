"""Load the daily product feed CSV into catalog.products with an upsert.

1. COPY the CSV into a TEMPORARY table (dropped at commit)
2. validate it (row counts, duplicate SKUs, negative prices)
3. INSERT ... ON CONFLICT DO UPDATE into catalog.products
4. mark products missing from the feed as inactive (only those of this supplier)
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import psycopg2

log = logging.getLogger("feed_loader")

CREATE_TMP = """
CREATE TEMPORARY TABLE tmp_feed (
    sku text, title text, price_cents integer, currency text, stock integer, supplier_id integer
) ON COMMIT DROP
"""

UPSERT = """
INSERT INTO catalog.products AS p (sku, title, price_cents, currency, stock, supplier_id, is_active, updated_at)
SELECT sku, title, price_cents, currency, stock, supplier_id, true, now() FROM tmp_feed
ON CONFLICT (sku) DO UPDATE
SET title = excluded.title, price_cents = excluded.price_cents, stock = excluded.stock,
    is_active = true, updated_at = now()
WHERE p.supplier_id = excluded.supplier_id
"""

DEACTIVATE_MISSING = """
UPDATE catalog.products p
SET is_active = false, updated_at = now()
WHERE p.supplier_id = %(supplier)s
  AND p.is_active
  AND NOT EXISTS (SELECT 1 FROM tmp_feed f WHERE f.sku = p.sku)
"""


def validate(cur) -> list[str]:
    problems = []
    cur.execute("SELECT count(*) FROM tmp_feed")
    (rows,) = cur.fetchone()
    if rows == 0:
        problems.append("feed is empty")
    cur.execute("SELECT sku FROM tmp_feed GROUP BY sku HAVING count(*) > 1 LIMIT 5")
    dupes = [r[0] for r in cur.fetchall()]
    if dupes:
        problems.append(f"duplicate SKUs: {dupes}")
    cur.execute("SELECT count(*) FROM tmp_feed WHERE price_cents < 0 OR stock < 0")
    (negative,) = cur.fetchone()
    if negative:
        problems.append(f"{negative} rows with negative price or stock")
    return problems


def load(dsn: str, csv_path: Path, supplier: int) -> None:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(CREATE_TMP)
        with csv_path.open(encoding="utf-8") as fh:
            cur.copy_expert("COPY tmp_feed (sku, title, price_cents, currency, stock, supplier_id)"
                            " FROM STDIN WITH (FORMAT csv, HEADER true)", fh)
        cur.execute("DELETE FROM tmp_feed WHERE supplier_id <> %s", (supplier,))
        problems = validate(cur)
        if problems:
            raise SystemExit("feed rejected: " + "; ".join(problems))
        cur.execute(UPSERT)
        log.info("upserted %d products", cur.rowcount)
        cur.execute(DEACTIVATE_MISSING, {"supplier": supplier})
        log.info("deactivated %d products missing from the feed", cur.rowcount)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv", type=Path)
    parser.add_argument("--supplier", type=int, required=True)
    parser.add_argument("--dsn", default="dbname=catalog")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    load(args.dsn, args.csv, args.supplier)
    return 0


if __name__ == "__main__":
    sys.exit(main())
