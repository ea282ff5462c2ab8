"""Reload the clickstream table from the stage after the schema fix (Snowflake connector)."""
import os

import snowflake.connector

conn = snowflake.connector.connect(
    account=os.environ["SNOWFLAKE_ACCOUNT"],
    user=os.environ["SNOWFLAKE_USER"],
    authenticator="externalbrowser",
    warehouse="LOAD_WH",
    database="RAW",
    schema="WEB",
)

try:
    cur = conn.cursor()
    cur.execute("SELECT COUNT(*) FROM RAW.WEB.CLICKSTREAM")
    print("rows before:", cur.fetchone()[0])
    # expect: destructive
    cur.execute("TRUNCATE TABLE RAW.WEB.CLICKSTREAM")
    cur.execute(
        """
        COPY INTO RAW.WEB.CLICKSTREAM
        FROM @RAW.WEB.CLICKSTREAM_STAGE
        FILE_FORMAT = (TYPE = PARQUET)
        MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE
        """
    )
    print(cur.fetchall())
finally:
    conn.close()
