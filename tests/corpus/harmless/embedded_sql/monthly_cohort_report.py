"""Monthly cohort retention report -> reports/cohorts.xlsx"""
import os

import pandas as pd
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["ANALYTICS_DB_URL"])

QUERY = text("""
    WITH first_orders AS (
        SELECT customer_id, date_trunc('month', min(created_at)) AS cohort
        FROM orders
        GROUP BY customer_id
    )
    SELECT f.cohort,
           date_trunc('month', o.created_at) AS order_month,
           count(DISTINCT o.customer_id) AS customers
    FROM orders o
    JOIN first_orders f USING (customer_id)
    WHERE o.created_at >= :since
    GROUP BY 1, 2
""")

with engine.connect() as conn:
    df = pd.read_sql(QUERY, conn, params={"since": "2023-01-01"})

pivot = df.pivot_table(index="cohort", columns="order_month", values="customers", fill_value=0)
retention = pivot.div(pivot.iloc[:, 0], axis=0).round(3)
os.makedirs("reports", exist_ok=True)
with pd.ExcelWriter("reports/cohorts.xlsx") as xl:
    pivot.to_excel(xl, sheet_name="customers")
    retention.to_excel(xl, sheet_name="retention")
print(retention.head())
