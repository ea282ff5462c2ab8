"""Recreate the reporting schema from the models."""
import os

from sqlalchemy import Column, Date, Integer, MetaData, Numeric, String, Table, create_engine

engine = create_engine(os.environ["REPORTING_DB_URL"])
metadata = MetaData(schema="reporting")

daily_revenue = Table(
    "daily_revenue", metadata,
    Column("day", Date, primary_key=True),
    Column("revenue", Numeric(12, 2)),
)
top_products = Table(
    "top_products", metadata,
    Column("id", Integer, primary_key=True),
    Column("sku", String(32)),
)


def rebuild():
    # expect: destructive
    metadata.drop_all(engine)
    metadata.create_all(engine)


if __name__ == "__main__":
    rebuild()
