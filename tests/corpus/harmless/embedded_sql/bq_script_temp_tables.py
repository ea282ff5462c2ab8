"""Weekly cohort retention via a BigQuery script (temp tables live only for the script)."""
from google.cloud import bigquery

client = bigquery.Client(project="acme-prod")

SCRIPT = """
DECLARE start_week DATE DEFAULT DATE_TRUNC(DATE_SUB(CURRENT_DATE(), INTERVAL 12 WEEK), WEEK(MONDAY));

CREATE TEMP TABLE first_orders AS
SELECT customer_id, DATE_TRUNC(MIN(DATE(order_ts)), WEEK(MONDAY)) AS cohort_week
FROM `acme-prod.core.orders`
GROUP BY customer_id
HAVING cohort_week >= start_week;

CREATE TEMP TABLE activity AS
SELECT DISTINCT o.customer_id, f.cohort_week,
       DATE_DIFF(DATE_TRUNC(DATE(o.order_ts), WEEK(MONDAY)), f.cohort_week, WEEK) AS week_n
FROM `acme-prod.core.orders` o
JOIN first_orders f USING (customer_id);

SELECT cohort_week, week_n, COUNT(*) AS customers
FROM activity
GROUP BY 1, 2
ORDER BY 1, 2;
"""


def main() -> None:
    job = client.query(SCRIPT, job_config=bigquery.QueryJobConfig(use_query_cache=True, labels={"team": "growth"}))
    frame = job.to_dataframe()
    pivot = frame.pivot(index="cohort_week", columns="week_n", values="customers")
    print(pivot.fillna(0).astype(int))
    frame.to_csv("reports/cohorts.csv", index=False)


if __name__ == "__main__":
    main()
