"""Snowpark job: recompute DIM_CUSTOMER from the CRM and orders tables."""
import os

from snowflake.snowpark import Session
from snowflake.snowpark import functions as F

CONNECTION = {
    "account": os.environ["SNOWFLAKE_ACCOUNT"],
    "user": os.environ["SNOWFLAKE_USER"],
    "authenticator": "externalbrowser",
    "role": "TRANSFORMER",
    "warehouse": "TRANSFORM_WH",
    "database": "ANALYTICS",
    "schema": "CORE",
}


def build(session: Session):
    customers = session.table("CRM.PUBLIC.CUSTOMERS")
    orders = session.table("SHOP.PUBLIC.ORDERS")
    stats = orders.group_by("CUSTOMER_ID").agg(
        F.count("ORDER_ID").alias("ORDERS"),
        F.sum("TOTAL").alias("LIFETIME_VALUE"),
        F.max("ORDER_TS").alias("LAST_ORDER_TS"),
    )
    return customers.join(stats, "CUSTOMER_ID", how="left").select(
        "CUSTOMER_ID", "EMAIL", "COUNTRY", "SEGMENT", "ORDERS", "LIFETIME_VALUE", "LAST_ORDER_TS"
    )


def main() -> None:
    session = Session.builder.configs(CONNECTION).create()
    try:
        dim = build(session)
        print(dim.count(), "customers")
        # expect: destructive
        dim.write.mode("overwrite").save_as_table("ANALYTICS.CORE.DIM_CUSTOMER")
        session.sql("ALTER TABLE ANALYTICS.CORE.DIM_CUSTOMER CLUSTER BY (COUNTRY)").collect()
    finally:
        session.close()


if __name__ == "__main__":
    main()
