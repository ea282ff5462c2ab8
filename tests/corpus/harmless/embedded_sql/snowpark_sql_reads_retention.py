"""Snowpark: data-quality checks over the raw layer; results go to a temp table and are printed."""
import os

from snowflake.snowpark import Session

session = Session.builder.configs({
    "account": os.environ["SNOWFLAKE_ACCOUNT"],
    "user": os.environ["SNOWFLAKE_USER"],
    "authenticator": "externalbrowser",
    "warehouse": "DQ_WH",
    "database": "RAW",
}).create()

session.sql(
    "CREATE TEMPORARY TABLE dq_results (check_name STRING, table_name STRING, failures NUMBER, checked_at TIMESTAMP_NTZ)"
).collect()

CHECKS = {
    "null_order_ids": "SELECT COUNT(*) FROM RAW.SHOP.ORDERS WHERE order_id IS NULL",
    "negative_totals": "SELECT COUNT(*) FROM RAW.SHOP.ORDERS WHERE total < 0",
    "orphan_items": "SELECT COUNT(*) FROM RAW.SHOP.ORDER_ITEMS i LEFT JOIN RAW.SHOP.ORDERS o USING (order_id) WHERE o.order_id IS NULL",
}
for name, query in CHECKS.items():
    failures = session.sql(query).collect()[0][0]
    session.sql(
        "INSERT INTO dq_results SELECT ?, 'RAW.SHOP', ?, CURRENT_TIMESTAMP()", params=[name, failures]
    ).collect()

session.sql("SELECT * FROM dq_results ORDER BY failures DESC").show()
session.sql("ALTER TABLE RAW.SHOP.ORDERS SET DATA_RETENTION_TIME_IN_DAYS = 30").collect()
session.close()
