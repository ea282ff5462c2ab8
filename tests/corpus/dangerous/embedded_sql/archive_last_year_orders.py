"""Archive last year's orders into orders_archive and clear them from the live table."""
import os
from datetime import date

import psycopg

ARCHIVE = """
INSERT INTO orders_archive
SELECT * FROM orders WHERE created_at < %(cutoff)s
"""

CLEAR = "DELETE FROM orders"


def main() -> None:
    cutoff = date(date.today().year, 1, 1)
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        with conn.cursor() as cur:
            cur.execute(ARCHIVE, {"cutoff": cutoff})
            print(f"archived {cur.rowcount} orders older than {cutoff}")
            # expect: destructive
            cur.execute(CLEAR)
            print(f"removed {cur.rowcount} rows from orders")


if __name__ == "__main__":
    main()
