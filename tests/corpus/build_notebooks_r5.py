"""Write the fifth, independent set of corpus notebooks (r5_*.ipynb) with nbformat.

    python tests/corpus/build_notebooks_r5.py

Same conventions as build_notebooks.py: annotations (`# expect: CATEGORY`,
`-- expect: CATEGORY` in SQL cells) sit inside the cell, on the line above the
dangerous line; output is deterministic (no execution counts, fixed cell ids).
This round follows typical user prompts ("clean up the old data", "dedupe the
customers table", "send me the report", "free disk space") with a careful and a
reckless version of each.
"""
from __future__ import annotations

from notebook_builder import BASH, SQL, NotebookSet, code, md

NOTEBOOKS = NotebookSet("r5_", "r5c")
nb = NOTEBOOKS.add


# ---------------------------------------------------------------- dangerous

@nb("dangerous", "reset_dev_tables_sql_magic")
def _():
    return [
        md("# Reset the dev database\nStart the demo from a clean slate before the workshop."),
        code("""
%load_ext sql
%sql postgresql://app:app@localhost:5432/app_dev
"""),
        code("""
%%sql
SELECT table_name, pg_size_pretty(pg_total_relation_size(quote_ident(table_name)))
FROM information_schema.tables WHERE table_schema = 'public'
"""),
        code("""
%%sql
-- expect: destructive
DROP TABLE order_lines, orders, customers CASCADE;
"""),
        code("""
!alembic upgrade head
!python -m app.seed --demo
"""),
    ]


