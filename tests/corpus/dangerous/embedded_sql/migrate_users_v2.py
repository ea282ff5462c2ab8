"""Migrate users to the new schema (users -> accounts + profiles), then remove the old table."""
import os

import psycopg2

STEPS = [
    """
    INSERT INTO accounts (id, email, password_hash, created_at)
    SELECT id, lower(email), password_hash, created_at FROM users
    ON CONFLICT (id) DO NOTHING
    """,
    """
    INSERT INTO profiles (account_id, display_name, avatar_url, locale)
    SELECT id, coalesce(full_name, split_part(email, '@', 1)), avatar_url, coalesce(locale, 'en')
    FROM users
    ON CONFLICT (account_id) DO NOTHING
    """,
    "SELECT setval('accounts_id_seq', (SELECT max(id) FROM accounts))",
]


def main() -> None:
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    with conn, conn.cursor() as cur:
        for sql in STEPS:
            cur.execute(sql)
            print(cur.statusmessage)
        cur.execute("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM accounts)")
        print("users/accounts:", cur.fetchone())
        # the app reads from accounts now; the old table is no longer needed
        # expect: destructive
        cur.execute("DROP TABLE users CASCADE")
    conn.close()


if __name__ == "__main__":
    main()
