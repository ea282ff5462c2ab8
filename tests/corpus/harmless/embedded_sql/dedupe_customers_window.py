"""Deduplicate the customers table: keep the oldest row per email, repoint orders, delete the rest."""
import os
import sys

import psycopg

FIND = """
CREATE TEMP TABLE dup_map AS
SELECT id AS dup_id, first_value(id) OVER w AS keep_id
FROM customers
WINDOW w AS (PARTITION BY lower(email) ORDER BY created_at, id)
"""

REPOINT = "UPDATE orders o SET customer_id = m.keep_id FROM dup_map m WHERE o.customer_id = m.dup_id AND m.dup_id <> m.keep_id"
DELETE_DUPES = "DELETE FROM customers c USING dup_map m WHERE c.id = m.dup_id AND m.dup_id <> m.keep_id"


def main(apply: bool) -> None:
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        conn.execute(FIND)
        n = conn.execute("SELECT count(*) FROM dup_map WHERE dup_id <> keep_id").fetchone()[0]
        print(f"{n} duplicate customers")
        if not apply:
            conn.rollback()
            print("dry run; pass --apply")
            return
        conn.execute(REPOINT)
        deleted = conn.execute(DELETE_DUPES).rowcount
        print(f"deleted {deleted}")


if __name__ == "__main__":
    main("--apply" in sys.argv)
