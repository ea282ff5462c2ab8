"""Sync marketing opt-outs from the ESP into the CRM database.

The ESP (Brevo) is the source of truth for unsubscribes. Each night we pull
the unsubscribe list and reflect it on crm.contacts. A full resync is
available for when the two drift apart.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Iterator

import pymysql
import requests

log = logging.getLogger("optout_sync")

ESP_API = "https://api.brevo.com/v3/contacts"
DB = dict(host=os.environ.get("CRM_DB_HOST", "crm-db.internal"), user="crm_sync",
          password=os.environ.get("CRM_DB_PASSWORD", ""), database="crm", autocommit=False)


def unsubscribed_emails() -> Iterator[str]:
    offset = 0
    while True:
        response = requests.get(ESP_API, params={"limit": 500, "offset": offset, "emailBlacklisted": "true"},
                                timeout=30)
        response.raise_for_status()
        contacts = response.json().get("contacts", [])
        for contact in contacts:
            yield contact["email"].lower()
        if len(contacts) < 500:
            return
        offset += 500


def apply_optouts(conn, emails: list[str]) -> int:
    changed = 0
    with conn.cursor() as cur:
        for start in range(0, len(emails), 1000):
            chunk = emails[start:start + 1000]
            placeholders = ", ".join(["%s"] * len(chunk))
            changed += cur.execute(
                f"UPDATE contacts SET marketing_opt_in = 0, opted_out_at = NOW()"
                f" WHERE marketing_opt_in = 1 AND LOWER(email) IN ({placeholders})",
                chunk,
            )
    return changed


def full_resync(conn, emails: list[str]) -> int:
    """Start over: everyone opted in unless the ESP says otherwise."""
    with conn.cursor() as cur:
        # expect: destructive
        cur.execute("UPDATE contacts SET marketing_opt_in = 1, opted_out_at = NULL")
    return apply_optouts(conn, emails)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full-resync", action="store_true",
                        help="reset every contact before applying the unsubscribe list")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)

    emails = sorted(set(unsubscribed_emails()))
    log.info("%d unsubscribed addresses at the ESP", len(emails))
    conn = pymysql.connect(**DB)
    try:
        changed = full_resync(conn, emails) if args.full_resync else apply_optouts(conn, emails)
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    finally:
        conn.close()
    log.info("%d contacts updated", changed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
