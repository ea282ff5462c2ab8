"""Move audit events to the archive schema, then empty the live table."""
import os

import psycopg2

conn = psycopg2.connect(os.environ["DATABASE_URL"])
conn.autocommit = False

with conn, conn.cursor() as cur:
    cur.execute("""
        INSERT INTO archive.audit_events
        SELECT * FROM public.audit_events
    """)
    print("archived", cur.rowcount, "rows")
    # expect: destructive
    cur.execute("DELETE FROM public.audit_events")
    print("cleared live table")
