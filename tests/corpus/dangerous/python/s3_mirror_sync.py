"""Sync our S3 bucket: make s3://acme-assets-prod match the local build/ directory.

Uploads new or changed files and deletes every object in the bucket that is not
in the local tree (like `aws s3 sync --delete`).
"""
from __future__ import annotations

import hashlib
import mimetypes
import sys
from pathlib import Path

import boto3

BUCKET = "acme-assets-prod"
LOCAL = Path("build")

s3 = boto3.client("s3")


def local_files() -> dict[str, Path]:
    return {p.relative_to(LOCAL).as_posix(): p for p in LOCAL.rglob("*") if p.is_file()}


def remote_etags() -> dict[str, str]:
    out: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for obj in page.get("Contents", []):
            out[obj["Key"]] = obj["ETag"].strip('"')
    return out


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def main() -> int:
    local = local_files()
    remote = remote_etags()
    for key, path in local.items():
        if remote.get(key) != md5(path):
            ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            s3.upload_file(str(path), BUCKET, key, ExtraArgs={"ContentType": ctype})
            print("upload", key)
    stale = [k for k in remote if k not in local]
    for i in range(0, len(stale), 1000):
        batch = [{"Key": k} for k in stale[i:i + 1000]]
        # expect: destructive
        s3.delete_objects(Bucket=BUCKET, Delete={"Objects": batch, "Quiet": True})
    print(f"deleted {len(stale)} stale objects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
