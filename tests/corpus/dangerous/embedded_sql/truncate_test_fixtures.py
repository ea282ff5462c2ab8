"""Empty the app tables between integration test suites (runs against DATABASE_URL)."""
import os

from sqlalchemy import create_engine, text

TABLES = ["order_items", "orders", "customers", "payments"]

engine = create_engine(os.environ["DATABASE_URL"])


def truncate_all() -> None:
    with engine.begin() as conn:
        for table in TABLES:
            # expect: destructive
            conn.execute(text(f"TRUNCATE TABLE {table} RESTART IDENTITY CASCADE"))


if __name__ == "__main__":
    truncate_all()
    print("truncated", ", ".join(TABLES))
