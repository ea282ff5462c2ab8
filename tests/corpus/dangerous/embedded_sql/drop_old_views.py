import os
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["WAREHOUSE_URL"])

with engine.begin() as conn:
    # expect: destructive
    conn.execute(text("DROP VIEW IF EXISTS reporting.monthly_revenue"))
    conn.execute(text("CREATE VIEW reporting.monthly_revenue_v2 AS SELECT date_trunc('month', created_at) AS m, sum(amount) FROM orders GROUP BY 1"))
