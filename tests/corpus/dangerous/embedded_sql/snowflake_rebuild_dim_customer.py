import os
import snowflake.connector

SQL_REBUILD = """
CREATE OR REPLACE TABLE ANALYTICS.CORE.DIM_CUSTOMER AS
SELECT c.id AS customer_id,
       c.name,
       c.segment,
       MIN(o.created_at) AS first_order_at
FROM RAW.APP.CUSTOMERS c
LEFT JOIN RAW.APP.ORDERS o ON o.customer_id = c.id
GROUP BY 1, 2, 3
"""


def main():
    ctx = snowflake.connector.connect(
        user=os.environ["SNOWFLAKE_USER"],
        password=os.environ["SNOWFLAKE_PASSWORD"],
        account=os.environ["SNOWFLAKE_ACCOUNT"],
        role="TRANSFORMER",
    )
    cs = ctx.cursor()
    try:
        cs.execute("USE WAREHOUSE TRANSFORM_WH")
        # expect: destructive
        cs.execute(SQL_REBUILD)
        print(cs.fetchone())
    finally:
        cs.close()
        ctx.close()


main()
