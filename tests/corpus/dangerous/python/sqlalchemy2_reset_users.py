"""Reset the users of the staging tenant before the load test (SQLAlchemy 2.0)."""
from __future__ import annotations

import os

from sqlalchemy import create_engine, delete, func, select
from sqlalchemy.orm import Session

from app.models import ApiKey, User

engine = create_engine(os.environ["DATABASE_URL"])


def main() -> None:
    with Session(engine) as session, session.begin():
        n = session.scalar(select(func.count()).select_from(User))
        print(f"{n} users before reset")
        session.execute(delete(ApiKey).where(ApiKey.revoked.is_(True)))
        # expect: destructive
        session.execute(delete(User))
    print("users cleared; run `python -m app.seed --load-test` next")


if __name__ == "__main__":
    main()
