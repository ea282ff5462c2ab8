"""Oracle (python-oracledb): report on app sessions and remove the ones idle for 30+ days."""
import os

import oracledb

conn = oracledb.connect(user="app", password=os.environ["ORACLE_PASSWORD"], dsn="db-ora.internal/APPPDB")

with conn.cursor() as cur:
    cur.execute(
        """
        SELECT user_id, COUNT(*) AS sessions, MAX(last_seen) AS last_seen
        FROM app_sessions
        GROUP BY user_id
        ORDER BY sessions DESC
        FETCH FIRST 10 ROWS ONLY
        """
    )
    for user_id, sessions, last_seen in cur:
        print(user_id, sessions, last_seen)

    cur.execute("DELETE FROM app_sessions WHERE last_seen < SYSDATE - :days", days=30)
    print(cur.rowcount, "idle sessions removed")
    cur.callproc("DBMS_STATS.GATHER_TABLE_STATS", ["APP", "APP_SESSIONS"])
conn.commit()
conn.close()
