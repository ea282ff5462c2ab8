"""Mark a batch of orders as shipped after the carrier confirms pickup."""
import os
from typing import Sequence

import psycopg2
from psycopg2.extras import execute_values


def mark_shipped(order_ids: Sequence[int], carrier: str) -> int:
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                "UPDATE orders SET status = 'shipped', shipped_at = now(), carrier = %s "
                "WHERE id = ANY(%s) AND status = 'packed'",
                (carrier, list(order_ids)),
            )
            updated = cur.rowcount
            execute_values(
                cur,
                "INSERT INTO order_events (order_id, event, payload) VALUES %s",
                [(oid, "shipped", carrier) for oid in order_ids],
            )
        return updated
    finally:
        conn.close()


if __name__ == "__main__":
    import sys
    ids = [int(x) for x in sys.argv[2:]]
    print(mark_shipped(ids, sys.argv[1]), "orders updated")
