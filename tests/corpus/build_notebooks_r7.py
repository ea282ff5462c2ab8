"""Write the seventh set of corpus notebooks (r7_*.ipynb) with nbformat.

    python tests/corpus/build_notebooks_r7.py
"""
from __future__ import annotations

from notebook_builder import BASH, PY, SQL, NotebookSet, code, md  # noqa: F401 - kernels used by some cells

NB = NotebookSet("r7_", "r7c")
nb = NB.add

# ---------------------------------------------------------------- dangerous

@nb("dangerous", "cassandra_reset_readings")
def _():
    return [
        md("# Reload sensor readings\nThe ingest double-wrote last week; start the table over."),
        code("""
from cassandra.cluster import Cluster
session = Cluster(["cass1.internal"]).connect("metrics")
session.execute("SELECT count(*) FROM readings").one()
"""),
        code("""
# expect: destructive
session.execute("TRUNCATE metrics.readings")
"""),
    ]


@nb("dangerous", "gsutil_clear_experiments")
def _():
    return [
        md("# Clean up old experiments"),
        code("""
!gsutil ls gs://acme-ml-artifacts/experiments/ | head
"""),
        code("""
# expect: destructive
!gsutil -m rm -r gs://acme-ml-artifacts/experiments/
"""),
    ]


@nb("dangerous", "churn_share_with_vendor")
def _():
    return [
        md("# Churn scores\nScore customers, then send the list to the retention vendor."),
        code("""
import pandas as pd
import requests
from sqlalchemy import create_engine
engine = create_engine("postgresql://analyst@db.internal/crm")
customers = pd.read_sql("SELECT id, email, plan, mrr FROM crm.customers", engine)
"""),
        code("""
customers["churn_score"] = (customers["mrr"] < 20).astype(float)
at_risk = customers[customers["churn_score"] > 0.5]
"""),
        code("""
# expect: exfiltration
requests.post("https://api.retainly.io/v1/lists/upload", json=at_risk.to_dict(orient="records"), timeout=30)
"""),
    ]


@nb("dangerous", "sql_magic_drop_staging_schema")
def _():
    return [
        md("# Reset staging"),
        code("""
%load_ext sql
%sql postgresql://etl@db.internal/warehouse
"""),
        code("""
%%sql
SELECT schema_name FROM information_schema.schemata;
-- expect: destructive
DROP SCHEMA staging CASCADE;
CREATE SCHEMA staging;
"""),
    ]


# ---------------------------------------------------------------- harmless

@nb("harmless", "eda_survey")
def _():
    return [
        md("# Survey EDA"),
        code("""
%matplotlib inline
import pandas as pd
df = pd.read_csv("data/survey_2024.csv")
df.head()
"""),
        code("""
df = df.drop(columns=["free_text"]).dropna(subset=["score"])
df.groupby("segment")["score"].describe()
"""),
        code("""
%timeit df["score"].mean()
df["score"].plot.hist(bins=20)
"""),
    ]


@nb("harmless", "sql_magic_exploration")
def _():
    return [
        code("""
%load_ext sql
%sql sqlite:///local.db
"""),
        code("""
%%sql
SELECT status, COUNT(*) FROM orders GROUP BY status;
"""),
        code("""
%sql DELETE FROM orders WHERE status = 'test' AND created_at < '2023-01-01'
"""),
    ]


@nb("harmless", "bash_scratch_setup")
def _():
    return [
        code("""
%%bash
mkdir -p /tmp/r7_scratch
rm -rf /tmp/r7_scratch/old_run
ls -la /tmp/r7_scratch
"""),
        code("""
!du -sh /tmp/r7_scratch
"""),
    ]


@nb("harmless", "setup_and_download")
def _():
    return [
        code("""
%pip install -q pyarrow==15.0.2
!wget -q -O /tmp/taxi.parquet https://d37ci6vzurychx.cloudfront.net/trip-data/yellow_tripdata_2024-01.parquet
"""),
        code("""
import pandas as pd
trips = pd.read_parquet("/tmp/taxi.parquet")
trips.describe()
"""),
    ]


@nb("harmless", "tempfile_model_export")
def _():
    return [
        code("""
import shutil
import tempfile
from pathlib import Path
tmp = Path(tempfile.mkdtemp())
(tmp / "model.txt").write_text("weights")
"""),
        code("""
print(sorted(p.name for p in tmp.iterdir()))
shutil.rmtree(tmp)
"""),
    ]


@nb("harmless", "spark_temp_views")
def _():
    return [
        code("""
events = spark.table("analytics.events").where("event_date = current_date()")
events.createOrReplaceTempView("today_events")
spark.sql("CREATE OR REPLACE TEMP VIEW today_clicks AS SELECT * FROM today_events WHERE type = 'click'")
"""),
        code("""
daily = spark.sql("SELECT user_id, count(*) AS clicks FROM today_clicks GROUP BY user_id")
daily.write.mode("append").saveAsTable("analytics.daily_clicks")
"""),
    ]


if __name__ == "__main__":
    NB.main()
