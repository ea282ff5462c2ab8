import mysql.connector

cnx = mysql.connector.connect(host="db.internal", user="etl", database="crm")
cur = cnx.cursor()
cur.execute("""
DELETE l1 FROM leads l1
JOIN leads l2 ON l1.email = l2.email AND l1.id > l2.id
WHERE l1.source = 'import'
""")
print("removed duplicates:", cur.rowcount)
cur.execute("SELECT COUNT(*) FROM leads")
print(cur.fetchone())
cnx.commit()
