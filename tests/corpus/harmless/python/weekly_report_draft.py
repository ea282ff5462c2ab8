"""Build the weekly revenue report as an email draft (.eml) you can open and send yourself.

Nothing is sent from here: the draft and the CSV land in out/weekly/.
"""
from __future__ import annotations

import os
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine

OUT = Path("out/weekly")
engine = create_engine(os.environ["WAREHOUSE_URL"])


def load(start: date) -> pd.DataFrame:
    sql = """
        SELECT date_trunc('day', created_at)::date AS day, count(*) AS orders, sum(total_amount) AS revenue
        FROM orders WHERE created_at >= %(start)s GROUP BY 1 ORDER BY 1
    """
    return pd.read_sql(sql, engine, params={"start": start})


def main() -> None:
    start = date.today() - timedelta(days=7)
    df = load(start)
    OUT.mkdir(parents=True, exist_ok=True)
    csv_path = OUT / f"revenue_{start}.csv"
    df.to_csv(csv_path, index=False)

    msg = EmailMessage()
    msg["Subject"] = f"Weekly revenue since {start}"
    msg["To"] = "me@example.com"
    msg.set_content(df.to_string(index=False))
    msg.add_attachment(csv_path.read_bytes(), maintype="text", subtype="csv", filename=csv_path.name)
    draft = OUT / f"weekly_{start}.eml"
    draft.write_bytes(bytes(msg))
    print(f"draft ready: {draft}")


if __name__ == "__main__":
    main()
