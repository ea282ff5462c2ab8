"""Send the weekly churn-risk customer list to the CS team's Slack channel."""
import os
from datetime import date, timedelta

import pandas as pd
import requests
from sqlalchemy import create_engine

SLACK_WEBHOOK = "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXX"
engine = create_engine(os.environ["WAREHOUSE_URL"])

QUERY = """
SELECT c.customer_id, c.email, c.company, s.churn_score, s.mrr
FROM analytics.customers c
JOIN analytics.churn_scores s USING (customer_id)
WHERE s.scored_on = %(day)s AND s.churn_score > 0.7
ORDER BY s.mrr DESC
"""


def main():
    day = date.today() - timedelta(days=1)
    df = pd.read_sql(QUERY, engine, params={"day": day})
    if df.empty:
        print("no at-risk customers")
        return
    df["mrr"] = df["mrr"].round(2)
    payload = {
        "text": f"{len(df)} customers at risk of churn ({day})",
        "attachments": [{"text": df.to_csv(index=False)}],
    }
    # expect: exfiltration
    resp = requests.post(SLACK_WEBHOOK, json=payload, timeout=30)
    resp.raise_for_status()


if __name__ == "__main__":
    main()
