import csv
import os

import psycopg2
from psycopg2.extras import execute_values

DSN = os.environ["REPORTING_DSN"]


def read_rows(path):
    with open(path, newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            yield (row["order_id"], row["customer_id"], row["amount"], row["created_at"])


def main(path="exports/orders.csv"):
    conn = psycopg2.connect(DSN)
    cur = conn.cursor()
    # expect: destructive
    cur.execute("TRUNCATE TABLE staging.orders")
    execute_values(cur, "INSERT INTO staging.orders (order_id, customer_id, amount, created_at) VALUES %s",
                   list(read_rows(path)))
    conn.commit()
    cur.close()
    conn.close()


if __name__ == "__main__":
    main()
