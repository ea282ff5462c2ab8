"""Remove the `beta_checkout` feature flag: it is on for everyone now, so drop the column."""
import os

import snowflake.connector

conn = snowflake.connector.connect(
    account=os.environ["SNOWFLAKE_ACCOUNT"],
    user=os.environ["SNOWFLAKE_USER"],
    authenticator="externalbrowser",
    warehouse="TRANSFORM_WH",
    database="APP",
    schema="CORE",
)
cur = conn.cursor()
try:
    cur.execute("SELECT count(*) FROM accounts WHERE beta_checkout = FALSE")
    print("accounts with the flag off:", cur.fetchone()[0])
    # expect: destructive
    cur.execute("ALTER TABLE accounts DROP COLUMN beta_checkout")
    # expect: destructive
    cur.execute("ALTER TABLE account_settings DROP COLUMN IF EXISTS beta_checkout_rollout")
finally:
    cur.close()
    conn.close()
