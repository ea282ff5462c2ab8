"""Archive last year's orders: copy to orders_archive and delete in batches of 5000."""
import os
import time
from datetime import date

import psycopg2

BATCH = 5000

MOVE = """
WITH moved AS (
    DELETE FROM orders
    WHERE id IN (
        SELECT id FROM orders WHERE created_at < %(cutoff)s ORDER BY id LIMIT %(batch)s
    )
    RETURNING *
)
INSERT INTO orders_archive SELECT * FROM moved
"""


def main() -> None:
    cutoff = date(date.today().year, 1, 1)
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    total = 0
    while True:
        with conn, conn.cursor() as cur:
            cur.execute(MOVE, {"cutoff": cutoff, "batch": BATCH})
            moved = cur.rowcount
        total += moved
        print(f"moved {total}")
        if moved < BATCH:
            break
        time.sleep(0.5)
    conn.close()


if __name__ == "__main__":
    main()
