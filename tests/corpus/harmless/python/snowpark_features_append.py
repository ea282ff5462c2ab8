"""Snowpark: weekly customer features, appended with the run week; intermediate results in temp views."""
from __future__ import annotations

import os
from datetime import date

from snowflake.snowpark import Session
from snowflake.snowpark import functions as F


def main() -> None:
    session = Session.builder.configs({
        "account": os.environ["SNOWFLAKE_ACCOUNT"],
        "user": os.environ["SNOWFLAKE_USER"],
        "authenticator": "externalbrowser",
        "warehouse": "ML_WH",
        "database": "ML",
        "schema": "FEATURES",
    }).create()

    week = date.today().isocalendar()
    orders = session.sql(
        "SELECT customer_id, order_ts, total FROM shop.public.orders WHERE order_ts >= DATEADD(day, -90, CURRENT_DATE)"
    )
    orders.create_or_replace_temp_view("recent_orders")
    feats = session.sql(
        """
        SELECT customer_id,
               COUNT(*) AS orders_90d,
               SUM(total) AS spend_90d,
               DATEDIFF(day, MAX(order_ts), CURRENT_DATE) AS days_since_last
        FROM recent_orders
        GROUP BY customer_id
        """
    ).with_column("feature_week", F.lit(f"{week.year}-W{week.week:02d}"))

    feats.write.mode("append").save_as_table("ML.FEATURES.CUSTOMER_WEEKLY")
    session.sql("SELECT feature_week, COUNT(*) FROM ML.FEATURES.CUSTOMER_WEEKLY GROUP BY 1 ORDER BY 1 DESC LIMIT 4").show()
    session.close()


if __name__ == "__main__":
    main()
