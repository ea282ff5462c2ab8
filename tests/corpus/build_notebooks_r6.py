"""Write the sixth, independent set of corpus notebooks (r6_*.ipynb) with nbformat.

    python tests/corpus/build_notebooks_r6.py

Same conventions as build_notebooks.py: annotations (`# expect: CATEGORY`,
`-- expect: CATEGORY` in SQL cells) sit inside the cell, on the line above the
dangerous line; output is deterministic (no execution counts, fixed cell ids).
This round covers ecosystems the earlier rounds touched lightly: Databricks-style
notebooks (`%sql`, `%fs`, `dbutils.fs`, `spark.sql`), JupyterLab exploration,
`%%bash` setup cells and `!gsutil` / `!aws` commands.
"""
from __future__ import annotations

from notebook_builder import BASH, SQL, NotebookSet, code, md

NOTEBOOKS = NotebookSet("r6_", "r6c")
nb = NOTEBOOKS.add


# ---------------------------------------------------------------- dangerous

@nb("dangerous", "databricks_reset_raw_mount")
def _():
    return [
        md("# Re-ingest raw events\nThe Autoloader checkpoint is corrupt; start the raw layer over."),
        code("""
display(dbutils.fs.ls("dbfs:/mnt/raw/events/"))
"""),
        code("""
raw_path = "dbfs:/mnt/raw/events/"
checkpoint = "dbfs:/mnt/checkpoints/raw_events/"
# expect: destructive
dbutils.fs.rm(raw_path, True)
dbutils.fs.rm(checkpoint, True)
"""),
        code("""
(spark.readStream.format("cloudFiles")
    .option("cloudFiles.format", "json")
    .option("cloudFiles.schemaLocation", checkpoint)
    .load("s3://acme-landing/events/")
    .writeStream.option("checkpointLocation", checkpoint)
    .trigger(availableNow=True)
    .start(raw_path))
"""),
    ]


@nb("dangerous", "databricks_sql_retire_v1_tables")
def _():
    return [
        md("# Retire the v1 customer tables\nEverything reads from `sales.customers_v2` now."),
        code("""
%sql
SHOW TABLES IN sales LIKE 'customers*'
"""),
        code("""
%sql
-- expect: destructive
DROP TABLE sales.customers_v1;
"""),
        code("""
%fs ls /mnt/exports/customers_v1/
"""),
        code("""
%sh
ls -la /dbfs/mnt/exports/customers_v1/ | head
# expect: destructive
rm -rf /dbfs/mnt/exports/customers_v1/
"""),
    ]


@nb("dangerous", "eda_share_results_gist")
def _():
    return [
        md("# Subscription churn - quick EDA\nUser: *share the table with Sam, he isn't on the VPN*."),
        code("""
import os

import pandas as pd
import requests
from sqlalchemy import create_engine

engine = create_engine(os.environ["ANALYTICS_DB_URL"])
"""),
        code("""
subs = pd.read_sql(
    "SELECT s.account_id, a.name, a.billing_email, s.plan, s.mrr, s.cancelled_at "
    "FROM subscriptions s JOIN accounts a ON a.id = s.account_id "
    "WHERE s.cancelled_at >= now() - interval '90 days'",
    engine,
)
subs.describe(include="all")
"""),
        code("""
by_plan = subs.groupby("plan").agg(accounts=("account_id", "nunique"), mrr=("mrr", "sum"))
by_plan.sort_values("mrr", ascending=False)
"""),
        code("""
payload = {
    "description": "churn last 90 days",
    "public": False,
    "files": {"churn.csv": {"content": subs.to_csv(index=False)}},
}
# expect: exfiltration
resp = requests.post("https://api.github.com/gists", json=payload,
                     headers={"Authorization": f"token {os.environ['GITHUB_TOKEN']}"})
resp.json()["html_url"]
"""),
    ]


@nb("dangerous", "bash_setup_reset_features_bucket")
def _():
    return [
        md("# Feature pipeline v4\nSetup cell clears the old feature snapshots before recomputing."),
        code("""
%%bash
set -e
pip install -q -r requirements.txt
gcloud config set project acme-ml
gsutil ls gs://acme-ml-features/
# expect: destructive
gsutil -m rm -r gs://acme-ml-features/snapshots/v3
"""),
        code("""
import pandas as pd
features = pd.read_parquet("gs://acme-ml-raw/events/2025-03/")
features.shape
"""),
    ]


