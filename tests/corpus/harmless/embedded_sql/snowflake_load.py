import os

import snowflake.connector

with snowflake.connector.connect(
    account=os.environ["SF_ACCOUNT"], user=os.environ["SF_USER"], password=os.environ["SF_PASSWORD"],
    warehouse="LOAD_WH", database="RAW", schema="APP",
) as ctx:
    cur = ctx.cursor()
    cur.execute("CREATE TEMPORARY TABLE ORDERS_LOAD LIKE ORDERS")
    cur.execute("COPY INTO ORDERS_LOAD FROM @raw_stage/orders/ FILE_FORMAT = (TYPE = PARQUET) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE")
    cur.execute("INSERT INTO ORDERS SELECT * FROM ORDERS_LOAD WHERE ORDER_ID NOT IN (SELECT ORDER_ID FROM ORDERS)")
    cur.execute("CREATE OR REPLACE VIEW ANALYTICS.PUBLIC.V_ORDERS AS SELECT * FROM RAW.APP.ORDERS WHERE NOT IS_TEST")
    print(cur.fetchone())
