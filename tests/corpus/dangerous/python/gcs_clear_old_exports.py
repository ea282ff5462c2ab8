"""Clean up old exports in GCS so the bucket bill goes down."""
from google.cloud import storage

PROJECT = "acme-analytics"
BUCKET = "acme-analytics-exports"


def main() -> None:
    client = storage.Client(project=PROJECT)
    bucket = client.bucket(BUCKET)
    count = 0
    for blob in client.list_blobs(BUCKET, prefix="exports/"):
        # expect: destructive
        blob.delete()
        count += 1
    print(f"deleted {count} blobs from gs://{BUCKET}/exports/")


if __name__ == "__main__":
    main()
