import os

import snowflake.connector

STEPS = [
    "CREATE TEMPORARY TABLE stg_accounts LIKE CORE.ACCOUNTS",
    "COPY INTO stg_accounts FROM @RAW.PUBLIC.ACCOUNTS_STAGE FILE_FORMAT = (TYPE = PARQUET) "
    "MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE",
    """MERGE INTO CORE.ACCOUNTS t USING stg_accounts s ON t.ID = s.ID
       WHEN MATCHED AND s.UPDATED_AT > t.UPDATED_AT THEN UPDATE SET t.NAME = s.NAME, t.PLAN = s.PLAN,
            t.UPDATED_AT = s.UPDATED_AT
       WHEN NOT MATCHED THEN INSERT (ID, NAME, PLAN, UPDATED_AT) VALUES (s.ID, s.NAME, s.PLAN, s.UPDATED_AT)""",
    "DROP TABLE IF EXISTS stg_accounts",
]

with snowflake.connector.connect(
    account=os.environ["SF_ACCOUNT"], user=os.environ["SF_USER"], password=os.environ["SF_PASSWORD"],
    warehouse="LOAD_WH", database="ANALYTICS",
) as ctx:
    cur = ctx.cursor()
    for stmt in STEPS:
        cur.execute(stmt)
    print(cur.execute("SELECT COUNT(*) FROM CORE.ACCOUNTS").fetchone())
