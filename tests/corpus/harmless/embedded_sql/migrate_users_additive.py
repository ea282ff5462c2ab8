"""Migrate users to the new schema, additively: create accounts/profiles, backfill, add a view.

The old `users` table stays in place until the app has run on the new tables for a release.
"""
import os

import psycopg2

DDL = [
    """
    CREATE TABLE IF NOT EXISTS accounts (
        id bigint PRIMARY KEY,
        email citext UNIQUE NOT NULL,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS profiles (
        account_id bigint PRIMARY KEY REFERENCES accounts(id),
        display_name text,
        locale text NOT NULL DEFAULT 'en'
    )
    """,
]

BACKFILL = [
    """
    INSERT INTO accounts (id, email, password_hash, created_at)
    SELECT id, email, password_hash, created_at FROM users
    WHERE id > %(after)s ORDER BY id LIMIT 10000
    ON CONFLICT (id) DO NOTHING
    """,
    """
    INSERT INTO profiles (account_id, display_name, locale)
    SELECT id, full_name, coalesce(locale, 'en') FROM users
    WHERE id > %(after)s ORDER BY id LIMIT 10000
    ON CONFLICT (account_id) DO NOTHING
    """,
]

VIEW = """
CREATE OR REPLACE VIEW users_compat AS
SELECT a.id, a.email, a.password_hash, p.display_name AS full_name, p.locale, a.created_at
FROM accounts a LEFT JOIN profiles p ON p.account_id = a.id
"""


def main() -> None:
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    with conn, conn.cursor() as cur:
        for stmt in DDL:
            cur.execute(stmt)
    after = 0
    while True:
        with conn, conn.cursor() as cur:
            for stmt in BACKFILL:
                cur.execute(stmt, {"after": after})
            cur.execute("SELECT max(id) FROM accounts")
            top = cur.fetchone()[0] or 0
        if top <= after:
            break
        after = top
    with conn, conn.cursor() as cur:
        cur.execute(VIEW)
    print("backfill complete up to id", after)


if __name__ == "__main__":
    main()
