"""Delete expired sessions in batches so the table is never locked for long (PostgreSQL)."""
import os
import time

from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)

BATCH = text(
    """
    DELETE FROM user_sessions
    WHERE ctid IN (
        SELECT ctid FROM user_sessions
        WHERE expires_at < now() - INTERVAL '7 days'
        LIMIT :batch
    )
    """
)


def main() -> None:
    total = 0
    while True:
        with engine.begin() as conn:
            deleted = conn.execute(BATCH, {"batch": 5000}).rowcount
        total += deleted
        if deleted == 0:
            break
        time.sleep(0.2)
    with engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM user_sessions")).scalar_one()
    print(f"deleted {total} expired sessions, {left} remain")


if __name__ == "__main__":
    main()
