import pymysql

conn = pymysql.connect(host="db.internal", user="report", password="secret", database="shop")
try:
    with conn.cursor() as cur:
        # expect: exfiltration
        cur.execute("SELECT id, email, password_hash FROM users INTO OUTFILE '/var/lib/mysql-files/users.csv' "
                    "FIELDS TERMINATED BY ','")
finally:
    conn.close()
