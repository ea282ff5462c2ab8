"""Remove every object under a prefix of the data lake bucket (used after re-ingestion)."""
import argparse
import logging

import boto3

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("s3-prune")


def chunks(items, size=1000):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def prune(bucket: str, prefix: str) -> int:
    s3 = boto3.client("s3")
    paginator = s3.get_paginator("list_objects_v2")
    removed = 0
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
        for batch in chunks(keys):
            # expect: destructive
            s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
            removed += len(batch)
            log.info("removed %d objects so far", removed)
    return removed


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("bucket")
    p.add_argument("prefix")
    a = p.parse_args()
    total = prune(a.bucket, a.prefix)
    print(f"deleted {total} objects from s3://{a.bucket}/{a.prefix}")
