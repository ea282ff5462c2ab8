from datetime import datetime

from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator

with DAG(
    dag_id="daily_orders_load",
    start_date=datetime(2024, 3, 1),
    schedule="0 3 * * *",
    catchup=False,
) as dag:
    extract = BashOperator(
        task_id="extract",
        bash_command="python -m etl.extract_orders --date {{ ds }} --out /tmp/orders_{{ ds_nodash }}.parquet",
    )

    clear_partition = SQLExecuteQueryOperator(
        task_id="clear_partition",
        conn_id="warehouse",
        sql="DELETE FROM staging.orders WHERE load_date = '{{ ds }}'",
    )

    load = SQLExecuteQueryOperator(
        task_id="load",
        conn_id="warehouse",
        sql="INSERT INTO staging.orders SELECT * FROM landing.orders WHERE load_date = '{{ ds }}'",
    )

    dbt = BashOperator(task_id="dbt_run", bash_command="cd /opt/dbt && dbt run --select staging.orders+")

    extract >> clear_partition >> load >> dbt
