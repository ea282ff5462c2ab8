import argparse

from google.cloud import storage


def clear_prefix(bucket_name: str, prefix: str, dry_run: bool = False) -> int:
    client = storage.Client()
    n = 0
    for blob in client.list_blobs(bucket_name, prefix=prefix):
        if dry_run:
            print("would delete", blob.name)
        else:
            # expect: destructive
            blob.delete()
        n += 1
    return n


if __name__ == "__main__":
    p = argparse.ArgumentParser(description="Delete every object under a GCS prefix")
    p.add_argument("bucket")
    p.add_argument("prefix")
    p.add_argument("--dry-run", action="store_true")
    a = p.parse_args()
    print(clear_prefix(a.bucket, a.prefix, a.dry_run), "objects")
