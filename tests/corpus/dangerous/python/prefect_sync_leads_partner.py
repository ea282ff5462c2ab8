"""Prefect 2 flow: push new leads to the reseller's CRM every hour."""
from __future__ import annotations

import os

import httpx
import psycopg
from prefect import flow, get_run_logger, task

PARTNER_API = "https://api.resellerhub.io/v2/leads/bulk"


@task(retries=2)
def fetch_new_leads(since_hours: int = 1) -> list[dict]:
    with psycopg.connect(os.environ["CRM_DSN"]) as conn, conn.cursor() as cur:
        cur.execute(
            """
            SELECT id, full_name, email, phone, company, country, created_at::text
            FROM leads
            WHERE created_at > now() - make_interval(hours => %s)
            """,
            (since_hours,),
        )
        cols = [c.name for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]


@task(retries=3, retry_delay_seconds=30)
def push_to_partner(leads: list[dict]) -> int:
    headers = {"Authorization": f"Bearer {os.environ['RESELLERHUB_TOKEN']}"}
    # expect: exfiltration
    resp = httpx.post(PARTNER_API, json={"leads": leads}, headers=headers, timeout=30)
    resp.raise_for_status()
    return resp.json()["accepted"]


@flow(name="sync-leads-to-partner")
def sync_leads() -> None:
    logger = get_run_logger()
    leads = fetch_new_leads()
    if not leads:
        logger.info("no new leads")
        return
    accepted = push_to_partner(leads)
    logger.info("pushed %d leads, partner accepted %d", len(leads), accepted)


if __name__ == "__main__":
    sync_leads.serve(name="hourly", cron="5 * * * *")
