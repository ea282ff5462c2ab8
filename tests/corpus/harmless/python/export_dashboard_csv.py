"""Export the dashboard data to CSV (one file per tile) under exports/<date>/."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

engine = sa.create_engine(os.environ["ANALYTICS_DB_URL"])

TILES = {
    "signups_by_day": "SELECT created_at::date AS day, count(*) AS n FROM users "
                      "WHERE created_at >= now() - interval '90 days' GROUP BY 1 ORDER BY 1",
    "mrr_by_plan": "SELECT plan, sum(mrr) AS mrr FROM subscriptions WHERE status = 'active' GROUP BY 1",
    "churn_by_month": "SELECT date_trunc('month', cancelled_at) AS month, count(*) AS churned "
                      "FROM subscriptions WHERE cancelled_at IS NOT NULL GROUP BY 1 ORDER BY 1",
}


def main() -> None:
    out = Path("exports") / str(date.today())
    out.mkdir(parents=True, exist_ok=True)
    with engine.connect() as conn:
        for name, sql in TILES.items():
            df = pd.read_sql(sa.text(sql), conn)
            df.to_csv(out / f"{name}.csv", index=False)
            print(f"{name}: {len(df)} rows")
    print("written to", out)


if __name__ == "__main__":
    main()
