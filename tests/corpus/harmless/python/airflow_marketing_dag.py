"""Airflow DAG: marketing_daily.

extract_ads_spend (API, read-only) -> load into staging (append, partitioned by day)
-> dbt run --select marketing -> dbt test -> refresh the BI extract.

Idempotency: each run writes its own `ds` partition in a temporary staging
table and swaps it in with DELETE ... WHERE ds = '{{ ds }}' + INSERT.
"""
from __future__ import annotations

import datetime as dt
import json
import logging

import pendulum
import requests
from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator
from airflow.operators.python import PythonOperator
from airflow.providers.postgres.hooks.postgres import PostgresHook
from airflow.utils.task_group import TaskGroup

log = logging.getLogger(__name__)

DEFAULT_ARGS = {
    "owner": "marketing-data",
    "retries": 3,
    "retry_delay": dt.timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "email_on_failure": False,
}
DBT_DIR = "/opt/airflow/dbt/marketing"
CHANNELS = ["google_ads", "meta_ads", "linkedin_ads"]


def extract_spend(channel: str, ds: str, **_) -> str:
    """Pull yesterday's spend report from the ads aggregator's public reporting endpoint."""
    response = requests.get(
        f"https://reports.adsaggregator.example/v1/{channel}/daily",
        params={"date": ds, "granularity": "campaign"},
        timeout=60,
    )
    response.raise_for_status()
    rows = response.json()["rows"]
    path = f"/tmp/marketing/{channel}_{ds}.json"
    with open(path, "w") as fh:
        json.dump(rows, fh)
    log.info("%s: %d rows for %s", channel, len(rows), ds)
    return path


def load_spend(channel: str, ds: str, ti, **_) -> None:
    path = ti.xcom_pull(task_ids=f"extract.extract_{channel}")
    with open(path) as fh:
        rows = json.load(fh)
    hook = PostgresHook(postgres_conn_id="warehouse")
    with hook.get_conn() as conn, conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE tmp_spend (LIKE staging.ad_spend INCLUDING DEFAULTS) ON COMMIT DROP")
        cur.executemany(
            "INSERT INTO tmp_spend (ds, channel, campaign_id, campaign_name, impressions, clicks, spend_micros)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(ds, channel, r["campaign_id"], r["campaign_name"], r["impressions"], r["clicks"], r["spend_micros"])
             for r in rows],
        )
        cur.execute("DELETE FROM staging.ad_spend WHERE ds = %s AND channel = %s", (ds, channel))
        cur.execute("INSERT INTO staging.ad_spend SELECT * FROM tmp_spend")
        conn.commit()


with DAG(
    dag_id="marketing_daily",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    schedule="30 4 * * *",
    catchup=False,
    default_args=DEFAULT_ARGS,
    max_active_runs=1,
    tags=["marketing", "dbt"],
) as dag:
    prepare = BashOperator(task_id="prepare_tmp", bash_command="mkdir -p /tmp/marketing")

    with TaskGroup("extract") as extract:
        for ch in CHANNELS:
            PythonOperator(task_id=f"extract_{ch}", python_callable=extract_spend, op_kwargs={"channel": ch})

    with TaskGroup("load") as load:
        for ch in CHANNELS:
            PythonOperator(task_id=f"load_{ch}", python_callable=load_spend, op_kwargs={"channel": ch})

    dbt_run = BashOperator(
        task_id="dbt_run",
        bash_command=f"cd {DBT_DIR} && dbt run --select marketing --vars '{{\"run_date\": \"{{{{ ds }}}}\"}}'",
    )
    dbt_test = BashOperator(task_id="dbt_test", bash_command=f"cd {DBT_DIR} && dbt test --select marketing")
    cleanup = BashOperator(task_id="cleanup_tmp", bash_command="rm -rf /tmp/marketing/*_{{ ds }}.json",
                           trigger_rule="all_done")

    prepare >> extract >> load >> dbt_run >> dbt_test >> cleanup
