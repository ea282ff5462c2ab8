"""Daily retention job: remove expired password-reset tokens and old webhook deliveries."""
import logging
import os
from datetime import datetime, timedelta, timezone

import psycopg2

log = logging.getLogger("retention")

RULES = [
    ("password_reset_tokens", "expires_at < now() - interval '1 day'"),
    ("webhook_deliveries", "delivered_at < now() - interval '90 days' AND status = 'ok'"),
]


def run() -> None:
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    with conn, conn.cursor() as cur:
        cur.execute("DELETE FROM password_reset_tokens WHERE expires_at < now() - interval '1 day'")
        log.info("deleted %d rows from password_reset_tokens", cur.rowcount)
        cur.execute(
            "DELETE FROM webhook_deliveries WHERE delivered_at < %s AND status = %s",
            (datetime.now(timezone.utc) - timedelta(days=90), "ok"),
        )
        log.info("deleted %d rows from webhook_deliveries", cur.rowcount)
    conn.close()
    log.info("retention done (%d rules)", len(RULES))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    run()
