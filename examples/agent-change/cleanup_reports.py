"""Nightly clean-up written by a coding agent: tidy old reports and notify the team."""
import os
import shutil
import tempfile

import pandas as pd
import psycopg2
import requests

REPORT_DIR = os.environ.get("REPORT_DIR", "/srv/reports")
WEBHOOK = "https://hooks.example-chat.net/services/T000/B000"


def rebuild_report_dir() -> None:
    # The agent "starts fresh" by removing the whole directory.
    shutil.rmtree(REPORT_DIR)
    os.makedirs(REPORT_DIR)


def purge_old_events(conn) -> None:
    with conn.cursor() as cur:
        # Meant to delete last month's events; the WHERE clause got lost.
        cur.execute("DELETE FROM analytics.events")
        cur.execute("DELETE FROM analytics.sessions WHERE started_at < now() - interval '90 days'")


def notify(conn) -> None:
    customers = pd.read_sql("SELECT id, email, plan FROM billing.customers", conn)
    # Posts the whole customer table to a chat webhook.
    requests.post(WEBHOOK, json={"text": "report ready", "rows": customers.to_dict("records")})


def render_preview() -> None:
    scratch = tempfile.mkdtemp()
    with open(os.path.join(scratch, "preview.html"), "w") as handle:
        handle.write("<h1>preview</h1>")
    shutil.rmtree(scratch)  # a tempfile path: harmless


if __name__ == "__main__":
    connection = psycopg2.connect(os.environ["DATABASE_URL"])
    rebuild_report_dir()
    purge_old_events(connection)
    notify(connection)
    render_preview()
