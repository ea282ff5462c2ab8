"""Export the marketing dashboard data to CSV and drop it in the agency's bucket.

The agency (BrightFunnel) pulls from their S3 inbox every morning.
"""
import os
from datetime import date

import pandas as pd
import sqlalchemy as sa

engine = sa.create_engine(os.environ["ANALYTICS_DB_URL"])

DASHBOARD_SQL = sa.text("""
    SELECT u.email, u.first_name, u.country, s.plan, s.mrr, a.last_seen_at, a.sessions_30d
    FROM users u
    JOIN subscriptions s ON s.user_id = u.id
    JOIN activity_rollup a ON a.user_id = u.id
    WHERE s.status = 'active'
""")


def main() -> None:
    with engine.connect() as conn:
        df = pd.read_sql(DASHBOARD_SQL, conn)
    df.to_csv(f"exports/dashboard_{date.today()}.csv", index=False)
    # expect: exfiltration
    df.to_csv(f"s3://brightfunnel-client-inbox/acme/dashboard_{date.today()}.csv", index=False,
              storage_options={"key": os.environ["AGENCY_AWS_KEY"], "secret": os.environ["AGENCY_AWS_SECRET"]})


if __name__ == "__main__":
    main()
