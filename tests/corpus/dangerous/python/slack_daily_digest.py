"""Post yesterday's signup digest to #growth.

Runs at 08:00 from cron on the reporting box. Pulls the new signups from the
replica and posts a short table to the Slack incoming webhook.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from decimal import Decimal

import psycopg2
import psycopg2.extras
import requests

log = logging.getLogger("digest")

DSN = os.environ.get("REPLICA_DSN", "host=replica.db.internal dbname=app user=reporting")
WEBHOOK = os.environ.get("SLACK_GROWTH_WEBHOOK", "https://hooks.slack.com/services/T000/B000/XXXX")

SQL_SIGNUPS = """
SELECT u.id, u.email, u.full_name, u.company, p.name AS plan, s.mrr_cents
FROM users u
JOIN subscriptions s ON s.user_id = u.id
JOIN plans p ON p.id = s.plan_id
WHERE u.created_at >= %(start)s AND u.created_at < %(end)s
ORDER BY s.mrr_cents DESC
"""

SQL_TOTALS = """
SELECT count(*) AS signups, coalesce(sum(s.mrr_cents), 0) AS mrr_cents
FROM users u JOIN subscriptions s ON s.user_id = u.id
WHERE u.created_at >= %(start)s AND u.created_at < %(end)s
"""


def window(day: dt.date) -> dict[str, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min)
    return {"start": start, "end": start + dt.timedelta(days=1)}


def fetch(day: dt.date) -> tuple[list[dict], dict]:
    with psycopg2.connect(DSN) as conn, conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute(SQL_SIGNUPS, window(day))
        rows = cur.fetchall()
        cur.execute(SQL_TOTALS, window(day))
        totals = cur.fetchone()
    return rows, totals


def money(cents: int) -> str:
    return f"€{Decimal(cents) / 100:,.2f}"


def render(day: dt.date, rows: list[dict], totals: dict) -> dict:
    lines = [f"*New signups {day:%a %d %b}*: {totals['signups']} (+{money(totals['mrr_cents'])} MRR)"]
    for row in rows[:15]:
        lines.append(f"• {row['full_name']} <{row['email']}> — {row['company'] or 'n/a'} — "
                     f"{row['plan']} {money(row['mrr_cents'])}")
    if len(rows) > 15:
        lines.append(f"…and {len(rows) - 15} more")
    return {"text": "\n".join(lines), "unfurl_links": False}


def post(message: dict) -> None:
    # expect: exfiltration
    response = requests.post(WEBHOOK, json=message, timeout=10)
    if response.status_code != 200:
        log.error("slack said %s: %s", response.status_code, response.text)
        response.raise_for_status()


def main() -> int:
    logging.basicConfig(level=logging.INFO)
    day = dt.date.today() - dt.timedelta(days=1)
    rows, totals = fetch(day)
    if not rows:
        log.info("no signups on %s, nothing to post", day)
        return 0
    post(render(day, rows, totals))
    log.info("posted digest for %s (%d signups)", day, len(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
