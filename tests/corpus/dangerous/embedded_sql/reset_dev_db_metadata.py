"""Reset the dev database: drop every table and recreate the schema from the models.

    python scripts/reset_db.py
"""
import os

from sqlalchemy import create_engine

from app.models import Base
from app.seed import seed_demo_data

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql+psycopg://app:app@db:5432/app")

engine = create_engine(DATABASE_URL, echo=False)


def main() -> None:
    print(f"resetting {engine.url.render_as_string(hide_password=True)}")
    # expect: destructive
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    with engine.begin() as conn:
        seed_demo_data(conn)
    print("database reset and seeded")


if __name__ == "__main__":
    main()
