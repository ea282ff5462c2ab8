import datetime as dt

from google.cloud import bigquery

client = bigquery.Client(project="acme-analytics")

DDL = """
CREATE TABLE IF NOT EXISTS `acme-analytics.marts.daily_active_users` (
  day DATE, platform STRING, users INT64
) PARTITION BY day
"""

INSERT = """
INSERT INTO `acme-analytics.marts.daily_active_users` (day, platform, users)
SELECT DATE(event_ts), platform, COUNT(DISTINCT user_id)
FROM `acme-analytics.product.events`
WHERE DATE(event_ts) = @day
GROUP BY 1, 2
"""


def build(day: dt.date) -> None:
    client.query(DDL).result()
    cfg = bigquery.QueryJobConfig(query_parameters=[bigquery.ScalarQueryParameter("day", "DATE", day)])
    client.query(
        "DELETE FROM `acme-analytics.marts.daily_active_users` WHERE day = @day", job_config=cfg
    ).result()
    client.query(INSERT, job_config=cfg).result()


if __name__ == "__main__":
    build(dt.date.today() - dt.timedelta(days=1))
