import sys

import boto3
from botocore.exceptions import ClientError

BUCKET_NAME = "acme-analytics-sandbox"


def empty_and_delete(name):
    s3 = boto3.resource("s3")
    bucket = s3.Bucket(name)
    try:
        # expect: destructive
        bucket.objects.all().delete()
        # expect: destructive
        bucket.object_versions.all().delete()
        # expect: destructive
        bucket.delete()
    except ClientError as err:
        print(f"failed: {err}", file=sys.stderr)
        return 1
    print(f"bucket {name} removed")
    return 0


if __name__ == "__main__":
    sys.exit(empty_and_delete(sys.argv[1] if len(sys.argv) > 1 else BUCKET_NAME))
