"""Generate a new API key for the internal metrics service.

Prints the key once and stores only its SHA-256 hash in the database; the old key keeps
working until its expiry so clients can migrate.
"""
import hashlib
import os
import secrets
from datetime import datetime, timedelta, timezone

import psycopg

PREFIX = "mtr_"


def new_key() -> tuple[str, str]:
    raw = PREFIX + secrets.token_urlsafe(32)
    return raw, hashlib.sha256(raw.encode()).hexdigest()


def main() -> None:
    raw, digest = new_key()
    expires = datetime.now(timezone.utc) + timedelta(days=90)
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        conn.execute(
            "INSERT INTO api_keys (service, key_hash, created_at, expires_at) VALUES (%s, %s, now(), %s)",
            ("metrics", digest, expires),
        )
        conn.execute(
            "UPDATE api_keys SET expires_at = least(expires_at, now() + interval '14 days') "
            "WHERE service = %s AND key_hash <> %s AND revoked_at IS NULL",
            ("metrics", digest),
        )
    print("new key (shown once):", raw)
    print("old keys expire in 14 days")


if __name__ == "__main__":
    main()
