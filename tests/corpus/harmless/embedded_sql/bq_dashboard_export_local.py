"""Export the dashboard data from BigQuery to a local CSV for the quarterly review deck."""
from pathlib import Path

from google.cloud import bigquery

SQL = """
SELECT DATE_TRUNC(order_date, MONTH) AS month, region, SUM(revenue) AS revenue, COUNT(DISTINCT customer_id) AS buyers
FROM `acme-analytics.marts.fct_orders`
WHERE order_date >= DATE_SUB(CURRENT_DATE(), INTERVAL 12 MONTH)
GROUP BY 1, 2
ORDER BY 1, 2
"""


def main() -> None:
    client = bigquery.Client(project="acme-analytics")
    df = client.query(SQL).to_dataframe()
    out = Path("exports/dashboard_revenue_by_region.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(out, index=False)
    print(f"{len(df)} rows -> {out}")


if __name__ == "__main__":
    main()
