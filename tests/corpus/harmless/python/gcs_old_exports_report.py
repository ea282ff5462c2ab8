"""List exports in GCS older than 90 days and print their total size (read-only).

Set a lifecycle rule on the bucket to expire them; this script only shows the effect.
"""
from datetime import datetime, timedelta, timezone

from google.cloud import storage

BUCKET = "acme-analytics-exports"


def main() -> None:
    client = storage.Client()
    cutoff = datetime.now(timezone.utc) - timedelta(days=90)
    old = [b for b in client.list_blobs(BUCKET, prefix="exports/") if b.updated < cutoff]
    total = sum(b.size or 0 for b in old)
    for blob in old[:20]:
        print(f"{blob.updated:%Y-%m-%d}  {blob.size / 1e6:9.1f} MB  {blob.name}")
    print(f"{len(old)} blobs, {total / 1e9:.2f} GB older than 90 days")
    print("suggested lifecycle rule: {'action': {'type': 'Delete'}, 'condition': {'age': 90}}")


if __name__ == "__main__":
    main()