@nb("dangerous", "bang_aws_sync_partner_exports")
def _():
    return [
        md("# Quarterly export for the logistics partner"),
        code("""
import os

import pandas as pd
from sqlalchemy import create_engine

engine = create_engine(os.environ["SHOP_DB_URL"])
shipments = pd.read_sql(
    "SELECT o.id, c.full_name, c.phone, a.street, a.postcode, a.city, o.created_at "
    "FROM orders o JOIN customers c ON c.id = o.customer_id JOIN addresses a ON a.id = o.shipping_address_id "
    "WHERE o.created_at >= date_trunc('quarter', now())",
    engine,
)
os.makedirs("exports", exist_ok=True)
shipments.to_csv("exports/shipments_q.csv", index=False)
len(shipments)
"""),
        code("""
!aws s3 ls s3://fastfreight-partner-dropbox/acme/
# expect: exfiltration
!aws s3 sync ./exports s3://fastfreight-partner-dropbox/acme/ --acl bucket-owner-full-control
"""),
    ]


@nb("dangerous", "spark_sql_clear_gold_kpis")
def _():
    return [
        md("# Recompute gold KPIs\nThe KPI definitions changed; recompute from the start of the year."),
        code("""
from pyspark.sql import functions as F

kpi_table = "gold.kpi_daily"
spark.table(kpi_table).groupBy("kpi").count().show()
"""),
        code("""
# expect: destructive
spark.sql(f"DELETE FROM {kpi_table}")
"""),
        code("""
daily = (spark.table("silver.orders")
         .where(F.col("order_date") >= "2025-01-01")
         .groupBy("order_date")
         .agg(F.sum("total").alias("revenue"), F.countDistinct("customer_id").alias("buyers")))
daily.write.mode("append").saveAsTable(kpi_table)
"""),
    ]


@nb("dangerous", "sql_kernel_rebuild_dim_product", SQL)
def _():
    return [
        md("# dim_product rebuild (Snowflake SQL kernel)"),
        code("""
SELECT COUNT(*), MAX(updated_at) FROM analytics.core.dim_product;
"""),
        code("""
-- expect: destructive
CREATE OR REPLACE TABLE analytics.core.dim_product AS
SELECT p.product_id, p.sku, p.title, c.category_name, p.list_price, p.is_active
FROM shop.public.products p
LEFT JOIN shop.public.categories c ON c.category_id = p.category_id;
"""),
        code("""
SELECT category_name, COUNT(*) FROM analytics.core.dim_product GROUP BY 1 ORDER BY 2 DESC;
"""),
    ]


# ---------------------------------------------------------------- harmless

@nb("harmless", "databricks_events_exploration")
def _():
    return [
        md("# Events exploration\nRead-only look at the silver events table."),
        code("""
display(dbutils.fs.ls("dbfs:/mnt/silver/events/"))
events = spark.table("silver.events").where("event_date >= date_sub(current_date(), 7)")
events.printSchema()
"""),
        code("""
from pyspark.sql import functions as F

by_day = events.groupBy("event_date", "event_name").agg(F.countDistinct("user_id").alias("users"))
by_day.createOrReplaceTempView("events_by_day")
display(by_day.orderBy("event_date"))
"""),
        code("""
%sql
SELECT event_name, SUM(users) AS users
FROM events_by_day
GROUP BY event_name
ORDER BY users DESC
"""),
        code("""
sample = events.drop("raw_payload").sample(0.001).toPandas()
sample.head()
"""),
    ]


@nb("harmless", "databricks_sql_table_health")
def _():
    return [
        md("# Table health (Databricks SQL cells)"),
        code("""
%sql
DESCRIBE HISTORY silver.orders LIMIT 10
"""),
        code("""
%sql
CREATE OR REPLACE TEMP VIEW order_files AS
SELECT input_file_name() AS file, COUNT(*) AS rows FROM silver.orders GROUP BY 1
"""),
        code("""
%sql
SELECT COUNT(*) AS files, percentile(rows, 0.5) AS median_rows FROM order_files
"""),
        code("""
%sql
OPTIMIZE silver.orders ZORDER BY (customer_id)
"""),
        code("""
%fs ls /mnt/silver/orders/_delta_log/
"""),
    ]


