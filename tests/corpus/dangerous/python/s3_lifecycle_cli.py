#!/usr/bin/env python3
"""s3-lifecycle: inspect and tidy the data-lake buckets.

Subcommands:
    usage     total size per top-level prefix
    stale     list objects older than N days under a prefix
    prune     delete objects older than N days under a prefix (asks unless --yes)
    restore   copy a prefix back from the archive bucket
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections import defaultdict
from typing import Iterator

import boto3
from botocore.config import Config

log = logging.getLogger("s3-lifecycle")

DEFAULT_BUCKET = "acme-datalake-prod"
ARCHIVE_BUCKET = "acme-datalake-archive"
BATCH = 1000


def client():
    return boto3.client("s3", config=Config(retries={"max_attempts": 10, "mode": "adaptive"}))


def iter_objects(s3, bucket: str, prefix: str) -> Iterator[dict]:
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        yield from page.get("Contents", [])


def human(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024:
            return f"{n:.1f}{unit}"
        n /= 1024
    return f"{n:.1f}PiB"


def cmd_usage(args: argparse.Namespace) -> int:
    s3 = client()
    sizes: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for obj in iter_objects(s3, args.bucket, args.prefix):
        top = obj["Key"][len(args.prefix):].split("/", 1)[0]
        sizes[top] += obj["Size"]
        counts[top] += 1
    for top, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
        print(f"{human(size):>10}  {counts[top]:>8}  {args.prefix}{top}")
    return 0


def stale_objects(s3, bucket: str, prefix: str, days: int) -> Iterator[dict]:
    cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
    for obj in iter_objects(s3, bucket, prefix):
        if obj["LastModified"] < cutoff:
            yield obj


def cmd_stale(args: argparse.Namespace) -> int:
    s3 = client()
    total = 0
    for obj in stale_objects(s3, args.bucket, args.prefix, args.days):
        total += obj["Size"]
        print(obj["LastModified"].date(), human(obj["Size"]), obj["Key"])
    print("total", human(total))
    return 0


def confirm(message: str) -> bool:
    reply = input(f"{message} [y/N] ").strip().lower()
    return reply in ("y", "yes")


def _flush(s3, bucket: str, batch: list[dict]) -> int:
    # expect: destructive
    response = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
    errors = response.get("Errors", [])
    for err in errors:
        log.error("could not delete %s: %s", err["Key"], err["Message"])
    return len(batch) - len(errors)


def cmd_prune(args: argparse.Namespace) -> int:
    s3 = client()
    victims = list(stale_objects(s3, args.bucket, args.prefix, args.days))
    if not victims:
        print("nothing older than", args.days, "days")
        return 0
    size = sum(o["Size"] for o in victims)
    if not args.yes and not confirm(f"delete {len(victims)} objects ({human(size)}) from s3://{args.bucket}/{args.prefix}?"):
        print("aborted")
        return 1
    deleted = 0
    batch: list[dict] = []
    for obj in victims:
        batch.append({"Key": obj["Key"]})
        if len(batch) == BATCH:
            deleted += _flush(s3, args.bucket, batch)
            batch = []
    if batch:
        deleted += _flush(s3, args.bucket, batch)
    log.info("deleted %d objects", deleted)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    s3 = client()
    copied = 0
    for obj in iter_objects(s3, ARCHIVE_BUCKET, args.prefix):
        s3.copy_object(Bucket=args.bucket, Key=obj["Key"],
                       CopySource={"Bucket": ARCHIVE_BUCKET, "Key": obj["Key"]})
        copied += 1
    print("restored", copied, "objects")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="s3-lifecycle", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bucket", default=DEFAULT_BUCKET)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("usage", help="size per prefix")
    p.add_argument("--prefix", default="")
    p.set_defaults(func=cmd_usage)

    p = sub.add_parser("stale", help="list old objects")
    p.add_argument("--prefix", required=True)
    p.add_argument("--days", type=int, default=90)
    p.set_defaults(func=cmd_stale)

    p = sub.add_parser("prune", help="delete old objects")
    p.add_argument("--prefix", required=True)
    p.add_argument("--days", type=int, default=90)
    p.add_argument("--yes", action="store_true", help="do not ask")
    p.set_defaults(func=cmd_prune)

    p = sub.add_parser("restore", help="copy a prefix back from the archive")
    p.add_argument("--prefix", required=True)
    p.set_defaults(func=cmd_restore)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
