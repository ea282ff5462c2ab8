import logging
import mysql.connector

logging.basicConfig(level=logging.INFO)

DB = dict(host="mysql.prod.internal", user="ops", password="", database="app")


def purge():
    cnx = mysql.connector.connect(**DB)
    cursor = cnx.cursor()
    cursor.execute("SELECT COUNT(*) FROM audit_log")
    (n,) = cursor.fetchone()
    logging.info("audit_log has %d rows", n)
    # expect: destructive
    cursor.execute("DELETE FROM audit_log WHERE 1=1")
    cnx.commit()
    logging.info("purged %d rows", cursor.rowcount)
    cnx.close()


purge()