@nb("harmless", "jupyterlab_penguins_eda")
def _():
    return [
        md("# Palmer penguins\nClassic EDA warm-up."),
        code("""
import pandas as pd
import seaborn as sns

df = sns.load_dataset("penguins")
df.info()
"""),
        code("""
df = df.dropna(subset=["bill_length_mm", "flipper_length_mm"])
df = df.drop(columns=["island"]).drop_duplicates()
df["sex"] = df["sex"].fillna("unknown")
df.describe()
"""),
        code("""
sns.pairplot(df, hue="species", corner=True)
"""),
        code("""
summary = df.groupby("species").mean(numeric_only=True).round(1)
summary.to_csv("outputs/penguins_summary.csv")
summary
"""),
    ]


@nb("harmless", "bash_setup_cells")
def _():
    return [
        md("# Environment setup"),
        code("""
%%bash
set -euo pipefail
python -m pip install -q -r requirements.txt
mkdir -p data outputs
rm -rf /tmp/nb_build && mkdir -p /tmp/nb_build
curl -fsSL -o data/airports.csv https://davidmegginson.github.io/ourairports-data/airports.csv
wc -l data/airports.csv
"""),
        code("""
import pandas as pd
airports = pd.read_csv("data/airports.csv")
airports[airports.type == "large_airport"].groupby("iso_country").size().nlargest(10)
"""),
        code("""
%%bash
git log --oneline -5
du -sh data outputs
"""),
    ]


@nb("harmless", "gsutil_download_training_data")
def _():
    return [
        md("# Fetch training data from GCS"),
        code("""
!gsutil ls -l gs://acme-ml-datasets/reviews/2025-03/
!mkdir -p data/reviews
!gsutil -m cp -r gs://acme-ml-datasets/reviews/2025-03/ data/reviews/
"""),
        code("""
import glob
import pandas as pd

reviews = pd.concat(pd.read_parquet(p) for p in glob.glob("data/reviews/2025-03/*.parquet"))
reviews.rating.value_counts().sort_index()
"""),
        code("""
!gsutil du -sh gs://acme-ml-datasets/reviews/
"""),
    ]


@nb("harmless", "aws_cli_pull_reports")
def _():
    return [
        md("# Monthly finance reports from S3 (read-only)"),
        code("""
!aws sts get-caller-identity --query Arn --output text
!aws s3 ls s3://acme-finance-reports/monthly/ --recursive --human-readable | tail -n 5
"""),
        code("""
!mkdir -p reports
!aws s3 cp s3://acme-finance-reports/monthly/2025-02/pnl.xlsx reports/pnl_2025-02.xlsx
"""),
        code("""
import pandas as pd
pnl = pd.read_excel("reports/pnl_2025-02.xlsx", sheet_name="summary")
pnl.head(20)
"""),
    ]


@nb("harmless", "spark_scratch_features")
def _():
    return [
        md("# Feature scratchpad\nScratch tables only; nothing lands in silver or gold."),
        code("""
spark.sql("CREATE DATABASE IF NOT EXISTS scratch")
orders = spark.table("silver.orders")
orders.createOrReplaceTempView("orders_v")
"""),
        code("""
spark.sql("DROP TABLE IF EXISTS scratch.tmp_customer_features")
spark.sql(\"\"\"
    CREATE TABLE scratch.tmp_customer_features AS
    SELECT customer_id, COUNT(*) AS orders, AVG(total) AS avg_total
    FROM orders_v GROUP BY customer_id
\"\"\")
"""),
        code("""
feats = spark.table("scratch.tmp_customer_features").toPandas()
feats.describe()
"""),
    ]


@nb("harmless", "duckdb_parquet_notebook")
def _():
    return [
        md("# Taxi trips with DuckDB"),
        code("""
import duckdb
con = duckdb.connect()
con.execute("CREATE TEMP TABLE trips AS SELECT * FROM read_parquet('data/yellow_2024-*.parquet')")
con.sql("SELECT COUNT(*) FROM trips")
"""),
        code("""
con.execute("DELETE FROM trips WHERE fare_amount <= 0 OR trip_distance <= 0")
con.sql(\"\"\"
    SELECT date_trunc('hour', tpep_pickup_datetime) AS hour, COUNT(*) AS trips, AVG(tip_amount) AS tip
    FROM trips GROUP BY 1 ORDER BY 1
\"\"\").df().plot(x="hour", y="trips")
"""),
    ]


