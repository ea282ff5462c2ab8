"""GDPR clean-up: reset marketing opt-in for everyone (legal asked for re-consent)."""
import os

import pymysql

conn = pymysql.connect(
    host=os.environ["MYSQL_HOST"],
    user=os.environ["MYSQL_USER"],
    password=os.environ["MYSQL_PASSWORD"],
    database="crm",
    autocommit=False,
)

try:
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM contacts WHERE marketing_opt_in = 1")
        print("opted in before:", cur.fetchone()[0])
        # expect: destructive
        cur.execute("UPDATE contacts SET marketing_opt_in = 0, opt_in_source = NULL WHERE 1")
    conn.commit()
finally:
    conn.close()
