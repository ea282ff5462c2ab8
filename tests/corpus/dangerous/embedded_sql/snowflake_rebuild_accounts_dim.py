"""Rebuild the account dimension in Snowflake from the CRM staging tables."""
import os

import snowflake.connector

TARGET = "ANALYTICS.CORE.DIM_ACCOUNTS"

BUILD_SQL = f"""
CREATE OR REPLACE TABLE {TARGET} AS
SELECT a.id            AS account_id,
       a.name,
       a.industry,
       o.owner_email,
       a.created_at
FROM RAW.CRM.ACCOUNTS a
LEFT JOIN RAW.CRM.OWNERS o ON o.id = a.owner_id
WHERE NOT a.is_deleted
"""

ctx = snowflake.connector.connect(
    user=os.environ["SNOWFLAKE_USER"],
    password=os.environ["SNOWFLAKE_PASSWORD"],
    account=os.environ["SNOWFLAKE_ACCOUNT"],
    warehouse="TRANSFORM_WH",
    role="TRANSFORMER",
)
cs = ctx.cursor()
try:
    # expect: destructive
    cs.execute(BUILD_SQL)
    cs.execute(f"SELECT COUNT(*) FROM {TARGET}")
    print("rows:", cs.fetchone()[0])
finally:
    cs.close()
    ctx.close()