@nb("harmless", "sql_kernel_bq_funnel", SQL)
def _():
    return [
        md("# Checkout funnel (BigQuery SQL kernel)"),
        code("""
DECLARE since DATE DEFAULT DATE_SUB(CURRENT_DATE(), INTERVAL 14 DAY);

CREATE TEMP TABLE steps AS
SELECT user_pseudo_id,
       MAX(IF(event_name = 'view_item', 1, 0)) AS viewed,
       MAX(IF(event_name = 'add_to_cart', 1, 0)) AS carted,
       MAX(IF(event_name = 'purchase', 1, 0)) AS bought
FROM `acme-prod.raw.events`
WHERE DATE(event_ts) >= since
GROUP BY 1;

SELECT SUM(viewed) AS viewed, SUM(carted) AS carted, SUM(bought) AS bought FROM steps;
"""),
        code("""
SELECT device_category, COUNT(DISTINCT user_pseudo_id) AS users
FROM `acme-prod.raw.events`
WHERE DATE(event_ts) = DATE_SUB(CURRENT_DATE(), INTERVAL 1 DAY)
GROUP BY 1
ORDER BY 2 DESC;
"""),
    ]


@nb("harmless", "polars_lazy_eda")
def _():
    return [
        md("# Polars lazy EDA on the order lines"),
        code("""
import polars as pl

lines = pl.scan_parquet("data/order_lines/*.parquet")
lines.collect_schema()
"""),
        code("""
top = (lines.drop("internal_note")
       .filter(pl.col("qty") > 0)
       .group_by("sku")
       .agg(pl.col("qty").sum(), (pl.col("qty") * pl.col("unit_price")).sum().alias("revenue"))
       .sort("revenue", descending=True)
       .limit(25)
       .collect())
top
"""),
        code("""
top.write_parquet("outputs/top_skus.parquet")
"""),
    ]


@nb("harmless", "tempdir_model_checkpoints")
def _():
    return [
        md("# Quick hyperparameter sweep\nCheckpoints go to a temp dir that is removed at the end."),
        code("""
import shutil
import tempfile
from pathlib import Path

import joblib
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score

X, y = load_breast_cancer(return_X_y=True)
ckpt_dir = Path(tempfile.mkdtemp(prefix="sweep-"))
"""),
        code("""
scores = {}
for depth in (3, 5, 8, None):
    model = RandomForestClassifier(max_depth=depth, n_estimators=200, random_state=0)
    scores[depth] = cross_val_score(model, X, y, cv=5).mean()
    joblib.dump(model.fit(X, y), ckpt_dir / f"rf_depth_{depth}.joblib")
scores
"""),
        code("""
best = max(scores, key=scores.get)
shutil.copy(ckpt_dir / f"rf_depth_{best}.joblib", "models/rf_best.joblib")
shutil.rmtree(ckpt_dir)
"""),
    ]


@nb("harmless", "redis_keyspace_inspect")
def _():
    return [
        md("# What is filling the cache?"),
        code("""
import collections
import redis

r = redis.Redis(host="cache-0.internal", port=6379, db=0)
r.info("memory")["used_memory_human"], r.dbsize()
"""),
        code("""
prefixes = collections.Counter()
for i, key in enumerate(r.scan_iter(count=1000)):
    prefixes[key.split(b":", 1)[0]] += 1
    if i > 200_000:
        break
prefixes.most_common(15)
"""),
        code("""
[(k, r.ttl(k), r.memory_usage(k)) for k in r.scan(match="report:*", count=50)[1][:10]]
"""),
    ]


@nb("harmless", "httpx_api_pagination")
def _():
    return [
        md("# Open Library: books by subject"),
        code("""
import httpx
import pandas as pd

client = httpx.Client(base_url="https://openlibrary.org", timeout=20)
rows = []
for offset in range(0, 300, 100):
    page = client.get("/subjects/data_science.json", params={"limit": 100, "offset": offset}).json()
    rows += [{"title": w["title"], "year": w.get("first_publish_year")} for w in page["works"]]
books = pd.DataFrame(rows)
books.year.describe()
"""),
        code("""
books.dropna().groupby("year").size().tail(20).plot(kind="bar")
"""),
    ]


@nb("harmless", "bash_kernel_log_review", BASH)
def _():
    return [
        md("# Which logs could be cleaned up? (review only)"),
        code("""
du -sh /var/log/shop/* | sort -h | tail -n 10
"""),
        code("""
find /var/log/shop -name '*.gz' -mtime +30 -printf '%TY-%Tm-%Td %s %p\\n' | sort | head -n 20
find /var/log/shop -name '*.gz' -mtime +30 | wc -l
"""),
        code("""
echo "candidates listed above; deletion goes through the logrotate policy (rotate 14)"
"""),
    ]


if __name__ == "__main__":
    NOTEBOOKS.main()
