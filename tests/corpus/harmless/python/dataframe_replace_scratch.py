import pandas as pd
from sqlalchemy import create_engine

engine = create_engine("postgresql://etl@warehouse.internal/dw")

df = pd.read_csv("exports/leads.csv")
df.to_sql("tmp_leads_import", engine, schema="staging", if_exists="replace", index=False)
df.to_sql("leads", engine, schema="crm", if_exists="append", index=False)
