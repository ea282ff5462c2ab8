import os
import psycopg2

conn = psycopg2.connect(os.environ["ADMIN_DSN"])
cur = conn.cursor()
cur.execute("CREATE SCHEMA IF NOT EXISTS reporting")
# make the BI tool work without per-user setup
# expect: privilege
cur.execute("GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA reporting TO PUBLIC")
conn.commit()
