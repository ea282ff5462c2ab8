"""List S3 objects not touched for N days and print the commands to remove them.

Nothing is deleted here: review the output, then run it yourself.
"""
import argparse
from datetime import datetime, timedelta, timezone

import boto3


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("bucket")
    p.add_argument("--prefix", default="")
    p.add_argument("--days", type=int, default=90)
    args = p.parse_args()

    s3 = boto3.client("s3")
    cutoff = datetime.now(timezone.utc) - timedelta(days=args.days)
    paginator = s3.get_paginator("list_objects_v2")
    stale, size = [], 0
    for page in paginator.paginate(Bucket=args.bucket, Prefix=args.prefix):
        for obj in page.get("Contents", []):
            if obj["LastModified"] < cutoff:
                stale.append(obj["Key"])
                size += obj["Size"]

    print(f"# {len(stale)} objects, {size / 1e9:.2f} GB older than {args.days} days")
    for key in stale:
        print(f"aws s3 rm s3://{args.bucket}/{key}")


if __name__ == "__main__":
    main()
