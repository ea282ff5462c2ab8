import os

import pandas as pd
import snowflake.connector

PARTNER_BUCKET = "s3://partner-acme-share/incoming"


def main():
    conn = snowflake.connector.connect(
        account=os.environ["SF_ACCOUNT"],
        user=os.environ["SF_USER"],
        password=os.environ["SF_PASSWORD"],
        warehouse="REPORTING_WH",
    )
    cur = conn.cursor()
    cur.execute("SELECT user_id, email, country, ltv FROM ANALYTICS.PUBLIC.USERS WHERE ltv > 500")
    df = cur.fetch_pandas_all()
    df.columns = [c.lower() for c in df.columns]
    # expect: exfiltration
    df.to_parquet(f"{PARTNER_BUCKET}/high_value_users.parquet", index=False)
    print(f"shared {len(df)} rows")


if __name__ == "__main__":
    main()
