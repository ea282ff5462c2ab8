"""Load the product feed through a temporary staging table and upsert it."""
import csv
import io
import os

import psycopg2

FEED = "feeds/products.csv"

conn = psycopg2.connect(os.environ["DATABASE_URL"])
with conn, conn.cursor() as cur:
    cur.execute("""
        CREATE TEMP TABLE tmp_products (LIKE products INCLUDING DEFAULTS) ON COMMIT DROP
    """)
    with open(FEED, newline="") as fh:
        buf = io.StringIO()
        csv.writer(buf).writerows(csv.reader(fh))
        buf.seek(0)
        cur.copy_expert("COPY tmp_products FROM STDIN WITH (FORMAT csv, HEADER true)", buf)
    cur.execute("""
        INSERT INTO products (sku, name, price, updated_at)
        SELECT sku, name, price, now() FROM tmp_products
        ON CONFLICT (sku) DO UPDATE
            SET name = EXCLUDED.name, price = EXCLUDED.price, updated_at = now()
    """)
    print("upserted", cur.rowcount)
    cur.execute("DELETE FROM tmp_products")
    cur.execute("DROP TABLE IF EXISTS tmp_products")
conn.close()
