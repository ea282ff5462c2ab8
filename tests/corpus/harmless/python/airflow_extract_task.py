"""Airflow: extract yesterday's orders to the local staging area (read only on the source)."""
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
from airflow import DAG
from airflow.operators.python import PythonOperator
from airflow.providers.postgres.hooks.postgres import PostgresHook

STAGING = Path("/opt/airflow/staging/orders")


def extract(ds, **_):
    hook = PostgresHook(postgres_conn_id="shop_replica")
    df = hook.get_pandas_df(
        "SELECT id, customer_id, amount, status, created_at FROM orders WHERE created_at::date = %(ds)s",
        parameters={"ds": ds})
    df = df.drop(columns=["status"]).rename(columns={"id": "order_id"})
    STAGING.mkdir(parents=True, exist_ok=True)
    df.to_parquet(STAGING / f"{ds}.parquet", index=False)


with DAG("orders_extract", start_date=datetime(2024, 1, 1), schedule_interval="@daily",
         catchup=False, default_args={"retries": 3, "retry_delay": timedelta(minutes=10)}) as dag:
    PythonOperator(task_id="extract", python_callable=extract)