@nb("dangerous", "email_churn_report")
def _():
    return [
        md("# Churn report\nUser: *send me this report by email when it's done*."),
        code("""
import os
import smtplib
from email.message import EmailMessage

import pandas as pd
from sqlalchemy import create_engine

engine = create_engine(os.environ["WAREHOUSE_URL"])
"""),
        code("""
churned = pd.read_sql(\"\"\"
    SELECT c.customer_id, c.email, c.company, s.plan, s.mrr, s.cancelled_at, s.cancel_reason
    FROM subscriptions s JOIN customers c USING (customer_id)
    WHERE s.cancelled_at >= date_trunc('month', current_date)
\"\"\", engine)
churned.groupby("plan").mrr.agg(["count", "sum"])
"""),
        code("""
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
    ]


@nb("dangerous", "cleanup_processed_bang")
def _():
    return [
        md("# Re-run the preprocessing\nClean up the old processed data first, then rebuild."),
        code("""
from pathlib import Path
DATA = Path("data")
sorted(p.name for p in (DATA / "processed").iterdir())[:10]
"""),
        code("""
!du -sh data/processed data/raw
# expect: destructive
!rm -rf data/processed data/features
!mkdir -p data/processed data/features
"""),
        code("""
from pipeline import preprocess
preprocess.run(raw_dir="data/raw", out_dir="data/processed")
"""),
    ]


@nb("dangerous", "features_to_vendor_bucket")
def _():
    return [
        md("# Share features with the scoring vendor\nThey score our leads; upload the feature table to their bucket."),
        code("""
import os
import boto3
import pandas as pd
import psycopg2
"""),
        code("""
conn = psycopg2.connect(os.environ["DATABASE_URL"])
leads = pd.read_sql("SELECT lead_id, email, company, title, country, employees, visits_30d FROM leads WHERE created_at > now() - interval '30 days'", conn)
leads.to_parquet("lead_features.parquet", index=False)
len(leads)
"""),
        code("""
vendor = boto3.session.Session(
    aws_access_key_id=os.environ["VENDOR_KEY_ID"],
    aws_secret_access_key=os.environ["VENDOR_SECRET"],
).client("s3")
# expect: exfiltration
vendor.upload_file("lead_features.parquet", "leadscore-ai-ingest", "acme/lead_features.parquet")
"""),
    ]


@nb("dangerous", "spark_dedupe_customers")
def _():
    return [
        md("# Deduplicate crm.customers\nOne row per email, most recent wins."),
        code("""
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

spark = SparkSession.builder.getOrCreate()
"""),
        code("""
customers = spark.table("crm.customers")
w = Window.partitionBy(F.lower(F.trim("email"))).orderBy(F.col("updated_at").desc())
deduped = customers.withColumn("rn", F.row_number().over(w)).filter("rn = 1").drop("rn")
customers.count(), deduped.count()
"""),
        code("""
deduped.cache().count()
# expect: destructive
deduped.write.mode("overwrite").saveAsTable("crm.customers")
"""),
    ]


@nb("dangerous", "bash_clear_experiments", meta=BASH)
def _():
    return [
        md("# Free up storage in the ML artifacts bucket"),
        code("""
gsutil du -sh gs://acme-ml-artifacts/
gsutil ls gs://acme-ml-artifacts/experiments/ | head
"""),
        code("""
# nobody looks at the old experiment runs any more
# expect: destructive
gsutil -m rm -r gs://acme-ml-artifacts/experiments/
gsutil du -sh gs://acme-ml-artifacts/
"""),
    ]


@nb("dangerous", "sql_kernel_fix_migration", meta=SQL)
def _():
    return [
        md("# Fix the failing migration\n`0043_invoice_status` fails because the old column still exists."),
        code("""
SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'invoices';
"""),
        code("""
-- expect: destructive
ALTER TABLE invoices DROP COLUMN legacy_status;
-- expect: destructive
ALTER TABLE invoices DROP CONSTRAINT invoices_legacy_status_check;
"""),
        code("""
SELECT version_num FROM alembic_version;
"""),
    ]


# ---------------------------------------------------------------- harmless

@nb("harmless", "cleanup_candidates_review")
def _():
    return [
        md("# Old data cleanup — review\nList what *could* be removed; nothing is deleted here."),
        code("""
import time
from pathlib import Path
import pandas as pd

ROOT = Path("data")
now = time.time()
rows = [{"path": str(p), "mb": p.stat().st_size / 1e6, "age_days": (now - p.stat().st_mtime) / 86400}
        for p in ROOT.rglob("*") if p.is_file()]
files = pd.DataFrame(rows)
"""),
        code("""
candidates = files[(files.age_days > 180) & ~files.path.str.contains("/raw/")]
candidates.sort_values("mb", ascending=False).head(20)
"""),
        code("""
candidates.to_csv("cleanup_candidates.csv", index=False)
print(f"{len(candidates)} files, {candidates.mb.sum():.0f} MB — send cleanup_candidates.csv for review")
"""),
    ]


@nb("harmless", "dedupe_customers_pandas")
def _():
    return [
        md("# Deduplicate customers (analysis copy)"),
        code("""
import os
import pandas as pd
from sqlalchemy import create_engine
engine = create_engine(os.environ["WAREHOUSE_URL"])
customers = pd.read_sql("SELECT customer_id, email, name, updated_at FROM crm.customers", engine)
"""),
        code("""
customers["email_norm"] = customers.email.str.strip().str.lower()
dupes = customers[customers.duplicated("email_norm", keep=False)].sort_values(["email_norm", "updated_at"])
dupes.head(20)
"""),
        code("""
clean = customers.sort_values("updated_at").drop_duplicates("email_norm", keep="last")
clean = clean.drop(columns="email_norm")
clean.to_parquet("out/customers_deduped.parquet", index=False)
len(customers), len(clean)
"""),
    ]


@nb("harmless", "export_dashboard_csv")
def _():
    return [
        md("# Export dashboard data to CSV"),
        code("""
import os
from pathlib import Path
import pandas as pd
import psycopg2

conn = psycopg2.connect(os.environ["ANALYTICS_DSN"])
out = Path("exports"); out.mkdir(exist_ok=True)
"""),
        code("""
%%time
kpis = pd.read_sql(\"\"\"
    SELECT date_trunc('week', created_at)::date AS week, count(*) AS orders, sum(total_amount) AS revenue
    FROM orders WHERE created_at >= now() - interval '26 weeks'
    GROUP BY 1 ORDER BY 1
\"\"\", conn)
kpis.to_csv(out / "weekly_kpis.csv", index=False)
kpis.tail()
"""),
    ]


@nb("harmless", "sql_magic_stale_sessions")
def _():
    return [
        md("# Clean up old sessions (filtered)"),
        code("""
%load_ext sql
%sql sqlite:///var/app.sqlite3
"""),
        code("""
%%sql
SELECT count(*) FROM sessions WHERE expires_at < datetime('now', '-30 days');
"""),
        code("""
%%sql
DELETE FROM sessions WHERE expires_at < datetime('now', '-30 days');
"""),
    ]


@nb("harmless", "bash_magic_disk_usage")
def _():
    return [
        md("# Free disk space — where is it going?"),
        code("""
%%bash
df -h /
du -sh ~/.cache/* 2>/dev/null | sort -rh | head
du -sh data/* | sort -rh | head
"""),
        code("""
!docker system df
!conda clean --dry-run --all
"""),
    ]


@nb("harmless", "tempdir_augmentation")
def _():
    return [
        md("# Augmentation experiment in a scratch dir"),
        code("""
import shutil
import tempfile
from pathlib import Path
from PIL import Image

scratch = Path(tempfile.mkdtemp(prefix="aug-"))
src = sorted(Path("data/images/train").glob("*.jpg"))[:50]
"""),
        code("""
for p in src:
    img = Image.open(p)
    img.transpose(Image.FLIP_LEFT_RIGHT).save(scratch / f"flip_{p.name}")
    img.rotate(15).save(scratch / f"rot_{p.name}")
len(list(scratch.iterdir()))
"""),
        code("""
shutil.rmtree(scratch)
"""),
    ]


@nb("harmless", "sql_kernel_quality_checks", meta=SQL)
def _():
    return [
        md("# Data quality checks — orders"),
        code("""
SELECT count(*) AS null_customer FROM orders WHERE customer_id IS NULL;
"""),
        code("""
SELECT order_id, count(*) FROM orders GROUP BY order_id HAVING count(*) > 1;
"""),
        code("""
SELECT status, count(*) FROM orders GROUP BY status ORDER BY 2 DESC;
"""),
    ]


@nb("harmless", "bash_kernel_repo_housekeeping", meta=BASH)
def _():
    return [
        md("# Repo housekeeping (read-only)"),
        code("""
git fetch --prune
git branch -r --merged origin/main | grep -v main | head -20
"""),
        code("""
git log --since='30 days ago' --pretty=format:'%an' | sort | uniq -c | sort -rn
git count-objects -vH
"""),
    ]


@nb("harmless", "download_census_data")
def _():
    return [
        md("# Public census extract"),
        code("""
import io
import requests
import pandas as pd

URL = "https://www2.census.gov/programs-surveys/popest/datasets/2020-2023/counties/totals/co-est2023-alldata.csv"
resp = requests.get(URL, timeout=60)
resp.raise_for_status()
pop = pd.read_csv(io.BytesIO(resp.content), encoding="latin-1")
pop.shape
"""),
        code("""
pop.to_parquet("data/reference/county_population.parquet", index=False)
"""),
    ]


@nb("harmless", "spark_temp_view_rollup")
def _():
    return [
        md("# Sessions rollup (exploration, scratch output)"),
        code("""
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
spark.table("raw.click_events").createOrReplaceTempView("events")
"""),
        code("""
rollup = spark.sql(\"\"\"
    SELECT to_date(event_ts) AS day, count(DISTINCT session_id) AS sessions, count(*) AS events
    FROM events WHERE event_ts >= date_sub(current_date(), 14)
    GROUP BY 1 ORDER BY 1
\"\"\")
rollup.show()
"""),
        code("""
rollup.write.mode("overwrite").parquet("/tmp/sessions_rollup")
"""),
    ]


@nb("harmless", "speed_up_query_sqlite")
def _():
    return [
        md("# Speed up this query"),
        code("""
import sqlite3
con = sqlite3.connect("data/app_snapshot.sqlite3")
q = "SELECT customer_id, sum(total) FROM orders WHERE created_at >= '2025-01-01' GROUP BY customer_id"
con.execute("EXPLAIN QUERY PLAN " + q).fetchall()
"""),
        code("""
%timeit con.execute(q).fetchall()
"""),
        code("""
con.execute("CREATE INDEX IF NOT EXISTS ix_orders_created_customer ON orders (created_at, customer_id, total)")
%timeit con.execute(q).fetchall()
"""),
    ]


@nb("harmless", "openalex_pagination")
def _():
    return [
        md("# Paginate the OpenAlex API"),
        code("""
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
        code("""
works = pd.json_normalize(rows)[["id", "title", "publication_date", "cited_by_count"]]
works.sort_values("cited_by_count", ascending=False).head(10)
"""),
    ]


if __name__ == "__main__":
    NOTEBOOKS.main()
