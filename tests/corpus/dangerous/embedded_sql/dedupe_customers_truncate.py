"""Deduplicate the customers table in MySQL (keep the lowest id per email)."""
import os

import pymysql

conn = pymysql.connect(
    host=os.environ.get("MYSQL_HOST", "db"),
    user=os.environ["MYSQL_USER"],
    password=os.environ["MYSQL_PASSWORD"],
    database="shop",
    autocommit=False,
)

try:
    with conn.cursor() as cur:
        cur.execute("""
            CREATE TABLE customers_dedup AS
            SELECT c.* FROM customers c
            JOIN (SELECT MIN(id) AS id FROM customers GROUP BY LOWER(TRIM(email))) keep ON keep.id = c.id
        """)
        # expect: destructive
        cur.execute("TRUNCATE TABLE customers")
        cur.execute("INSERT INTO customers SELECT * FROM customers_dedup")
        cur.execute("DROP TABLE customers_dedup")
    conn.commit()
    print("customers deduplicated")
finally:
    conn.close()
