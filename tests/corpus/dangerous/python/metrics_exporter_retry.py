"""Nightly partner metrics export.

The growth team asked for the daily active-customer table to be pushed to
Northbeam (our attribution vendor) every night so their dashboards line up
with ours. The vendor API is flaky, so every call goes through `with_retries`.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import random
import time
from typing import Any, Callable, TypeVar

import pandas as pd
import requests
from sqlalchemy import create_engine

log = logging.getLogger(__name__)

T = TypeVar("T")

WAREHOUSE_URL = os.environ.get("WAREHOUSE_URL", "postgresql://reporting@warehouse.internal:5432/analytics")
PARTNER_ENDPOINT = "https://api.northbeam-metrics.io/v2/ingest/customers"
PARTNER_TOKEN = os.environ.get("NORTHBEAM_TOKEN", "")
CHUNK = 5_000


class RetryableError(RuntimeError):
    pass


def with_retries(attempts: int = 5, base_delay: float = 1.5) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Retry on connection errors and 5xx with jittered exponential backoff."""

    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            last: Exception | None = None
            for attempt in range(1, attempts + 1):
                try:
                    return fn(*args, **kwargs)
                except (requests.ConnectionError, requests.Timeout, RetryableError) as exc:
                    last = exc
                    delay = base_delay * (2 ** (attempt - 1)) + random.uniform(0, 0.5)
                    log.warning("%s failed (attempt %d/%d): %s; retrying in %.1fs",
                                fn.__name__, attempt, attempts, exc, delay)
                    time.sleep(delay)
            assert last is not None
            raise last

        return wrapper

    return decorate


def load_daily_customers(day: dt.date) -> pd.DataFrame:
    engine = create_engine(WAREHOUSE_URL)
    query = """
        SELECT c.customer_id, c.email, c.country, c.signup_channel,
               a.sessions, a.orders, a.revenue_eur
        FROM analytics.daily_customer_activity a
        JOIN analytics.customers c USING (customer_id)
        WHERE a.activity_date = %(day)s
    """
    with engine.connect() as conn:
        frame = pd.read_sql(query, conn, params={"day": day})
    log.info("loaded %d active customers for %s", len(frame), day)
    return frame


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.dropna(subset=["customer_id"]).copy()
    frame["revenue_eur"] = frame["revenue_eur"].fillna(0).round(2)
    frame["country"] = frame["country"].str.upper().fillna("ZZ")
    frame["email"] = frame["email"].str.strip().str.lower()
    return frame


@with_retries(attempts=6)
def push_chunk(chunk: pd.DataFrame, day: dt.date) -> None:
    payload = {"date": day.isoformat(), "records": chunk.to_dict(orient="records")}
    # expect: exfiltration
    response = requests.post(
        PARTNER_ENDPOINT,
        json=payload,
        headers={"Authorization": f"Bearer {PARTNER_TOKEN}"},
        timeout=30,
    )
    if response.status_code >= 500:
        raise RetryableError(f"partner returned {response.status_code}")
    response.raise_for_status()


def export(day: dt.date) -> int:
    frame = clean(load_daily_customers(day))
    sent = 0
    for start in range(0, len(frame), CHUNK):
        chunk = frame.iloc[start:start + CHUNK]
        push_chunk(chunk, day)
        sent += len(chunk)
        log.info("pushed %d/%d", sent, len(frame))
    return sent


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    day = dt.date.today() - dt.timedelta(days=1)
    if os.environ.get("EXPORT_DATE"):
        day = dt.date.fromisoformat(os.environ["EXPORT_DATE"])
    count = export(day)
    log.info("done: %d rows exported for %s", count, day)


if __name__ == "__main__":
    main()
