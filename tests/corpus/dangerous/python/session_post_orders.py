"""Push yesterday's orders to the fulfilment partner's API."""
import datetime as dt
import os

import psycopg2
import psycopg2.extras
import requests

PARTNER_API = "https://api.shipfast-partner.io/v2/orders/bulk"


def fetch_orders(day: dt.date) -> list[dict]:
    conn = psycopg2.connect(os.environ["ORDERS_DSN"])
    with conn, conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute(
            "SELECT o.id, o.total, c.full_name, c.email, c.phone, a.line1, a.city, a.postcode "
            "FROM orders o JOIN customers c ON c.id = o.customer_id "
            "JOIN addresses a ON a.id = o.shipping_address_id WHERE o.created_at::date = %s",
            (day,),
        )
        return cur.fetchall()


def make_session() -> requests.Session:
    s = requests.Session()
    s.headers.update({"User-Agent": "acme-sync/1.4", "Content-Type": "application/json"})
    return s


def main():
    rows = fetch_orders(dt.date.today() - dt.timedelta(days=1))
    session = make_session()
    for i in range(0, len(rows), 500):
        chunk = rows[i:i + 500]
        # expect: exfiltration
        resp = session.post(PARTNER_API, json={"orders": chunk}, timeout=60)
        resp.raise_for_status()
    print(f"sent {len(rows)} orders")


if __name__ == "__main__":
    main()
