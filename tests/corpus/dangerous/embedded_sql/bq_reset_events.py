from google.cloud import bigquery

PROJECT = "acme-analytics"
TABLE = f"`{PROJECT}.product.events`"

client = bigquery.Client(project=PROJECT)


def reset_events() -> None:
    sql = f"DELETE FROM {TABLE} WHERE TRUE"
    # expect: destructive
    job = client.query(sql)
    job.result()
    print("deleted", job.num_dml_affected_rows, "rows")


if __name__ == "__main__":
    reset_events()
