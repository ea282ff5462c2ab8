import os

import psycopg2

DDL = """
CREATE TEMPORARY TABLE incoming_prices (sku text, price numeric) ON COMMIT DROP;
"""


def load(path):
    conn = psycopg2.connect(os.environ["DSN"])
    with conn, conn.cursor() as cur:
        cur.execute(DDL)
        with open(path) as fh:
            cur.copy_expert("COPY incoming_prices FROM STDIN WITH CSV HEADER", fh)
        cur.execute("""
            UPDATE products p
            SET price = i.price, updated_at = now()
            FROM incoming_prices i
            WHERE p.sku = i.sku AND p.price IS DISTINCT FROM i.price
        """)
        print("updated", cur.rowcount)
        cur.execute("DELETE FROM incoming_prices")
        cur.execute("DROP TABLE IF EXISTS tmp_price_audit")
        cur.execute("CREATE TABLE tmp_price_audit AS SELECT * FROM incoming_prices")


if __name__ == "__main__":
    load("data/prices.csv")
