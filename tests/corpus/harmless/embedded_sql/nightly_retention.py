"""Nightly retention: delete events older than the retention window, in batches."""
import logging
import os
import time

import psycopg2

log = logging.getLogger("retention")
RETENTION_DAYS = int(os.getenv("RETENTION_DAYS", "400"))
BATCH = 10_000


def main():
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    total = 0
    while True:
        with conn.cursor() as cur:
            cur.execute(
                """
                DELETE FROM events
                WHERE id IN (
                    SELECT id FROM events
                    WHERE created_at < now() - make_interval(days => %s)
                    LIMIT %s
                )
                """,
                (RETENTION_DAYS, BATCH),
            )
            n = cur.rowcount
        conn.commit()
        total += n
        log.info("deleted %d (total %d)", n, total)
        if n < BATCH:
            break
        time.sleep(0.5)
    conn.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
