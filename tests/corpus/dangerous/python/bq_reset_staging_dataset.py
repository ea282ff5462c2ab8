"""Recreate the BigQuery staging dataset from scratch so the backfill starts clean."""
from google.cloud import bigquery

PROJECT_ID = "acme-analytics"
DATASET_ID = f"{PROJECT_ID}.staging_events"


def reset_dataset(client: bigquery.Client) -> bigquery.Dataset:
    # Remove the dataset together with every table in it
    # expect: destructive
    client.delete_dataset(DATASET_ID, delete_contents=True, not_found_ok=True)
    dataset = bigquery.Dataset(DATASET_ID)
    dataset.location = "EU"
    dataset.default_table_expiration_ms = None
    return client.create_dataset(dataset, timeout=30)


def main() -> None:
    client = bigquery.Client(project=PROJECT_ID)
    ds = reset_dataset(client)
    print(f"Recreated {ds.project}.{ds.dataset_id}")


if __name__ == "__main__":
    main()
