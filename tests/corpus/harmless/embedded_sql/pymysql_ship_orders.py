"""Mark picked orders as shipped and print the carrier manifest (MySQL via PyMySQL)."""
import os

import pymysql

conn = pymysql.connect(
    host=os.environ.get("MYSQL_HOST", "localhost"),
    user="warehouse",
    password=os.environ["MYSQL_PASSWORD"],
    database="shop",
    cursorclass=pymysql.cursors.DictCursor,
)

with conn:
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT o.id, o.reference, a.postcode, a.country, SUM(i.weight_g) AS weight_g
            FROM orders o
            JOIN addresses a ON a.id = o.shipping_address_id
            JOIN order_items i ON i.order_id = o.id
            WHERE o.status = 'picked'
            GROUP BY o.id, o.reference, a.postcode, a.country
            """
        )
        picked = cur.fetchall()
        ids = [row["id"] for row in picked]
        if ids:
            placeholders = ", ".join(["%s"] * len(ids))
            cur.execute(
                f"UPDATE orders SET status = 'shipped', shipped_at = NOW() WHERE status = 'picked' AND id IN ({placeholders})",
                ids,
            )
    conn.commit()

for row in picked:
    print(f"{row['reference']:>12} {row['country']} {row['postcode']:>8} {row['weight_g'] / 1000:.2f} kg")
