"""Free space in the model-artifacts bucket before the quarterly retrain."""
import logging

from google.cloud import storage

log = logging.getLogger(__name__)
BUCKET = "acme-ml-artifacts"


def purge_artifacts(prefix: str = "models/") -> int:
    client = storage.Client(project="acme-ml")
    removed = 0
    for blob in client.list_blobs(BUCKET, prefix=prefix):
        # expect: destructive
        blob.delete()
        removed += 1
    log.info("removed %d blobs under gs://%s/%s", removed, BUCKET, prefix)
    return removed


if __name__ == "__main__":
    purge_artifacts()
