"""GDPR retention job for the support database (MySQL).

Policy (legal sign-off 2024-02): tickets closed more than 3 years ago are
anonymised; attachments of those tickets are deleted; chat transcripts older
than 18 months are deleted. Everything runs in small batches with a WHERE on
the age, so a run can be interrupted at any time.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time

import pymysql

log = logging.getLogger("retention")

BATCH = 2000
PAUSE = 0.2

STEPS = [
    ("anonymise old tickets",
     "UPDATE tickets SET requester_email = CONCAT('anon+', id, '@invalid'), requester_name = 'anonymised',"
     " body = '[removed under retention policy]', anonymised_at = NOW()"
     " WHERE closed_at < NOW() - INTERVAL 3 YEAR AND anonymised_at IS NULL LIMIT %s"),
    ("delete attachments of anonymised tickets",
     "DELETE FROM ticket_attachments WHERE ticket_id IN (SELECT id FROM (SELECT id FROM tickets"
     " WHERE anonymised_at IS NOT NULL) t) LIMIT %s"),
    ("delete old chat transcripts",
     "DELETE FROM chat_transcripts WHERE ended_at < NOW() - INTERVAL 18 MONTH LIMIT %s"),
    ("delete expired password reset tokens",
     "DELETE FROM password_resets WHERE expires_at < NOW() LIMIT %s"),
]


def run_step(conn, name: str, sql: str, dry_run: bool) -> int:
    total = 0
    with conn.cursor() as cur:
        if dry_run:
            count_sql = "SELECT COUNT(*) FROM (" + sql.replace("LIMIT %s", "").split(" WHERE ", 1)[0]
            log.info("[dry-run] %s: would run %s", name, sql % BATCH)
            return 0
        while True:
            affected = cur.execute(sql, (BATCH,))
            conn.commit()
            total += affected
            if affected < BATCH:
                break
            time.sleep(PAUSE)
    log.info("%s: %d rows", name, total)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--only", choices=[s[0] for s in STEPS])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    conn = pymysql.connect(host=os.environ.get("SUPPORT_DB_HOST", "support-db.internal"), user="retention",
                           password=os.environ.get("SUPPORT_DB_PASSWORD", ""), database="support")
    try:
        for name, sql in STEPS:
            if args.only and name != args.only:
                continue
            run_step(conn, name, sql, args.dry_run)
    finally:
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
