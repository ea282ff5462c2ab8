"""Speed up the slow /customers/{id}/orders query: compare plans before and after the index."""
import json
import os

import psycopg2

QUERY = """
SELECT o.id, o.status, o.total_amount, o.created_at
FROM orders o
WHERE o.customer_id = %(cid)s AND o.status <> 'cancelled'
ORDER BY o.created_at DESC
LIMIT 20
"""


def plan(cur, cid: int) -> dict:
    cur.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + QUERY, {"cid": cid})
    return cur.fetchone()[0][0]


def main() -> None:
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    conn.autocommit = True
    with conn.cursor() as cur:
        before = plan(cur, 4242)
        print("before:", before["Execution Time"], "ms")
        cur.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_customer_created "
            "ON orders (customer_id, created_at DESC) WHERE status <> 'cancelled'"
        )
        cur.execute("ANALYZE orders")
        after = plan(cur, 4242)
        print("after:", after["Execution Time"], "ms")
        print(json.dumps(after["Plan"], indent=2)[:2000])


if __name__ == "__main__":
    main()
