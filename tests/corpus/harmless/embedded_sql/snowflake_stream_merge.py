"""Apply the inventory stream to the inventory table (Snowflake connector); scratch tables are temporary."""
import os

import snowflake.connector

conn = snowflake.connector.connect(
    account=os.environ["SNOWFLAKE_ACCOUNT"],
    user=os.environ["SNOWFLAKE_USER"],
    authenticator="externalbrowser",
    warehouse="ETL_WH",
    database="SHOP",
    schema="CORE",
)

with conn.cursor() as cur:
    cur.execute("CREATE OR REPLACE TEMPORARY TABLE inv_changes AS SELECT * FROM SHOP.RAW.INVENTORY_STREAM")
    cur.execute("DELETE FROM inv_changes WHERE METADATA$ACTION = 'DELETE' AND METADATA$ISUPDATE")
    cur.execute(
        """
        MERGE INTO SHOP.CORE.INVENTORY t
        USING inv_changes s ON t.sku = s.sku AND t.warehouse_id = s.warehouse_id
        WHEN MATCHED AND s.METADATA$ACTION = 'DELETE' THEN DELETE
        WHEN MATCHED THEN UPDATE SET qty = s.qty, updated_at = s.updated_at
        WHEN NOT MATCHED AND s.METADATA$ACTION = 'INSERT' THEN
            INSERT (sku, warehouse_id, qty, updated_at) VALUES (s.sku, s.warehouse_id, s.qty, s.updated_at)
        """
    )
    print(cur.fetchall())
    cur.execute("DROP TABLE IF EXISTS inv_changes")
    cur.execute("ALTER TABLE SHOP.CORE.INVENTORY SET DATA_RETENTION_TIME_IN_DAYS = 14")
conn.close()
