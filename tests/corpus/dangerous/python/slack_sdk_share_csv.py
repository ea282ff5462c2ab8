import os

import pandas as pd
from slack_sdk import WebClient
from sqlalchemy import create_engine

engine = create_engine(os.environ["DWH_URL"])
client = WebClient(token=os.environ["SLACK_BOT_TOKEN"])

df = pd.read_sql("SELECT user_id, email, ltv, last_login FROM marts.user_value ORDER BY ltv DESC LIMIT 5000", engine)
path = "top_users.csv"
df.to_csv(path, index=False)

# expect: exfiltration
client.files_upload_v2(
    channel="C0123456789",
    file=path,
    title="Top users by LTV",
    initial_comment="as requested",
)
