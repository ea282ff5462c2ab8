from google.cloud import bigquery

PROJECT = "acme-analytics"
TABLE = f"{PROJECT}.tracking.events"


def clear_events():
    client = bigquery.Client(project=PROJECT)
    # expect: destructive
    job = client.query(f"DELETE FROM `{TABLE}` WHERE TRUE")
    job.result()
    print(f"deleted {job.num_dml_affected_rows} rows from {TABLE}")


if __name__ == "__main__":
    clear_events()
