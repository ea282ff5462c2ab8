#!/usr/bin/env python3
"""Tear down the staging ingest bucket after the migration to the new project."""
from google.cloud import storage

PROJECT = "acme-data-staging"
BUCKET = "acme-staging-ingest"


def teardown() -> None:
    client = storage.Client(project=PROJECT)
    bucket = client.bucket(BUCKET)
    if not bucket.exists():
        print(f"gs://{BUCKET} already gone")
        return
    print(f"deleting gs://{BUCKET} and everything in it ...")
    # expect: destructive
    bucket.delete(force=True)
    print("done")


if __name__ == "__main__":
    teardown()
