"""Harmless corpus notebooks as data: build_notebooks.py writes each one to harmless/notebooks/NAME.ipynb.

A spec is a dict: ``name``; ``cells``, a list of ``("md" | "code", text)``; optional ``kernel``
("sql" or "bash"; Python by default) and ``cell_ids`` (the prefix of the cell ids, "c" by default).
Harmless notebooks carry no annotation: each must pass with no blocked finding.
Cell texts are verbatim notebook content, so long lines stay as they are.
"""
# ruff: noqa: E501

NOTEBOOKS = [
    {
        "name": "api_pull_github",
        "cells": [
            ("code", """
import os
import requests
import pandas as pd
headers = {"Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}", "Accept": "application/vnd.github+json"}
"""),
            ("code", """
resp = requests.get("https://api.github.com/repos/acme/storefront/pulls?state=closed&per_page=100",
                    headers=headers, timeout=30)
resp.raise_for_status()
prs = pd.DataFrame(resp.json())
"""),
            ("code", """
prs["merged"] = prs["merged_at"].notna()
prs.groupby(prs["user"].map(lambda u: u["login"]))["merged"].mean().sort_values()
"""),
        ],
    },
    {
        "name": "aws_cli_pull_reports",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Monthly finance reports from S3 (read-only)"),
            ("code", """
!aws sts get-caller-identity --query Arn --output text
!aws s3 ls s3://acme-finance-reports/monthly/ --recursive --human-readable | tail -n 5
"""),
            ("code", """
!mkdir -p reports
!aws s3 cp s3://acme-finance-reports/monthly/2025-02/pnl.xlsx reports/pnl_2025-02.xlsx
"""),
            ("code", """
import pandas as pd
pnl = pd.read_excel("reports/pnl_2025-02.xlsx", sheet_name="summary")
pnl.head(20)
"""),
        ],
    },
    {
        "name": "bang_setup",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
!pip install -q polars==0.20.31 pyarrow
!ls -la data/
!head -5 data/sales.csv
"""),
            ("code", """
!git log --oneline -5
!wc -l data/*.csv
"""),
        ],
    },
    {
        "name": "bang_setup_env",
        "cell_ids": "r3c",
        "cells": [
            ("code", """
!pip install -q polars==0.20.31 pyarrow lightgbm
!python --version
"""),
            ("code", """
!git clone --depth 1 https://github.com/acme-oss/sample-datasets.git external/sample-datasets
!ls -la external/sample-datasets
!mkdir -p outputs figures
"""),
            ("code", """
!nvidia-smi || echo "no GPU"
!df -h . | tail -1
"""),
        ],
    },
    {
        "name": "bash_kernel_inspect",
        "kernel": "bash",
        "cells": [
            ("code", "kubectl get pods -n storefront\nkubectl describe deploy/api -n storefront | head -40"),
            ("code", "kubectl logs deploy/api -n storefront --since=1h | grep -c ERROR"),
            ("code", "terraform -chdir=infra/envs/prod plan -no-color | tail -20"),
        ],
    },
    {
        "name": "bash_kernel_log_review",
        "kernel": "bash",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Which logs could be cleaned up? (review only)"),
            ("code", """
du -sh /var/log/shop/* | sort -h | tail -n 10
"""),
            ("code", """
find /var/log/shop -name '*.gz' -mtime +30 -printf '%TY-%Tm-%Td %s %p\\n' | sort | head -n 20
find /var/log/shop -name '*.gz' -mtime +30 | wc -l
"""),
            ("code", """
echo "candidates listed above; deletion goes through the logrotate policy (rotate 14)"
"""),
        ],
    },
    {
        "name": "bash_kernel_repo_housekeeping",
        "kernel": "bash",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Repo housekeeping (read-only)"),
            ("code", """
git fetch --prune
git branch -r --merged origin/main | grep -v main | head -20
"""),
            ("code", """
git log --since='30 days ago' --pretty=format:'%an' | sort | uniq -c | sort -rn
git count-objects -vH
"""),
        ],
    },
    {
        "name": "bash_magic_build",
        "cells": [
            ("code", """
%%bash
set -e
python -m build --wheel
ls -l dist/
git tag --list | tail -3
echo "to clean up run: rm -rf dist build"
"""),
            ("code", "!git push origin HEAD"),
        ],
    },
    {
        "name": "bash_magic_contributors_push_branch",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
%%bash
git status --short
git log --since="30 days ago" --pretty=format:'%an' | sort | uniq -c | sort -rn | head
git push origin HEAD:refs/heads/analysis/repo-stats
"""),
        ],
    },
    {
        "name": "bash_magic_disk_usage",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Free disk space — where is it going?"),
            ("code", """
%%bash
df -h /
du -sh ~/.cache/* 2>/dev/null | sort -rh | head
du -sh data/* | sort -rh | head
"""),
            ("code", """
!docker system df
!conda clean --dry-run --all
"""),
        ],
    },
    {
        "name": "bash_magic_repo_stats",
        "cell_ids": "r3c",
        "cells": [
            ("code", """
%%bash
git log --since='3 months ago' --pretty=format:'%an' | sort | uniq -c | sort -rn | head
"""),
            ("code", """
%%bash
wc -l $(git ls-files '*.py') | tail -1
du -sh data/ models/ 2>/dev/null
grep -rn "TODO" src/ | wc -l
"""),
        ],
    },
    {
        "name": "bash_repo_stats",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Repository statistics for the architecture review"),
            ("code", """
%%bash
cd ~/src/platform
git log --since="6 months ago" --pretty=format:'%an' | sort | uniq -c | sort -rn | head -15
"""),
            ("code", """
%%bash
cd ~/src/platform
find . -name '*.py' -not -path './.venv/*' | xargs wc -l | sort -n | tail -20
"""),
            ("code", """
%%bash
cd ~/src/platform
git log --since="6 months ago" --name-only --pretty=format: | grep -v '^$' | sort | uniq -c | sort -rn | head -25
"""),
            ("code", """
%%bash
cd ~/src/platform
grep -rn "DROP TABLE\\|rm -rf\\|force" --include='*.py' --include='*.sh' . | grep -v tests/ | head -40 || true
"""),
            ("code", """
%%bash
cd ~/src/platform
git branch -r --merged origin/main | grep -v 'main$' | wc -l
git for-each-ref --sort=-committerdate refs/remotes/origin --format='%(committerdate:short) %(refname:short)' | head -20
"""),
        ],
    },
    {
        "name": "bash_scratch_setup",
        "cell_ids": "r7c",
        "cells": [
            ("code", """
%%bash
mkdir -p /tmp/r7_scratch
rm -rf /tmp/r7_scratch/old_run
ls -la /tmp/r7_scratch
"""),
            ("code", """
!du -sh /tmp/r7_scratch
"""),
        ],
    },
    {
        "name": "bash_setup_cells",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Environment setup"),
            ("code", """
%%bash
set -euo pipefail
python -m pip install -q -r requirements.txt
mkdir -p data outputs
rm -rf /tmp/nb_build && mkdir -p /tmp/nb_build
curl -fsSL -o data/airports.csv https://davidmegginson.github.io/ourairports-data/airports.csv
wc -l data/airports.csv
"""),
            ("code", """
import pandas as pd
airports = pd.read_csv("data/airports.csv")
airports[airports.type == "large_airport"].groupby("iso_country").size().nlargest(10)
"""),
            ("code", """
%%bash
git log --oneline -5
du -sh data outputs
"""),
        ],
    },
    {
        "name": "capture_env_setup",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Environment setup for the pricing analysis"),
            ("code", """
%%capture
%pip install -q pandas==2.2.2 pyarrow polars duckdb
"""),
            ("code", """
%env PRICING_DATA_DIR=data/pricing
%env POLARS_MAX_THREADS=8
%load_ext autoreload
%autoreload 2
"""),
            ("code", """
!git log --oneline -5
!git status --short
!wc -l data/pricing/*.csv
"""),
            ("code", """
import os
import polars as pl
data_dir = os.environ["PRICING_DATA_DIR"]
prices = pl.read_csv(f"{data_dir}/competitor_prices.csv", try_parse_dates=True)
prices.head()
"""),
            ("code", """
%timeit prices.group_by("sku").agg(pl.col("price").median())
"""),
            ("code", """
gaps = (prices.group_by("sku").agg(pl.col("price").min().alias("min_comp"), pl.col("our_price").first())
        .with_columns(((pl.col("our_price") - pl.col("min_comp")) / pl.col("min_comp")).alias("gap")))
gaps.sort("gap", descending=True).head(20)
"""),
            ("code", """
drop_skus = gaps.filter(pl.col("gap").is_null())["sku"].to_list()
gaps = gaps.filter(~pl.col("sku").is_in(drop_skus))
gaps.write_csv("outputs/price_gaps.csv")
"""),
        ],
    },
    {
        "name": "churn_model_training_parquet",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
import joblib
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split
df = pd.read_parquet("data/features/churn_features.parquet")
X, y = df.drop(columns=["churned"]), df["churned"]
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=0)
"""),
            ("code", """
clf = GradientBoostingClassifier().fit(Xtr, ytr)
print("accuracy", clf.score(Xte, yte))
joblib.dump(clf, "models/churn_gbc_v3.joblib")
"""),
        ],
    },
    {
        "name": "cleanup_plan_review",
        "cell_ids": "r3c",
        "cells": [
            ("md", "# Legacy table cleanup plan\nThis notebook only *lists* what would be dropped; the DBA runs the SQL after review.\n\n"
                   "```sql\nDROP TABLE legacy.orders_2019;\n```"),
            ("code", """
import pandas as pd
unused = pd.read_csv("reports/unused_tables.csv")
unused = unused[unused.last_read_days > 365]
unused[["schema", "table", "size_gb"]]
"""),
            ("code", """
statements = [f"DROP TABLE {r.schema}.{r.table};" for r in unused.itertuples()]
print("\\n".join(statements))
print(f"-- would free {unused.size_gb.sum():.1f} GB; rm -rf of the exports dir is a separate ticket")
"""),
        ],
    },
    {
        "name": "dangerous_words_docs",
        "cell_ids": "r2c",
        "cells": [
            ("md", """# Data hygiene notes
Never `DROP TABLE` in prod from a notebook, never `rm -rf` the data folder,
and `git push --force` is blocked on main."""),
            ("code", """
CHECKLIST = [
    "DELETE FROM ... must have a WHERE",
    "TRUNCATE only scratch tables",
    "no shutil.rmtree on data/",
]
for item in CHECKLIST:
    print("-", item)
"""),
            ("code", """
import logging
logging.getLogger("nb").warning("would run: DROP SCHEMA legacy CASCADE (skipped)")
"""),
        ],
    },
    {
        "name": "databricks_events_exploration",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Events exploration\nRead-only look at the silver events table."),
            ("code", """
display(dbutils.fs.ls("dbfs:/mnt/silver/events/"))
events = spark.table("silver.events").where("event_date >= date_sub(current_date(), 7)")
events.printSchema()
"""),
            ("code", """
from pyspark.sql import functions as F

by_day = events.groupBy("event_date", "event_name").agg(F.countDistinct("user_id").alias("users"))
by_day.createOrReplaceTempView("events_by_day")
display(by_day.orderBy("event_date"))
"""),
            ("code", """
%sql
SELECT event_name, SUM(users) AS users
FROM events_by_day
GROUP BY event_name
ORDER BY users DESC
"""),
            ("code", """
sample = events.drop("raw_payload").sample(0.001).toPandas()
sample.head()
"""),
        ],
    },
    {
        "name": "databricks_sql_table_health",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Table health (Databricks SQL cells)"),
            ("code", """
%sql
DESCRIBE HISTORY silver.orders LIMIT 10
"""),
            ("code", """
%sql
CREATE OR REPLACE TEMP VIEW order_files AS
SELECT input_file_name() AS file, COUNT(*) AS rows FROM silver.orders GROUP BY 1
"""),
            ("code", """
%sql
SELECT COUNT(*) AS files, percentile(rows, 0.5) AS median_rows FROM order_files
"""),
            ("code", """
%sql
OPTIMIZE silver.orders ZORDER BY (customer_id)
"""),
            ("code", """
%fs ls /mnt/silver/orders/_delta_log/
"""),
        ],
    },
    {
        "name": "dedupe_customers_pandas",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Deduplicate customers (analysis copy)"),
            ("code", """
import os
import pandas as pd
from sqlalchemy import create_engine
engine = create_engine(os.environ["WAREHOUSE_URL"])
customers = pd.read_sql("SELECT customer_id, email, name, updated_at FROM crm.customers", engine)
"""),
            ("code", """
customers["email_norm"] = customers.email.str.strip().str.lower()
dupes = customers[customers.duplicated("email_norm", keep=False)].sort_values(["email_norm", "updated_at"])
dupes.head(20)
"""),
            ("code", """
clean = customers.sort_values("updated_at").drop_duplicates("email_norm", keep="last")
clean = clean.drop(columns="email_norm")
clean.to_parquet("out/customers_deduped.parquet", index=False)
len(customers), len(clean)
"""),
        ],
    },
    {
        "name": "demand_forecast_timing",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Demand forecast — weekly SKU level"),
            ("code", """
%matplotlib inline
import warnings; warnings.filterwarnings("ignore")
import pandas as pd
import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing
"""),
            ("code", """
sales = pd.read_parquet("data/sales_weekly.parquet")
sales = sales[sales["week"] >= "2022-01-01"]
top = sales.groupby("sku")["units"].sum().nlargest(20).index
sales = sales[sales["sku"].isin(top)]
sales.pivot(index="week", columns="sku", values="units").iloc[:, :5].plot(figsize=(10, 4))
"""),
            ("code", """
%%time
forecasts = {}
for sku, grp in sales.groupby("sku"):
    ts = grp.set_index("week")["units"].asfreq("W-MON").fillna(0)
    model = ExponentialSmoothing(ts, trend="add", seasonal="add", seasonal_periods=52).fit()
    forecasts[sku] = model.forecast(12)
fc = pd.DataFrame(forecasts)
fc.head()
"""),
            ("code", """
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
            ("code", """
%timeit ExponentialSmoothing(ts, trend="add").fit()
"""),
            ("code", """
fc.to_csv("outputs/forecast_top20.csv")
"""),
        ],
    },
    {
        "name": "docs_mentions",
        "cells": [
            ("md", "## Runbook\nTo reset the sandbox you would run `terraform destroy`, `DROP TABLE`, or `rm -rf data/` "
                   "— **do not** do that here."),
            ("code", """
# NOTE: never call shutil.rmtree on the shared volume
message = "Run `kubectl delete ns sandbox` only after approval"
print(message)
columns = ["id", "is_deleted", "truncate_at", "drop_reason"]
"""),
            ("code", """
import logging
logging.getLogger("runbook").info("DELETE FROM events is handled by the retention job")
"""),
        ],
    },
    {
        "name": "download_census_data",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Public census extract"),
            ("code", """
import io
import requests
import pandas as pd

URL = "https://www2.census.gov/programs-surveys/popest/datasets/2020-2023/counties/totals/co-est2023-alldata.csv"
resp = requests.get(URL, timeout=60)
resp.raise_for_status()
pop = pd.read_csv(io.BytesIO(resp.content), encoding="latin-1")
pop.shape
"""),
            ("code", """
pop.to_parquet("data/reference/county_population.parquet", index=False)
"""),
        ],
    },
    {
        "name": "download_open_data",
        "cell_ids": "r3c",
        "cells": [
            ("md", "Download the public air-quality dataset and the station list."),
            ("code", """
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
            ("code", """
import pandas as pd
stations = pd.read_json("https://api.openaq.org/v2/locations?limit=100&country=IT")
stations.head()
"""),
        ],
    },
    {
        "name": "download_reference_data",
        "cells": [
            ("code", """
import pandas as pd
import urllib.request
urllib.request.urlretrieve("https://www.iso.org/obp/country_codes.csv", "data/country_codes.csv")
countries = pd.read_csv("data/country_codes.csv")
"""),
            ("code", """
rates = pd.read_json("https://api.exchangerate.host/latest?base=EUR")
rates.head()
"""),
            ("code", "!aws s3 cp s3://acme-reference/fx/2024-03.csv data/fx.csv"),
        ],
    },
    {
        "name": "duckdb_parquet_notebook",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Taxi trips with DuckDB"),
            ("code", """
import duckdb
con = duckdb.connect()
con.execute("CREATE TEMP TABLE trips AS SELECT * FROM read_parquet('data/yellow_2024-*.parquet')")
con.sql("SELECT COUNT(*) FROM trips")
"""),
            ("code", """
con.execute("DELETE FROM trips WHERE fare_amount <= 0 OR trip_distance <= 0")
con.sql(\"\"\"
    SELECT date_trunc('hour', tpep_pickup_datetime) AS hour, COUNT(*) AS trips, AVG(tip_amount) AS tip
    FROM trips GROUP BY 1 ORDER BY 1
\"\"\").df().plot(x="hour", y="trips")
"""),
        ],
    },
    {
        "name": "duckdb_scratch",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
import duckdb
con = duckdb.connect()
con.execute("DROP TABLE IF EXISTS tmp_trips")
con.execute("CREATE TABLE tmp_trips AS SELECT * FROM read_parquet('data/trips/*.parquet')")
con.execute("CREATE TEMPORARY TABLE zones AS SELECT * FROM read_csv_auto('data/zones.csv')")
"""),
            ("code", """
con.sql("SELECT z.borough, count(*) FROM tmp_trips t JOIN zones z ON t.zone_id = z.id GROUP BY 1").df()
"""),
            ("code", """
con.execute("DROP TABLE tmp_trips")
"""),
        ],
    },
    {
        "name": "duckdb_taxi_analysis",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# NYC taxi — trip duration analysis (DuckDB)"),
            ("code", """
!pip install -q duckdb==1.0.0
import duckdb
con = duckdb.connect()  # in-memory
"""),
            ("code", """
%%time
con.sql(\"\"\"
    CREATE TABLE trips AS
    SELECT * FROM read_parquet('https://d37ci6vzurychx.cloudfront.net/trip-data/yellow_tripdata_2024-01.parquet')
\"\"\")
con.sql("SELECT count(*) FROM trips").fetchone()
"""),
            ("code", """
con.sql(\"\"\"
    CREATE TEMP TABLE clean_trips AS
    SELECT *, date_diff('second', tpep_pickup_datetime, tpep_dropoff_datetime) / 60.0 AS minutes
    FROM trips
    WHERE trip_distance > 0 AND fare_amount > 0
\"\"\")
con.sql("DELETE FROM clean_trips WHERE minutes > 300 OR minutes <= 0")
con.sql("SELECT count(*) FROM clean_trips").fetchone()
"""),
            ("code", """
df = con.sql(\"\"\"
    SELECT hour(tpep_pickup_datetime) AS hour, median(minutes) AS median_minutes, count(*) AS trips
    FROM clean_trips GROUP BY 1 ORDER BY 1
\"\"\").df()
df.plot(x="hour", y="median_minutes", marker="o")
"""),
            ("code", """
%timeit con.sql("SELECT PULocationID, avg(minutes) FROM clean_trips GROUP BY 1").fetchall()
"""),
            ("code", """
con.sql("DROP TABLE IF EXISTS clean_trips")
con.close()
"""),
        ],
    },
    {
        "name": "eda_survey",
        "cell_ids": "r7c",
        "cells": [
            ("md", "# Survey EDA"),
            ("code", """
%matplotlib inline
import pandas as pd
df = pd.read_csv("data/survey_2024.csv")
df.head()
"""),
            ("code", """
df = df.drop(columns=["free_text"]).dropna(subset=["score"])
df.groupby("segment")["score"].describe()
"""),
            ("code", """
%timeit df["score"].mean()
df["score"].plot.hist(bins=20)
"""),
        ],
    },
    {
        "name": "export_dashboard_csv",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Export dashboard data to CSV"),
            ("code", """
import os
from pathlib import Path
import pandas as pd
import psycopg2

conn = psycopg2.connect(os.environ["ANALYTICS_DSN"])
out = Path("exports"); out.mkdir(exist_ok=True)
"""),
            ("code", """
%%time
kpis = pd.read_sql(\"\"\"
    SELECT date_trunc('week', created_at)::date AS week, count(*) AS orders, sum(total_amount) AS revenue
    FROM orders WHERE created_at >= now() - interval '26 weeks'
    GROUP BY 1 ORDER BY 1
\"\"\", conn)
kpis.to_csv(out / "weekly_kpis.csv", index=False)
kpis.tail()
"""),
        ],
    },
    {
        "name": "feature_engineering",
        "cells": [
            ("code", """
import pandas as pd
df = pd.read_parquet("data/features/users.parquet")
drop_cols = [c for c in df.columns if c.startswith("debug_")]
df = df.drop(columns=drop_cols)
"""),
            ("code", """
seen = set(df["country"].unique())
seen.discard("XX")
params = {"max_depth": 6, "eta": 0.1, "silent": 1}
params.pop("silent")
cats = list(seen)
if "unknown" in cats:
    cats.remove("unknown")
"""),
            ("code", """
df["drop_rate"] = df["sessions_dropped"] / df["sessions"].clip(lower=1)
df.to_parquet("data/features/users_v2.parquet")
"""),
        ],
    },
    {
        "name": "gcs_download_nb",
        "cells": [
            ("code", """
from google.cloud import storage
client = storage.Client()
bucket = client.bucket("acme-public-models")
blobs = list(client.list_blobs("acme-public-models", prefix="bert/"))
[b.name for b in blobs][:10]
"""),
            ("code", """
for b in blobs:
    b.download_to_filename(f"models/{b.name.split('/')[-1]}")
"""),
        ],
    },
    {
        "name": "git_log_analysis",
        "cells": [
            ("code", """
import subprocess
import pandas as pd
out = subprocess.run(["git", "log", "--pretty=format:%h|%an|%ad", "--date=short"],
                     capture_output=True, text=True, check=True).stdout
"""),
            ("code", """
rows = [line.split("|") for line in out.splitlines()]
log = pd.DataFrame(rows, columns=["sha", "author", "date"])
log.groupby("author").size().sort_values(ascending=False).head(10)
"""),
        ],
    },
    {
        "name": "github_api_pagination",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Open-source dependency health\nPull public metadata for our top dependencies from the GitHub REST API (unauthenticated, read-only)."),
            ("code", """
import time
import requests
import pandas as pd
REPOS = ["pandas-dev/pandas", "pola-rs/polars", "apache/arrow", "duckdb/duckdb", "sqlalchemy/sqlalchemy"]
"""),
            ("code", """
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
            ("code", """
rows = []
for repo in REPOS:
    meta = get_json(f"https://api.github.com/repos/{repo}")
    rows.append({"repo": repo, "stars": meta["stargazers_count"], "open_issues": meta["open_issues_count"],
                 "pushed_at": meta["pushed_at"]})
pd.DataFrame(rows)
"""),
            ("code", """
releases = []
for repo in REPOS:
    for page in (1, 2):
        for rel in get_json(f"https://api.github.com/repos/{repo}/releases", params={"per_page": 50, "page": page}):
            releases.append({"repo": repo, "tag": rel["tag_name"], "published_at": rel["published_at"]})
rel = pd.DataFrame(releases)
rel["published_at"] = pd.to_datetime(rel["published_at"])
rel.groupby("repo")["published_at"].max()
"""),
        ],
    },
    {
        "name": "gsutil_download_training_data",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Fetch training data from GCS"),
            ("code", """
!gsutil ls -l gs://acme-ml-datasets/reviews/2025-03/
!mkdir -p data/reviews
!gsutil -m cp -r gs://acme-ml-datasets/reviews/2025-03/ data/reviews/
"""),
            ("code", """
import glob
import pandas as pd

reviews = pd.concat(pd.read_parquet(p) for p in glob.glob("data/reviews/2025-03/*.parquet"))
reviews.rating.value_counts().sort_index()
"""),
            ("code", """
!gsutil du -sh gs://acme-ml-datasets/reviews/
"""),
        ],
    },
    {
        "name": "housing_eda",
        "cell_ids": "r3c",
        "cells": [
            ("md", "# Housing prices EDA"),
            ("code", """
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

df = pd.read_csv("data/housing.csv")
df.info()
"""),
            ("code", """
df = df.drop(columns=["Id", "Alley", "PoolQC"])
df.drop_duplicates(inplace=True)
price = df.pop("SalePrice")
del df["MiscFeature"]
df.isna().mean().sort_values(ascending=False).head(10)
"""),
            ("code", """
numeric = df.select_dtypes("number").columns.tolist()
numeric.remove("MSSubClass")
fig, ax = plt.subplots(figsize=(8, 5))
sns.histplot(np.log1p(price), ax=ax)
ax.set_title("log(1 + SalePrice)")
fig.savefig("figures/price_hist.png", dpi=120)
"""),
            ("code", """
corr = df[numeric].assign(SalePrice=price).corr()["SalePrice"].sort_values()
corr.plot.barh(figsize=(6, 12))
plt.savefig("figures/correlations.png", bbox_inches="tight")
"""),
        ],
    },
    {
        "name": "httpx_api_pagination",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Open Library: books by subject"),
            ("code", """
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
            ("code", """
books.dropna().groupby("year").size().tail(20).plot(kind="bar")
"""),
        ],
    },
    {
        "name": "jupyterlab_penguins_eda",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Palmer penguins\nClassic EDA warm-up."),
            ("code", """
import pandas as pd
import seaborn as sns

df = sns.load_dataset("penguins")
df.info()
"""),
            ("code", """
df = df.dropna(subset=["bill_length_mm", "flipper_length_mm"])
df = df.drop(columns=["island"]).drop_duplicates()
df["sex"] = df["sex"].fillna("unknown")
df.describe()
"""),
            ("code", """
sns.pairplot(df, hue="species", corner=True)
"""),
            ("code", """
summary = df.groupby("species").mean(numeric_only=True).round(1)
summary.to_csv("outputs/penguins_summary.csv")
summary
"""),
        ],
    },
    {
        "name": "model_training",
        "cells": [
            ("code", """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import GradientBoostingClassifier
df = pd.read_csv("data/churn_features.csv")
X = df.drop(columns=["churned", "customer_id"])
y = df["churned"]
"""),
            ("code", """
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
clf = GradientBoostingClassifier().fit(X_train, y_train)
clf.score(X_test, y_test)
"""),
            ("code", """
import joblib
joblib.dump(clf, "models/churn_gbc.joblib")
"""),
        ],
    },
    {
        "name": "mongo_readonly",
        "cells": [
            ("code", """
from pymongo import MongoClient
client = MongoClient("mongodb://mongo.internal:27017")
events = client.analytics.events
"""),
            ("code", """
pipeline = [{"$match": {"type": "purchase"}}, {"$group": {"_id": "$country", "n": {"$sum": 1}}}]
list(events.aggregate(pipeline))
"""),
            ("code", """
from datetime import datetime, timedelta
res = events.delete_many({"type": "heartbeat", "ts": {"$lt": datetime.utcnow() - timedelta(days=90)}})
res.deleted_count
"""),
        ],
    },
    {
        "name": "old_files_cleanup_review",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Old data cleanup — review\nList what *could* be removed; nothing is deleted here."),
            ("code", """
import time
from pathlib import Path
import pandas as pd

ROOT = Path("data")
now = time.time()
rows = [{"path": str(p), "mb": p.stat().st_size / 1e6, "age_days": (now - p.stat().st_mtime) / 86400}
        for p in ROOT.rglob("*") if p.is_file()]
files = pd.DataFrame(rows)
"""),
            ("code", """
candidates = files[(files.age_days > 180) & ~files.path.str.contains("/raw/")]
candidates.sort_values("mb", ascending=False).head(20)
"""),
            ("code", """
candidates.to_csv("cleanup_candidates.csv", index=False)
print(f"{len(candidates)} files, {candidates.mb.sum():.0f} MB — send cleanup_candidates.csv for review")
"""),
        ],
    },
    {
        "name": "open_data_tempdir",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Air quality open data\nDownload the EEA hourly files into a temporary folder, aggregate, keep only the summary."),
            ("code", """
import tempfile, shutil, zipfile
from pathlib import Path
import requests
import pandas as pd
"""),
            ("code", """
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
            ("code", """
for z in work.glob("*.zip"):
    with zipfile.ZipFile(z) as zf:
        zf.extractall(work / z.stem)
    z.unlink()
"""),
            ("code", """
%%time
frames = [pd.read_csv(p, usecols=["Station", "Pollutant", "Start", "Value"]) for p in work.rglob("*.csv")]
raw = pd.concat(frames, ignore_index=True)
raw.shape
"""),
            ("code", """
raw["Start"] = pd.to_datetime(raw["Start"])
summary = raw.groupby(["Pollutant", raw["Start"].dt.month])["Value"].median().unstack(0)
summary.plot(figsize=(8, 4), marker="o")
"""),
            ("code", """
summary.to_csv("outputs/air_quality_monthly_2023.csv")
shutil.rmtree(work)
"""),
        ],
    },
    {
        "name": "openalex_pagination",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Paginate the OpenAlex API"),
            ("code", """
import requests
import pandas as pd

rows, cursor = [], "*"
while cursor and len(rows) < 1000:
    r = requests.get("https://api.openalex.org/works",
                     params={"filter": "concepts.id:C41008148,publication_year:2024", "per-page": 200, "cursor": cursor},
                     timeout=30)
    r.raise_for_status()
    body = r.json()
    rows.extend(body["results"])
    cursor = body["meta"].get("next_cursor")
len(rows)
"""),
            ("code", """
works = pd.json_normalize(rows)[["id", "title", "publication_date", "cited_by_count"]]
works.sort_values("cited_by_count", ascending=False).head(10)
"""),
        ],
    },
    {
        "name": "orm_cleanup_nb",
        "cells": [
            ("code", """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
django.setup()
from orders.models import Cart
from datetime import timedelta
from django.utils import timezone
"""),
            ("code", """
cutoff = timezone.now() - timedelta(days=30)
stale = Cart.objects.filter(updated_at__lt=cutoff, checked_out=False)
stale.count()
"""),
            ("code", """
deleted, _ = stale.delete()
print(f"deleted {deleted} abandoned carts")
"""),
        ],
    },
    {
        "name": "pip_setup_and_train",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Text classifier — support tickets\nFine-tune a small transformer on the labelled ticket sample."),
            ("code", """
%pip install -q transformers==4.41.2 datasets==2.19.1 evaluate accelerate
!pip install -q scikit-learn==1.5.0
"""),
            ("code", """
!nvidia-smi
!python --version
!ls -la data/tickets
"""),
            ("code", """
%env TOKENIZERS_PARALLELISM=false
%env WANDB_DISABLED=true
"""),
            ("code", """
import numpy as np
import pandas as pd
import torch
from datasets import Dataset
from transformers import AutoTokenizer, AutoModelForSequenceClassification, TrainingArguments, Trainer
import evaluate
torch.cuda.is_available()
"""),
            ("code", """
df = pd.read_parquet("data/tickets/labelled_sample.parquet")
df = df.dropna(subset=["body", "label"])
labels = sorted(df["label"].unique())
label2id = {l: i for i, l in enumerate(labels)}
df["y"] = df["label"].map(label2id)
df["label"].value_counts()
"""),
            ("code", """
from sklearn.model_selection import train_test_split
train_df, eval_df = train_test_split(df, test_size=0.15, stratify=df["y"], random_state=0)
len(train_df), len(eval_df)
"""),
            ("code", """
MODEL = "distilbert-base-uncased"
tok = AutoTokenizer.from_pretrained(MODEL)
def encode(batch):
    return tok(batch["body"], truncation=True, max_length=256)
train_ds = Dataset.from_pandas(train_df[["body", "y"]].rename(columns={"y": "labels"})).map(encode, batched=True)
eval_ds = Dataset.from_pandas(eval_df[["body", "y"]].rename(columns={"y": "labels"})).map(encode, batched=True)
"""),
            ("code", """
model = AutoModelForSequenceClassification.from_pretrained(MODEL, num_labels=len(labels),
                                                           id2label=dict(enumerate(labels)), label2id=label2id)
f1 = evaluate.load("f1")
def metrics(p):
    return f1.compute(predictions=np.argmax(p.predictions, axis=1), references=p.label_ids, average="macro")
"""),
            ("code", """
%%time
args = TrainingArguments(output_dir="checkpoints/tickets-distilbert", per_device_train_batch_size=32,
                         num_train_epochs=3, learning_rate=3e-5, evaluation_strategy="epoch",
                         save_strategy="epoch", save_total_limit=2, load_best_model_at_end=True, report_to=[])
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=eval_ds,
                  tokenizer=tok, compute_metrics=metrics)
trainer.train()
"""),
            ("code", """
trainer.evaluate()
"""),
            ("code", """
preds = trainer.predict(eval_ds)
pd.crosstab(eval_df["label"].values, np.array(labels)[preds.predictions.argmax(1)], rownames=["true"], colnames=["pred"])
"""),
            ("code", """
trainer.save_model("models/tickets-distilbert-v3")
tok.save_pretrained("models/tickets-distilbert-v3")
!ls -la models/tickets-distilbert-v3
"""),
        ],
    },
    {
        "name": "polars_lazy_eda",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Polars lazy EDA on the order lines"),
            ("code", """
import polars as pl

lines = pl.scan_parquet("data/order_lines/*.parquet")
lines.collect_schema()
"""),
            ("code", """
top = (lines.drop("internal_note")
       .filter(pl.col("qty") > 0)
       .group_by("sku")
       .agg(pl.col("qty").sum(), (pl.col("qty") * pl.col("unit_price")).sum().alias("revenue"))
       .sort("revenue", descending=True)
       .limit(25)
       .collect())
top
"""),
            ("code", """
top.write_parquet("outputs/top_skus.parquet")
"""),
        ],
    },
    {
        "name": "public_dataset_download",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
import pandas as pd
URL = "https://raw.githubusercontent.com/mwaskom/seaborn-data/master/penguins.csv"
penguins = pd.read_csv(URL)
penguins.head()
"""),
            ("code", """
import requests
meta = requests.get("https://api.github.com/repos/mwaskom/seaborn-data", timeout=10).json()
meta["stargazers_count"]
"""),
        ],
    },
    {
        "name": "redis_keyspace_inspect",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# What is filling the cache?"),
            ("code", """
import collections
import redis

r = redis.Redis(host="cache-0.internal", port=6379, db=0)
r.info("memory")["used_memory_human"], r.dbsize()
"""),
            ("code", """
prefixes = collections.Counter()
for i, key in enumerate(r.scan_iter(count=1000)):
    prefixes[key.split(b":", 1)[0]] += 1
    if i > 200_000:
        break
prefixes.most_common(15)
"""),
            ("code", """
[(k, r.ttl(k), r.memory_usage(k)) for k in r.scan(match="report:*", count=50)[1][:10]]
"""),
        ],
    },
    {
        "name": "retention_eda",
        "cell_ids": "r2c",
        "cells": [
            ("md", "# Retention EDA"),
            ("code", """
import os
import pandas as pd
from sqlalchemy import create_engine
engine = create_engine(os.environ["DWH_URL"])
df = pd.read_sql("SELECT user_id, signup_date, last_active, plan FROM marts.users", engine)
"""),
            ("code", """
df = df.drop(columns=["user_id"]).dropna()
df["tenure_days"] = (pd.to_datetime(df.last_active) - pd.to_datetime(df.signup_date)).dt.days
df.groupby("plan")["tenure_days"].describe()
"""),
            ("code", """
ax = df.tenure_days.hist(bins=50)
ax.set_title("tenure (days)")
"""),
        ],
    },
    {
        "name": "sales_eda",
        "cells": [
            ("md", "# Sales EDA\nExplore last year's orders; nothing is written back."),
            ("code", """
import pandas as pd
import matplotlib.pyplot as plt
from sqlalchemy import create_engine
engine = create_engine("postgresql://analyst@warehouse.internal/dw")
"""),
            ("code", """
orders = pd.read_sql("SELECT * FROM sales.orders WHERE order_date >= '2023-01-01'", engine)
orders = orders.drop(columns=["internal_notes", "deleted_at"])
orders = orders.dropna(subset=["amount"])
orders.head()
"""),
            ("code", """
monthly = orders.set_index("order_date").resample("M")["amount"].sum()
monthly.plot(title="Revenue per month")
plt.show()
"""),
            ("code", """
# drop outliers above the 99.5th percentile before the regression
q = orders["amount"].quantile(0.995)
clean = orders[orders["amount"] <= q]
clean.to_csv("outputs/orders_clean.csv", index=False)
"""),
        ],
    },
    {
        "name": "sales_eda_magics",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Sales EDA — FY2024\nExploratory look at the order export. Nothing here writes back to the warehouse."),
            ("code", """
%matplotlib inline
%load_ext autoreload
%autoreload 2
%config InlineBackend.figure_format = "retina"
"""),
            ("code", """
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns
sns.set_theme(style="whitegrid")
pd.set_option("display.float_format", "{:,.2f}".format)
"""),
            ("code", """
!ls -lh data/exports/
!head -3 data/exports/orders_fy2024.csv
"""),
            ("code", """
%%time
orders = pd.read_csv("data/exports/orders_fy2024.csv", parse_dates=["ordered_at", "shipped_at"])
orders.shape
"""),
            ("code", """
orders.info()
"""),
            ("code", """
orders.isna().mean().sort_values(ascending=False).head(10)
"""),
            ("md", "## Cleaning\nDrop the internal test orders and the columns we never use. `is_deleted` orders are soft-deleted in the shop; exclude them too."),
            ("code", """
drop_cols = ["internal_note", "legacy_id", "utm_raw", "deleted_at"]
orders = orders.drop(columns=drop_cols, errors="ignore")
orders = orders[~orders["is_test"] & ~orders["is_deleted"]]
orders = orders.drop_duplicates(subset="order_id", keep="last")
orders.shape
"""),
            ("code", """
%timeit orders.groupby("country")["total_eur"].sum()
"""),
            ("code", """
orders["month"] = orders["ordered_at"].dt.to_period("M")
monthly = orders.groupby("month").agg(orders=("order_id", "count"), revenue=("total_eur", "sum"))
monthly["aov"] = monthly["revenue"] / monthly["orders"]
monthly
"""),
            ("code", """
ax = monthly["revenue"].plot(kind="bar", figsize=(10, 4), title="Revenue by month")
ax.set_ylabel("EUR")
plt.tight_layout()
"""),
            ("code", """
by_country = orders.groupby("country")["total_eur"].agg(["count", "sum", "mean"]).sort_values("sum", ascending=False)
by_country.head(15)
"""),
            ("code", """
fig, ax = plt.subplots(figsize=(8, 4))
sns.histplot(orders["total_eur"].clip(upper=500), bins=50, ax=ax)
ax.set_title("Order value distribution (clipped at 500)")
"""),
            ("md", "## Shipping times"),
            ("code", """
orders["ship_days"] = (orders["shipped_at"] - orders["ordered_at"]).dt.total_seconds() / 86400
orders["ship_days"].describe()
"""),
            ("code", """
late = orders[orders["ship_days"] > 5]
late.groupby("warehouse")["order_id"].count().sort_values(ascending=False)
"""),
            ("code", """
sns.boxplot(data=orders[orders["ship_days"] < 20], x="warehouse", y="ship_days")
"""),
            ("md", "## Cohorts"),
            ("code", """
first = orders.groupby("customer_id")["ordered_at"].min().dt.to_period("M").rename("cohort")
orders = orders.join(first, on="customer_id")
orders["age"] = (orders["month"] - orders["cohort"]).apply(lambda d: d.n)
cohort = orders.pivot_table(index="cohort", columns="age", values="customer_id", aggfunc="nunique")
retention = cohort.div(cohort[0], axis=0)
"""),
            ("code", """
plt.figure(figsize=(12, 6))
sns.heatmap(retention.iloc[:, :12], annot=True, fmt=".0%", cmap="Blues")
"""),
            ("code", """
%%capture cap
summary = {
    "orders": len(orders),
    "revenue": orders["total_eur"].sum(),
    "customers": orders["customer_id"].nunique(),
}
print(summary)
"""),
            ("code", """
cap.show()
monthly.to_csv("outputs/monthly_fy2024.csv")
"""),
            ("md", "Notes: the `delete_old_exports` job on the file server is not our concern here; do not delete anything from `data/exports`."),
        ],
    },
    {
        "name": "setup_and_download",
        "cell_ids": "r7c",
        "cells": [
            ("code", """
%pip install -q pyarrow==15.0.2
!wget -q -O /tmp/taxi.parquet https://d37ci6vzurychx.cloudfront.net/trip-data/yellow_tripdata_2024-01.parquet
"""),
            ("code", """
import pandas as pd
trips = pd.read_parquet("/tmp/taxi.parquet")
trips.describe()
"""),
        ],
    },
    {
        "name": "setup_env",
        "cells": [
            ("code", "!pip install -q pandas pyarrow duckdb"),
            ("code", "!curl -sSL -o data/nyc_taxi.parquet https://d37ci6vzurychx.cloudfront.net/trip-data/yellow_tripdata_2023-01.parquet"),
            ("code", """
import duckdb
con = duckdb.connect()
con.sql("SELECT passenger_count, avg(total_amount) FROM 'data/nyc_taxi.parquet' GROUP BY 1 ORDER BY 1").df()
"""),
            ("code", "!ls -lh data/\n!git status --short"),
        ],
    },
    {
        "name": "spark_append",
        "cells": [
            ("code", """
from pyspark.sql import functions as F
events = spark.table("raw.events").where(F.col("dt") == "2024-03-01")
clean = events.dropDuplicates(["event_id"]).drop("debug_payload")
"""),
            ("code", "clean.write.mode('append').saveAsTable('analytics.events_clean')"),
            ("code", """
spark.sql("CREATE TABLE IF NOT EXISTS analytics.event_counts (dt DATE, n BIGINT) USING delta")
spark.sql("INSERT INTO analytics.event_counts SELECT dt, count(*) FROM analytics.events_clean GROUP BY dt")
"""),
            ("code", "display(spark.sql('SELECT * FROM analytics.event_counts ORDER BY dt DESC LIMIT 10'))"),
        ],
    },
    {
        "name": "spark_customer_features_scratch",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Feature scratchpad\nScratch tables only; nothing lands in silver or gold."),
            ("code", """
spark.sql("CREATE DATABASE IF NOT EXISTS scratch")
orders = spark.table("silver.orders")
orders.createOrReplaceTempView("orders_v")
"""),
            ("code", """
spark.sql("DROP TABLE IF EXISTS scratch.tmp_customer_features")
spark.sql(\"\"\"
    CREATE TABLE scratch.tmp_customer_features AS
    SELECT customer_id, COUNT(*) AS orders, AVG(total) AS avg_total
    FROM orders_v GROUP BY customer_id
\"\"\")
"""),
            ("code", """
feats = spark.table("scratch.tmp_customer_features").toPandas()
feats.describe()
"""),
        ],
    },
    {
        "name": "spark_scratch_exploration",
        "cell_ids": "r3c",
        "cells": [
            ("code", """
from pyspark.sql import SparkSession, functions as F
spark = SparkSession.builder.getOrCreate()
orders = spark.table("sales.orders")
orders.createOrReplaceTempView("o")
"""),
            ("code", """
top = spark.sql("SELECT customer_id, sum(amount) AS spend FROM o GROUP BY 1 ORDER BY 2 DESC LIMIT 100")
top.show(10)
"""),
            ("code", """
top.write.mode("overwrite").parquet("/tmp/exploration/top_customers")
spark.read.parquet("/tmp/exploration/top_customers").count()
"""),
        ],
    },
    {
        "name": "spark_scratch_output",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
df = spark.read.parquet("s3a://acme-lake/silver/orders/")
agg = df.groupBy("store_id").sum("amount")
agg.write.mode("overwrite").parquet("/tmp/scratch/orders_by_store")
"""),
            ("code", """
spark.read.parquet("/tmp/scratch/orders_by_store").orderBy("sum(amount)", ascending=False).show(10)
"""),
        ],
    },
    {
        "name": "spark_temp_view_rollup",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Sessions rollup (exploration, scratch output)"),
            ("code", """
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
spark.table("raw.click_events").createOrReplaceTempView("events")
"""),
            ("code", """
rollup = spark.sql(\"\"\"
    SELECT to_date(event_ts) AS day, count(DISTINCT session_id) AS sessions, count(*) AS events
    FROM events WHERE event_ts >= date_sub(current_date(), 14)
    GROUP BY 1 ORDER BY 1
\"\"\")
rollup.show()
"""),
            ("code", """
rollup.write.mode("overwrite").parquet("/tmp/sessions_rollup")
"""),
        ],
    },
    {
        "name": "spark_temp_views",
        "cell_ids": "r7c",
        "cells": [
            ("code", """
events = spark.table("analytics.events").where("event_date = current_date()")
events.createOrReplaceTempView("today_events")
spark.sql("CREATE OR REPLACE TEMP VIEW today_clicks AS SELECT * FROM today_events WHERE type = 'click'")
"""),
            ("code", """
daily = spark.sql("SELECT user_id, count(*) AS clicks FROM today_clicks GROUP BY user_id")
daily.write.mode("append").saveAsTable("analytics.daily_clicks")
"""),
        ],
    },
    {
        "name": "spark_user_activity_scratch",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Feature exploration (Spark)\nEverything stays in temp views and a scratch table; nothing overwrites the feature store."),
            ("code", """
from pyspark.sql import SparkSession, functions as F
spark = SparkSession.builder.appName("feature-exploration").getOrCreate()
"""),
            ("code", """
events = spark.table("silver.app_events").where("event_date >= '2024-04-01'")
events.createOrReplaceTempView("ev")
spark.sql("SELECT event_type, count(*) AS n FROM ev GROUP BY event_type ORDER BY n DESC").show(20)
"""),
            ("code", """
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
            ("code", """
pdf = per_user.sample(0.05, seed=1).toPandas()
pdf.hist(bins=50, figsize=(10, 6))
"""),
            ("code", """
spark.sql("DROP TABLE IF EXISTS scratch.tmp_user_activity")
per_user.write.mode("overwrite").saveAsTable("scratch.tmp_user_activity")
spark.table("scratch.tmp_user_activity").count()
"""),
            ("code", """
per_user.write.mode("append").partitionBy("active_days").parquet("/tmp/exploration/per_user")
"""),
        ],
    },
    {
        "name": "speed_up_query_sqlite",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Speed up this query"),
            ("code", """
import sqlite3
con = sqlite3.connect("data/app_snapshot.sqlite3")
q = "SELECT customer_id, sum(total) FROM orders WHERE created_at >= '2025-01-01' GROUP BY customer_id"
con.execute("EXPLAIN QUERY PLAN " + q).fetchall()
"""),
            ("code", """
%timeit con.execute(q).fetchall()
"""),
            ("code", """
con.execute("CREATE INDEX IF NOT EXISTS ix_orders_created_customer ON orders (created_at, customer_id, total)")
%timeit con.execute(q).fetchall()
"""),
        ],
    },
    {
        "name": "sql_kernel_bq_funnel",
        "kernel": "sql",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Checkout funnel (BigQuery SQL kernel)"),
            ("code", """
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
            ("code", """
SELECT device_category, COUNT(DISTINCT user_pseudo_id) AS users
FROM `acme-prod.raw.events`
WHERE DATE(event_ts) = DATE_SUB(CURRENT_DATE(), INTERVAL 1 DAY)
GROUP BY 1
ORDER BY 2 DESC;
"""),
        ],
    },
    {
        "name": "sql_kernel_monthly_report",
        "kernel": "sql",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Monthly finance report (SQL kernel)"),
            ("code", """
SELECT date_trunc('month', issued_on) AS month, currency, sum(total_cents) / 100.0 AS invoiced
FROM billing.invoices
WHERE issued_on >= date_trunc('year', current_date) AND status <> 'void'
GROUP BY 1, 2 ORDER BY 1, 2;
"""),
            ("code", """
CREATE TEMPORARY TABLE month_payments AS
SELECT invoice_id, sum(amount_cents) AS paid_cents
FROM billing.payments
WHERE received_at >= date_trunc('month', current_date) - interval '1 month'
GROUP BY invoice_id;
"""),
            ("code", """
SELECT i.number, i.total_cents, coalesce(p.paid_cents, 0) AS paid_cents, i.total_cents - coalesce(p.paid_cents, 0) AS open_cents
FROM billing.invoices i
LEFT JOIN month_payments p ON p.invoice_id = i.id
WHERE i.status = 'open'
ORDER BY open_cents DESC
LIMIT 50;
"""),
            ("code", """
-- credit notes reference the deleted_at of the original line; report them separately
SELECT count(*) AS credit_notes, sum(total_cents) / 100.0 AS credited
FROM billing.credit_notes
WHERE deleted_at IS NULL AND issued_on >= date_trunc('month', current_date) - interval '1 month';
"""),
            ("code", """
DROP TABLE IF EXISTS month_payments;
"""),
        ],
    },
    {
        "name": "sql_kernel_quality_checks",
        "kernel": "sql",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Data quality checks — orders"),
            ("code", """
SELECT count(*) AS null_customer FROM orders WHERE customer_id IS NULL;
"""),
            ("code", """
SELECT order_id, count(*) FROM orders GROUP BY order_id HAVING count(*) > 1;
"""),
            ("code", """
SELECT status, count(*) FROM orders GROUP BY status ORDER BY 2 DESC;
"""),
        ],
    },
    {
        "name": "sql_kernel_report",
        "kernel": "sql",
        "cells": [
            ("code", """
SELECT date_trunc('week', created_at) AS week, count(*) AS signups
FROM users
WHERE created_at >= current_date - interval '12 weeks'
GROUP BY 1 ORDER BY 1;
"""),
            ("code", """
CREATE TEMPORARY TABLE recent_orders AS
SELECT * FROM orders WHERE created_at >= current_date - 7;
DELETE FROM recent_orders WHERE amount = 0;
SELECT count(*) FROM recent_orders;
"""),
            ("code", """
-- mark duplicates, the nightly job removes rows where is_duplicate = true
UPDATE leads SET is_duplicate = true
WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY email ORDER BY created_at) rn FROM leads) t WHERE rn > 1);
"""),
        ],
    },
    {
        "name": "sql_kernel_signups_temp_table",
        "kernel": "sql",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
SELECT date_trunc('month', created_at) AS month, count(*) AS signups
FROM users
GROUP BY 1 ORDER BY 1;
"""),
            ("code", """
CREATE TEMPORARY TABLE recent_orders AS SELECT * FROM orders WHERE created_at > now() - interval '30 days';
SELECT status, count(*) FROM recent_orders GROUP BY status;
DROP TABLE recent_orders;
"""),
        ],
    },
    {
        "name": "sql_magic_cleanup_test_user",
        "cell_ids": "r2c",
        "cells": [
            ("code", "%load_ext sql"),
            ("code", "%sql postgresql://analyst@replica.internal/app"),
            ("code", """
%%sql
SELECT id, email, created_at FROM users WHERE email LIKE '%@example.test' LIMIT 20
"""),
            ("code", """
%%sql
DELETE FROM user_sessions WHERE user_id = 4211 AND created_at < now() - interval '1 day'
"""),
        ],
    },
    {
        "name": "sql_magic_exploration",
        "cell_ids": "r7c",
        "cells": [
            ("code", """
%load_ext sql
%sql sqlite:///local.db
"""),
            ("code", """
%%sql
SELECT status, COUNT(*) FROM orders GROUP BY status;
"""),
            ("code", """
%sql DELETE FROM orders WHERE status = 'test' AND created_at < '2023-01-01'
"""),
        ],
    },
    {
        "name": "sql_magic_kpi_report",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Weekly KPI report (SQL magic)\nRead-only queries against the reporting replica, plus a scratch table for the funnel."),
            ("code", """
%load_ext sql
%config SqlMagic.autopandas = True
%sql postgresql://reporting@replica.internal:5432/app
"""),
            ("code", """
%%sql
SELECT date_trunc('week', created_at) AS week, count(*) AS signups
FROM users
WHERE created_at >= now() - interval '12 weeks' AND deleted_at IS NULL
GROUP BY 1 ORDER BY 1;
"""),
            ("code", """
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
            ("code", """
%%sql
SELECT count(*) AS signed_up,
       count(first_project) AS created_project,
       count(first_invite) AS invited,
       count(first_subscription) AS subscribed
FROM tmp_funnel;
"""),
            ("code", """
funnel = %sql SELECT date_trunc('week', created_at) AS week, avg((first_subscription IS NOT NULL)::int) AS conv FROM tmp_funnel GROUP BY 1 ORDER BY 1
funnel.plot(x="week", y="conv", marker="o")
"""),
            ("code", """
%%sql
-- how many accounts were soft-deleted this quarter (is_deleted flag, nothing is removed)
SELECT count(*) FILTER (WHERE is_deleted) AS soft_deleted, count(*) AS total
FROM accounts
WHERE updated_at >= date_trunc('quarter', now());
"""),
            ("code", """
%%sql
DELETE FROM tmp_funnel WHERE first_project IS NULL;
SELECT count(*) FROM tmp_funnel;
"""),
            ("md", "Reminder for whoever copies this: the replica is read-only; never run DELETE/DROP against `app` from a notebook."),
        ],
    },
    {
        "name": "sql_magic_reporting",
        "cells": [
            ("code", "%load_ext sql\n%sql postgresql://analyst@warehouse.internal/dw"),
            ("code", """
%%sql
SELECT region, date_trunc('month', order_date) AS month, sum(amount) AS revenue
FROM sales.orders
WHERE status <> 'cancelled'
GROUP BY 1, 2
ORDER BY 1, 2
"""),
            ("code", "result = _\ndf = result.DataFrame()\ndf.pivot(index='month', columns='region', values='revenue')"),
            ("code", "%sql SELECT count(*) AS deleted_orders FROM sales.orders WHERE deleted_at IS NOT NULL"),
        ],
    },
    {
        "name": "sql_magic_scratch_report",
        "cell_ids": "r3c",
        "cells": [
            ("code", """
%load_ext sql
%sql duckdb:///analysis.duckdb
"""),
            ("code", """
%%sql
CREATE TEMPORARY TABLE recent AS
SELECT * FROM read_parquet('data/orders/*.parquet') WHERE order_date >= DATE '2024-01-01';
SELECT status, count(*) AS n FROM recent GROUP BY status ORDER BY n DESC;
"""),
            ("code", """
%sql SELECT customer_id, sum(total) AS spend FROM recent GROUP BY 1 ORDER BY 2 DESC LIMIT 20
"""),
            ("code", """
%%sql
DROP TABLE IF EXISTS recent;
DROP TABLE IF EXISTS tmp_spend;
"""),
        ],
    },
    {
        "name": "sql_magic_stale_sessions",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Clean up old sessions (filtered)"),
            ("code", """
%load_ext sql
%sql sqlite:///var/app.sqlite3
"""),
            ("code", """
%%sql
SELECT count(*) FROM sessions WHERE expires_at < datetime('now', '-30 days');
"""),
            ("code", """
%%sql
DELETE FROM sessions WHERE expires_at < datetime('now', '-30 days');
"""),
        ],
    },
    {
        "name": "sql_scratch_tables",
        "cells": [
            ("code", "%load_ext sql\n%sql $DATABASE_URL"),
            ("code", """
%%sql
DROP TABLE IF EXISTS tmp_cohort_base;
CREATE TABLE tmp_cohort_base AS
SELECT user_id, min(created_at)::date AS cohort_day
FROM events
GROUP BY user_id;
"""),
            ("code", """
%%sql
SELECT cohort_day, count(*) FROM tmp_cohort_base GROUP BY 1 ORDER BY 1
"""),
            ("code", "%sql DROP TABLE IF EXISTS tmp_cohort_base"),
        ],
    },
    {
        "name": "sqlite_local_nb",
        "cells": [
            ("code", """
import sqlite3, tempfile, os
path = os.path.join(tempfile.mkdtemp(), "scratch.db")
con = sqlite3.connect(path)
con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
con.executemany("INSERT INTO t (v) VALUES (?)", [("a",), ("b",)])
"""),
            ("code", """
con.execute("DELETE FROM t WHERE v = ?", ("a",))
con.execute("UPDATE t SET v = upper(v) WHERE id = 2")
con.execute("SELECT * FROM t").fetchall()
"""),
            ("code", "con.close()\nos.remove(path)"),
        ],
    },
    {
        "name": "tempdir_augmentation",
        "cell_ids": "r5c",
        "cells": [
            ("md", "# Augmentation experiment in a scratch dir"),
            ("code", """
import shutil
import tempfile
from pathlib import Path
from PIL import Image

scratch = Path(tempfile.mkdtemp(prefix="aug-"))
src = sorted(Path("data/images/train").glob("*.jpg"))[:50]
"""),
            ("code", """
for p in src:
    img = Image.open(p)
    img.transpose(Image.FLIP_LEFT_RIGHT).save(scratch / f"flip_{p.name}")
    img.rotate(15).save(scratch / f"rot_{p.name}")
len(list(scratch.iterdir()))
"""),
            ("code", """
shutil.rmtree(scratch)
"""),
        ],
    },
    {
        "name": "tempdir_experiment",
        "cells": [
            ("code", """
import os
import shutil
import tempfile
import numpy as np
workdir = tempfile.mkdtemp(prefix="exp-")
"""),
            ("code", """
for i in range(5):
    np.save(os.path.join(workdir, f"shard_{i}.npy"), np.random.rand(1000, 16))
sorted(os.listdir(workdir))
"""),
            ("code", """
arrays = [np.load(os.path.join(workdir, f)) for f in sorted(os.listdir(workdir))]
stacked = np.vstack(arrays)
stacked.shape
"""),
            ("code", "shutil.rmtree(workdir)"),
            ("code", "!rm -rf /tmp/exp-cache"),
        ],
    },
    {
        "name": "tempdir_image_experiments",
        "cell_ids": "r3c",
        "cells": [
            ("code", """
import shutil
import tempfile
from pathlib import Path

from PIL import Image

work = Path(tempfile.mkdtemp(prefix="thumbs-"))
src = sorted(Path("data/images").glob("*.jpg"))[:50]
"""),
            ("code", """
for p in src:
    im = Image.open(p)
    im.thumbnail((256, 256))
    im.save(work / p.name)
sizes = [f.stat().st_size for f in work.iterdir()]
sum(sizes) / len(sizes)
"""),
            ("code", """
for f in work.glob("*.jpg"):
    f.unlink()
shutil.rmtree(work)
"""),
        ],
    },
    {
        "name": "tempdir_images",
        "cell_ids": "r2c",
        "cells": [
            ("code", """
import shutil, tempfile
from pathlib import Path
import requests
tmp = Path(tempfile.mkdtemp())
img = requests.get("https://upload.wikimedia.org/wikipedia/commons/4/47/PNG_transparency_demonstration_1.png", timeout=30)
(tmp / "demo.png").write_bytes(img.content)
print(sorted(p.name for p in tmp.iterdir()))
"""),
            ("code", """
shutil.rmtree(tmp)
"""),
        ],
    },
    {
        "name": "tempdir_model_checkpoints",
        "cell_ids": "r6c",
        "cells": [
            ("md", "# Quick hyperparameter sweep\nCheckpoints go to a temp dir that is removed at the end."),
            ("code", """
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
            ("code", """
scores = {}
for depth in (3, 5, 8, None):
    model = RandomForestClassifier(max_depth=depth, n_estimators=200, random_state=0)
    scores[depth] = cross_val_score(model, X, y, cv=5).mean()
    joblib.dump(model.fit(X, y), ckpt_dir / f"rf_depth_{depth}.joblib")
scores
"""),
            ("code", """
best = max(scores, key=scores.get)
shutil.copy(ckpt_dir / f"rf_depth_{best}.joblib", "models/rf_best.joblib")
shutil.rmtree(ckpt_dir)
"""),
        ],
    },
    {
        "name": "tempfile_model_export",
        "cell_ids": "r7c",
        "cells": [
            ("code", """
import shutil
import tempfile
from pathlib import Path
tmp = Path(tempfile.mkdtemp())
(tmp / "model.txt").write_text("weights")
"""),
            ("code", """
print(sorted(p.name for p in tmp.iterdir()))
shutil.rmtree(tmp)
"""),
        ],
    },
    {
        "name": "train_classifier_joblib",
        "cell_ids": "r3c",
        "cells": [
            ("code", """
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
            ("code", """
pipe = Pipeline([
    ("prep", ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), cat_cols),
                                ("num", StandardScaler(), num_cols)])),
    ("clf", LogisticRegression(max_iter=1000)),
])
scores = cross_val_score(pipe, df, y, cv=5, scoring="roc_auc")
scores.mean()
"""),
            ("code", """
pipe.fit(df, y)
joblib.dump(pipe, "models/lead_scoring_v2.joblib")
pd.Series(scores).to_csv("models/lead_scoring_v2_cv.csv", index=False)
"""),
        ],
    },
    {
        "name": "unused_tables_cleanup_review",
        "cell_ids": "r4c",
        "cells": [
            ("md", """# Cleanup candidates — review only
The storage team asked which warehouse tables could be dropped. This notebook **only lists
candidates**; the actual `DROP TABLE` statements go through a reviewed migration, never from here.
"""),
            ("code", """
import pandas as pd
from sqlalchemy import create_engine, text
engine = create_engine("postgresql://reporting@replica.internal/analytics")
"""),
            ("code", """
usage = pd.read_sql(text(\"\"\"
    SELECT schemaname, relname, seq_scan, idx_scan, n_live_tup,
           pg_total_relation_size(relid) AS bytes
    FROM pg_stat_user_tables
    WHERE schemaname IN ('analytics', 'staging')
\"\"\"), engine)
usage["scans"] = usage["seq_scan"].fillna(0) + usage["idx_scan"].fillna(0)
usage.sort_values("bytes", ascending=False).head(20)
"""),
            ("code", """
candidates = usage[(usage["scans"] == 0) & (usage["bytes"] > 1e9)].copy()
candidates["drop_statement"] = "DROP TABLE " + candidates["schemaname"] + "." + candidates["relname"] + ";"
candidates[["schemaname", "relname", "bytes", "drop_statement"]]
"""),
            ("code", """
print("-- proposed migration, to be reviewed by #data-platform")
for stmt in candidates["drop_statement"]:
    print(stmt)
"""),
            ("code", """
candidates.to_csv("outputs/cleanup_candidates.csv", index=False)
"""),
            ("md", "Next step: open a PR with these statements in `migrations/` and tag the owners listed in the catalogue."),
        ],
    },
    {
        "name": "writefile_config",
        "cells": [
            ("md", "Write the pipeline config and validate it"),
            ("code", """
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
            ("code", """
import yaml
cfg = yaml.safe_load(open("config/pipeline.yaml"))
assert cfg["sink"]["mode"] == "append"
cfg
"""),
        ],
    },
    {
        "name": "writefile_eval_helpers",
        "cell_ids": "r4c",
        "cells": [
            ("md", "# Model evaluation helpers\nWrite a small helper module, then use it from here and from the CLI."),
            ("code", """
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
            ("code", """
!python eval_helpers.py
"""),
            ("code", """
%load_ext autoreload
%autoreload 2
import joblib, pandas as pd
from eval_helpers import evaluate, save
model = joblib.load("models/ticket_router_v2.joblib")
test = pd.read_parquet("data/ticket_router_test.parquet")
"""),
            ("code", """
%%time
pred = model.predict(test["text"])
result = evaluate(test["queue"], pred, sorted(test["queue"].unique()))
pd.DataFrame(result["report"]).T.round(3)
"""),
            ("code", """
save(result, "reports/ticket_router_v2_eval.json")
!ls -la reports/
"""),
        ],
    },
    {
        "name": "writefile_helpers",
        "cell_ids": "r3c",
        "cells": [
            ("code", '''
%%writefile src/features.py
import pandas as pd


def add_date_parts(df: pd.DataFrame, col: str) -> pd.DataFrame:
    """Add year/month/weekday columns; drops the raw column afterwards."""
    d = pd.to_datetime(df[col])
    out = df.assign(**{f"{col}_year": d.dt.year, f"{col}_month": d.dt.month, f"{col}_dow": d.dt.dayofweek})
    return out.drop(columns=[col])
'''),
            ("code", """
%load_ext autoreload
%autoreload 2
import pandas as pd
from src.features import add_date_parts
add_date_parts(pd.DataFrame({"ts": ["2024-01-05", "2024-02-10"]}), "ts")
"""),
        ],
    },
]
