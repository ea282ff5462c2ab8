"""Rebuild fct_orders with the new currency conversion (BigQuery)."""
from google.cloud import bigquery

client = bigquery.Client(project="acme-prod")

REBUILD = """
CREATE OR REPLACE TABLE `acme-prod.marts.fct_orders`
PARTITION BY DATE(order_ts)
CLUSTER BY customer_id AS
SELECT
  o.order_id,
  o.customer_id,
  o.order_ts,
  o.total * fx.rate_to_eur AS total_eur,
  o.status
FROM `acme-prod.core.orders` AS o
JOIN `acme-prod.ref.fx_daily` AS fx
  ON fx.currency = o.currency AND fx.day = DATE(o.order_ts)
"""


def main() -> None:
    # expect: destructive
    job = client.query(REBUILD)
    job.result()
    table = client.get_table("acme-prod.marts.fct_orders")
    print(f"fct_orders rebuilt: {table.num_rows} rows")


if __name__ == "__main__":
    main()
