import os
import sqlalchemy as sa

engine = sa.create_engine(os.environ["DB_URL"])


def migrate():
    with engine.begin() as conn:
        cols = [c["name"] for c in sa.inspect(conn).get_columns("orders")]
        if "discount_code" in cols:
            # expect: destructive
            conn.exec_driver_sql("ALTER TABLE orders DROP COLUMN discount_code")
            print("dropped discount_code")


if __name__ == "__main__":
    migrate()
