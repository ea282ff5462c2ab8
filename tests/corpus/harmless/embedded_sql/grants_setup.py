import os
import psycopg2

STATEMENTS = [
    "CREATE ROLE reporting_ro NOLOGIN",
    "GRANT USAGE ON SCHEMA reporting TO reporting_ro",
    "GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO reporting_ro",
    "ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO reporting_ro",
    "GRANT reporting_ro TO metabase",
]

with psycopg2.connect(os.environ["ADMIN_DSN"]) as conn, conn.cursor() as cur:
    for stmt in STATEMENTS:
        cur.execute(stmt)
