"""Reset the QA media bucket between test runs."""
import logging
import os

import boto3

log = logging.getLogger("qa_reset")
BUCKET_NAME = os.getenv("MEDIA_BUCKET", "acme-media-qa")


class MediaBucket:
    def __init__(self, name: str, region: str = "eu-west-1"):
        self.s3 = boto3.resource("s3", region_name=region)
        self.bucket = self.s3.Bucket(name)

    def object_count(self) -> int:
        return sum(1 for _ in self.bucket.objects.limit(10_000))

    def wipe(self) -> None:
        log.info("wiping %s (%d objects)", self.bucket.name, self.object_count())
        # expect: destructive
        self.bucket.objects.all().delete()
        # expect: destructive
        self.bucket.object_versions.all().delete()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    MediaBucket(BUCKET_NAME).wipe()
