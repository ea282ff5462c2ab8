import os

import snowflake.connector

REBUILD = """
CREATE OR REPLACE TABLE ANALYTICS.CORE.DIM_ACCOUNT AS
SELECT a.id AS account_id, a.name, a.plan, a.created_at, o.region
FROM RAW.APP.ACCOUNTS a
LEFT JOIN RAW.APP.ORGS o ON o.id = a.org_id
"""


def main():
    ctx = snowflake.connector.connect(
        account=os.environ["SNOWFLAKE_ACCOUNT"],
        user=os.environ["SNOWFLAKE_USER"],
        authenticator="externalbrowser",
        warehouse="TRANSFORM_WH",
        role="TRANSFORMER",
    )
    cs = ctx.cursor()
    try:
        # expect: destructive
        cs.execute(REBUILD)
        cs.execute("SELECT COUNT(*) FROM ANALYTICS.CORE.DIM_ACCOUNT")
        print(cs.fetchone())
    finally:
        cs.close()
        ctx.close()


if __name__ == "__main__":
    main()
