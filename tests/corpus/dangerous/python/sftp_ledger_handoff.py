"""Hand the monthly ledger extract to the external accountants.

Exports the general ledger for the previous month to CSV, then uploads it over
SFTP to the accountants' server. Credentials come from the environment.
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import logging
import os
import sys
from pathlib import Path

import paramiko
import psycopg2

log = logging.getLogger("ledger-handoff")

DSN = os.environ["LEDGER_DSN"]
SFTP_HOST = "sftp.hartmann-steuerberatung.de"
SFTP_USER = os.environ.get("ACCOUNTANTS_SFTP_USER", "acme")
SFTP_KEY = os.path.expanduser(os.environ.get("ACCOUNTANTS_SFTP_KEY", "~/.ssh/accountants_ed25519"))
OUT_DIR = Path(os.environ.get("LEDGER_OUT", "exports/ledger"))


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    first = today.replace(day=1)
    end = first
    start = (first - dt.timedelta(days=1)).replace(day=1)
    return start, end


def export_ledger(start: dt.date, end: dt.date) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"ledger_{start:%Y_%m}.csv.gz"
    with psycopg2.connect(DSN) as conn, conn.cursor(name="ledger") as cur:
        cur.itersize = 10_000
        cur.execute(
            """
            SELECT e.entry_id, e.booked_at, a.number AS account, a.name AS account_name,
                   e.debit_cents, e.credit_cents, e.currency, e.memo, c.vat_id, c.legal_name
            FROM ledger.entries e
            JOIN ledger.accounts a ON a.id = e.account_id
            LEFT JOIN crm.companies c ON c.id = e.counterparty_id
            WHERE e.booked_at >= %s AND e.booked_at < %s
            ORDER BY e.booked_at, e.entry_id
            """,
            (start, end),
        )
        with gzip.open(path, "wt", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, delimiter=";")
            writer.writerow([d.name for d in cur.description or []])
            rows = 0
            for row in cur:
                writer.writerow(row)
                rows += 1
    log.info("exported %d ledger rows to %s", rows, path)
    return path


def upload(path: Path) -> None:
    key = paramiko.Ed25519Key.from_private_key_file(SFTP_KEY)
    transport = paramiko.Transport((SFTP_HOST, 22))
    try:
        transport.connect(username=SFTP_USER, pkey=key)
        sftp = paramiko.SFTPClient.from_transport(transport)
        assert sftp is not None
        remote = f"/incoming/acme/{path.name}"
        # expect: exfiltration
        sftp.put(str(path), remote)
        log.info("uploaded %s to %s:%s", path.name, SFTP_HOST, remote)
        sftp.close()
    finally:
        transport.close()


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    start, end = previous_month(dt.date.today())
    path = export_ledger(start, end)
    upload(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
