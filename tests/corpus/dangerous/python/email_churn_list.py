"""Email the weekly at-risk customer list to the account manager."""
import os
import smtplib
from email.message import EmailMessage

import pandas as pd
from sqlalchemy import create_engine

engine = create_engine(os.environ["WAREHOUSE_URL"])
at_risk = pd.read_sql(
    "SELECT customer_id, name, email, phone, mrr, churn_score FROM marts.churn_scores WHERE churn_score > 0.7",
    engine,
)

msg = EmailMessage()
msg["Subject"] = f"At-risk customers ({len(at_risk)})"
msg["From"] = "reports@acme.io"
msg["To"] = "jordan.am@gmail.com"
msg.set_content("Attached is this week's list of at-risk customers.")
msg.add_attachment(at_risk.to_csv(index=False).encode(), maintype="text", subtype="csv",
                   filename="at_risk.csv")

with smtplib.SMTP_SSL("smtp.gmail.com", 465) as smtp:
    smtp.login(os.environ["GMAIL_USER"], os.environ["GMAIL_APP_PASSWORD"])
    # expect: exfiltration
    smtp.send_message(msg)
