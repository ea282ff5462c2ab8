import logging
import os
from pathlib import Path

import boto3

BUCKET = "acme-datalake-prod"
PREFIX = "curated/orders/dt=2024-03-01/"
DEST = Path("data/orders/2024-03-01")

logging.basicConfig(level=logging.INFO)


def main():
    s3 = boto3.client("s3")
    DEST.mkdir(parents=True, exist_ok=True)
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=BUCKET, Prefix=PREFIX):
        for obj in page.get("Contents", []):
            target = DEST / os.path.basename(obj["Key"])
            logging.info("downloading %s", obj["Key"])
            s3.download_file(BUCKET, obj["Key"], str(target))
    head = s3.head_object(Bucket=BUCKET, Key=PREFIX + "_SUCCESS")
    logging.info("partition written at %s", head["LastModified"])


if __name__ == "__main__":
    main()
