"""Airflow task: rebuild the daily_sales reporting table from the orders API extract."""
from datetime import datetime, timedelta

import pandas as pd
from airflow import DAG
from airflow.operators.python import PythonOperator
from airflow.providers.postgres.hooks.postgres import PostgresHook

default_args = {"owner": "data-eng", "retries": 2, "retry_delay": timedelta(minutes=5)}


def build_daily_sales(ds, **_):
    hook = PostgresHook(postgres_conn_id="reporting_db")
    engine = hook.get_sqlalchemy_engine()
    orders = pd.read_parquet(f"/data/extracts/orders/{ds}.parquet")
    orders["order_date"] = pd.to_datetime(orders["created_at"]).dt.date
    daily = (orders.groupby(["order_date", "region"])
                   .agg(revenue=("amount", "sum"), orders=("order_id", "nunique"))
                   .reset_index())
    # expect: destructive
    daily.to_sql("daily_sales", engine, schema="reporting", if_exists="replace", index=False)


with DAG(
    dag_id="daily_sales_rebuild",
    default_args=default_args,
    start_date=datetime(2024, 1, 1),
    schedule_interval="@daily",
    catchup=False,
) as dag:
    PythonOperator(task_id="build_daily_sales", python_callable=build_daily_sales)
