"""Send the daily KPI report to our Teams channel (incoming webhook)."""
import os

import pandas as pd
import requests
from sqlalchemy import create_engine, text

WEBHOOK = "https://acmecorp.webhook.office.com/webhookb2/1c2d3e4f/IncomingWebhook/abc/def"
engine = create_engine(os.environ["WAREHOUSE_URL"])

with engine.connect() as conn:
    top = pd.read_sql(text("""
        SELECT c.name AS customer, c.email, sum(o.total_amount) AS revenue
        FROM orders o JOIN customers c ON c.id = o.customer_id
        WHERE o.created_at >= current_date - 1
        GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10
    """), conn)

card = {
    "@type": "MessageCard",
    "summary": "Daily KPIs",
    "title": f"Top customers yesterday (total {top.revenue.sum():,.0f} EUR)",
    "text": top.to_markdown(index=False),
}
# expect: exfiltration
resp = requests.post(WEBHOOK, json=card, timeout=15)
resp.raise_for_status()
