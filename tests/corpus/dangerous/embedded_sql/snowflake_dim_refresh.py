"""Refresh the customer dimension in Snowflake.

Called by the Airflow DAG `warehouse_daily` after the raw loads finish.
"""
from __future__ import annotations

import logging
import os
from contextlib import closing

import snowflake.connector

log = logging.getLogger(__name__)

CONN_ARGS = dict(
    account=os.environ.get("SNOWFLAKE_ACCOUNT", "acme-eu1"),
    user=os.environ.get("SNOWFLAKE_USER", "TRANSFORMER"),
    password=os.environ.get("SNOWFLAKE_PASSWORD"),
    warehouse="TRANSFORM_WH",
    database="ANALYTICS",
    role="TRANSFORMER",
)

STAGING_SQL = """
CREATE TEMPORARY TABLE stg_customers AS
SELECT c.id AS customer_id,
       lower(trim(c.email)) AS email,
       initcap(c.first_name) || ' ' || initcap(c.last_name) AS full_name,
       c.country_code,
       c.created_at,
       row_number() OVER (PARTITION BY lower(trim(c.email)) ORDER BY c.updated_at DESC) AS rn
FROM raw.shop.customers c
WHERE c._fivetran_deleted = false
"""

DIM_SQL = """
CREATE OR REPLACE TABLE analytics.core.dim_customers AS
SELECT s.customer_id,
       s.email,
       s.full_name,
       s.country_code,
       g.region,
       s.created_at,
       coalesce(o.first_order_at, NULL) AS first_order_at,
       coalesce(o.lifetime_orders, 0) AS lifetime_orders
FROM stg_customers s
LEFT JOIN analytics.ref.countries g ON g.code = s.country_code
LEFT JOIN (
    SELECT customer_id, min(ordered_at) AS first_order_at, count(*) AS lifetime_orders
    FROM analytics.core.fct_orders GROUP BY customer_id
) o ON o.customer_id = s.customer_id
WHERE s.rn = 1
"""

CHECKS = {
    "no duplicate ids": "SELECT count(*) - count(DISTINCT customer_id) FROM analytics.core.dim_customers",
    "no null emails": "SELECT count(*) FROM analytics.core.dim_customers WHERE email IS NULL",
}


def run_checks(cur) -> list[str]:
    failures = []
    for name, sql in CHECKS.items():
        cur.execute(sql)
        (bad,) = cur.fetchone()
        if bad:
            failures.append(f"{name}: {bad}")
    return failures


def refresh() -> None:
    with closing(snowflake.connector.connect(**CONN_ARGS)) as conn, closing(conn.cursor()) as cur:
        cur.execute("ALTER SESSION SET QUERY_TAG = 'dim_customers_refresh'")
        cur.execute(STAGING_SQL)
        cur.execute("SELECT count(*) FROM stg_customers WHERE rn = 1")
        log.info("%d distinct customers staged", cur.fetchone()[0])
        # expect: destructive
        cur.execute(DIM_SQL)
        failures = run_checks(cur)
        if failures:
            raise RuntimeError("dim_customers checks failed: " + "; ".join(failures))
        log.info("dim_customers refreshed")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    refresh()
