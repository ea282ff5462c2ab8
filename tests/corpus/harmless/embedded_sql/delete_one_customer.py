"""GDPR erasure request for a single customer id."""
import sys

import psycopg2


def erase(conn, customer_id: int) -> None:
    with conn.cursor() as cur:
        cur.execute("DELETE FROM crm.notes WHERE customer_id = %s", (customer_id,))
        cur.execute("UPDATE crm.customers SET email = NULL, phone = NULL, name = 'erased' WHERE id = %s",
                    (customer_id,))
    conn.commit()


if __name__ == "__main__":
    erase(psycopg2.connect("service=crm"), int(sys.argv[1]))
