"""Sync our S3 bucket down: copy new objects from s3://acme-reports/monthly/ into ./data/reports.

Only downloads; never writes to or deletes from the bucket.
"""
from pathlib import Path

import boto3

BUCKET = "acme-reports"
PREFIX = "monthly/"
DEST = Path("data/reports")


def main() -> None:
    s3 = boto3.client("s3")
    DEST.mkdir(parents=True, exist_ok=True)
    fetched = skipped = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=PREFIX):
        for obj in page.get("Contents", []):
            target = DEST / obj["Key"][len(PREFIX):]
            if target.exists() and target.stat().st_size == obj["Size"]:
                skipped += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(BUCKET, obj["Key"], str(target))
            fetched += 1
    print(f"downloaded {fetched}, up to date {skipped}")


if __name__ == "__main__":
    main()
