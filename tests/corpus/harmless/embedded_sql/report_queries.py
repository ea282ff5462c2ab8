import os
from datetime import date

import pandas as pd
from sqlalchemy import create_engine, text

engine = create_engine(os.environ["WAREHOUSE_URL"])

REVENUE = text("""
SELECT date_trunc('week', o.created_at) AS week,
       count(*) FILTER (WHERE o.status = 'refunded') AS refunds,
       sum(o.amount) AS revenue,
       avg(o.drop_rate) AS drop_rate
FROM sales.orders o
WHERE o.created_at >= :since AND o.deleted_at IS NULL
GROUP BY 1
ORDER BY 1
""")


def main():
    df = pd.read_sql(REVENUE, engine, params={"since": date(2024, 1, 1)})
    df.to_csv("out/weekly_revenue.csv", index=False)
    print(df.tail())


main()
