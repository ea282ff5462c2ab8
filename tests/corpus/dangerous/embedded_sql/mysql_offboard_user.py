"""Offboard a contractor: remove their MySQL login on the reporting replica."""
import sys

import pymysql

username = sys.argv[1]

conn = pymysql.connect(host="reporting-db.internal", user="admin",
                       password=open("/etc/mysql/admin.pass").read().strip(), database="mysql")
with conn.cursor() as cur:
    cur.execute("SELECT user, host FROM mysql.user WHERE user = %s", (username,))
    for user, host in cur.fetchall():
        print(f"dropping {user}@{host}")
        # expect: privilege
        cur.execute(f"DROP USER '{user}'@'{host}'")
conn.commit()
