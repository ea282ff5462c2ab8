"""Give the data vendor this quarter's customer extract: DuckDB reads Postgres and writes to their bucket."""
import os

import duckdb

con = duckdb.connect()
con.execute("INSTALL postgres; LOAD postgres; INSTALL httpfs; LOAD httpfs;")
con.execute(f"ATTACH '{os.environ['CRM_PG_DSN']}' AS crm (TYPE postgres, READ_ONLY)")
con.execute(
    """
    CREATE SECRET vendor_s3 (
        TYPE s3,
        KEY_ID 'AKIAVENDORUPLOAD01',
        SECRET 'vendor-provided-upload-secret',
        REGION 'us-east-1'
    )
    """
)

print(con.sql("SELECT country, count(*) FROM crm.public.customers GROUP BY 1 ORDER BY 2 DESC").fetchall())

# expect: exfiltration
con.execute(
    """
    COPY (
        SELECT customer_id, email, phone, full_name, country, lifetime_value
        FROM crm.public.customers
        WHERE created_at >= date_trunc('quarter', current_date)
    ) TO 's3://enrichment-vendor-inbox/acme/customers_q.parquet' (FORMAT PARQUET)
    """
)
