"""Load the supplier price feed with COPY into a temp table, then upsert (psycopg 3)."""
import csv
import os
import sys

import psycopg


def main(path: str) -> None:
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE price_feed (sku text PRIMARY KEY, price numeric(12,2), currency text) ON COMMIT DROP"
        )
        with open(path, newline="") as fh, cur.copy("COPY price_feed (sku, price, currency) FROM STDIN") as copy:
            for row in csv.DictReader(fh):
                copy.write_row((row["sku"], row["price"], row["currency"]))
        cur.execute("DELETE FROM price_feed WHERE price IS NULL OR price <= 0")
        cur.execute(
            """
            INSERT INTO product_prices (sku, price, currency, updated_at)
            SELECT sku, price, currency, now() FROM price_feed
            ON CONFLICT (sku) DO UPDATE
            SET price = EXCLUDED.price, currency = EXCLUDED.currency, updated_at = EXCLUDED.updated_at
            WHERE product_prices.price IS DISTINCT FROM EXCLUDED.price
            """
        )
        print(cur.rowcount, "prices changed")
        cur.execute("TRUNCATE price_feed")


if __name__ == "__main__":
    main(sys.argv[1])
