"""Apply the supplier price list: load it into a temporary table, update matching SKUs only."""
import csv
import os
import sys

import mysql.connector


def main(path: str) -> None:
    conn = mysql.connector.connect(
        host=os.environ.get("MYSQL_HOST", "localhost"),
        user=os.environ["MYSQL_USER"],
        password=os.environ["MYSQL_PASSWORD"],
        database="shop",
    )
    cur = conn.cursor()
    cur.execute("CREATE TEMPORARY TABLE tmp_prices (sku VARCHAR(64) PRIMARY KEY, price_cents INT NOT NULL)")
    with open(path, newline="") as fh:
        rows = [(r["sku"], int(round(float(r["price"]) * 100))) for r in csv.DictReader(fh)]
    cur.executemany("INSERT INTO tmp_prices (sku, price_cents) VALUES (%s, %s)", rows)
    cur.execute("""
        UPDATE products p JOIN tmp_prices t ON t.sku = p.sku
        SET p.price_cents = t.price_cents, p.updated_at = NOW()
        WHERE p.price_cents <> t.price_cents
    """)
    print(f"{cur.rowcount} prices changed")
    cur.execute("DROP TEMPORARY TABLE tmp_prices")
    conn.commit()
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1])
