from google.cloud import storage
import logging

logging.basicConfig(level=logging.INFO)
LOG = logging.getLogger("gcs-expire")

PROJECT = "acme-data-prod"
BUCKET = "acme-exports"


def expire_exports(prefix: str = "exports/") -> int:
    client = storage.Client(project=PROJECT)
    count = 0
    for blob in client.list_blobs(BUCKET, prefix=prefix):
        LOG.info("removing gs://%s/%s (%s bytes)", BUCKET, blob.name, blob.size)
        # expect: destructive
        blob.delete()
        count += 1
    return count


if __name__ == "__main__":
    n = expire_exports()
    LOG.info("removed %d blobs", n)
