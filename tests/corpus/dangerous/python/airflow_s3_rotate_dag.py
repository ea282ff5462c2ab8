from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.operators.python import PythonOperator

default_args = {
    "owner": "data-eng",
    "retries": 1,
    "retry_delay": timedelta(minutes=5),
}

RAW_BUCKET = "s3://acme-raw-events"


def _log_done(**context):
    print("rotation finished for", context["ds"])


with DAG(
    dag_id="raw_events_rotation",
    start_date=datetime(2024, 1, 1),
    schedule="@weekly",
    catchup=False,
    default_args=default_args,
    tags=["maintenance"],
) as dag:
    snapshot = BashOperator(
        task_id="snapshot_manifest",
        bash_command=f"aws s3 ls {RAW_BUCKET}/events/ --recursive > /tmp/manifest_{{{{ ds_nodash }}}}.txt",
    )

    # expect: destructive
    clear_raw = BashOperator(
        task_id="clear_raw_events",
        bash_command=f"aws s3 rm {RAW_BUCKET}/events/ --recursive",
    )

    done = PythonOperator(task_id="log_done", python_callable=_log_done)

    snapshot >> clear_raw >> done
