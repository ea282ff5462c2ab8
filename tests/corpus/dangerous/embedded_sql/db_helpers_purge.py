"""DB helpers shared by the ops scripts."""
import os
import sqlite3
from contextlib import contextmanager

DB_PATH = os.environ.get("APP_DB", "/srv/app/data/app.db")


@contextmanager
def cursor():
    conn = sqlite3.connect(DB_PATH)
    try:
        yield conn.cursor()
        conn.commit()
    finally:
        conn.close()


def count(table: str) -> int:
    with cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        return cur.fetchone()[0]


def empty_table(table: str) -> None:
    with cursor() as cur:
        # expect: destructive
        cur.execute(f"DELETE FROM {table}")


if __name__ == "__main__":
    for t in ("audit_events", "user_sessions"):
        print(t, count(t))
        empty_table(t)
