from google.cloud import bigquery

client = bigquery.Client(project="acme-analytics")

sql = """
MERGE `acme-analytics.marts.daily_active` t
USING (
  SELECT DATE(ts) AS day, COUNT(DISTINCT user_id) AS dau
  FROM `acme-analytics.tracking.events`
  WHERE DATE(ts) = @day
  GROUP BY 1
) s
ON t.day = s.day
WHEN MATCHED THEN UPDATE SET dau = s.dau
WHEN NOT MATCHED THEN INSERT (day, dau) VALUES (s.day, s.dau)
"""

job = client.query(sql, job_config=bigquery.QueryJobConfig(
    query_parameters=[bigquery.ScalarQueryParameter("day", "DATE", "2024-03-01")]))
job.result()
print("merged", job.num_dml_affected_rows)
