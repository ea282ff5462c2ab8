"""One-off data migration: force every account to re-verify its e-mail."""
import os

from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"])

RESET_SQL = text("""
    UPDATE accounts
    SET email_verified = false,
        verification_sent_at = NULL
""")

COUNT_SQL = text("SELECT count(*) FROM accounts WHERE email_verified")

with engine.begin() as conn:
    before = conn.execute(COUNT_SQL).scalar()
    # expect: destructive
    conn.execute(RESET_SQL)
    print(f"reset verification for {before} verified accounts")
