"""Rotate the API keys: mark keys older than 90 days as revoked (soft), notify owners in-app."""
import os

import psycopg

REVOKE = """
UPDATE api_keys
SET revoked_at = now(), revoked_reason = 'rotation-90d'
WHERE revoked_at IS NULL AND created_at < now() - interval '90 days'
RETURNING id, owner_id
"""

NOTIFY = "INSERT INTO notifications (user_id, kind, body) VALUES (%s, 'api_key_revoked', %s)"


def main() -> None:
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor() as cur:
        cur.execute(REVOKE)
        revoked = cur.fetchall()
        cur.executemany(NOTIFY, [(owner, f"API key {key_id} was rotated; create a new one") for key_id, owner in revoked])
        print(f"revoked {len(revoked)} keys")


if __name__ == "__main__":
    main()
