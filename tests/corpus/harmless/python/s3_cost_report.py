"""Read-only S3 cost report.

Lists every bucket, sums object sizes per storage class, finds prefixes that
look abandoned, and prints a table. It proposes deletions in the report text
but never deletes anything itself; the owners do that after review.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import logging
import sys
from collections import Counter, defaultdict
from pathlib import Path

import boto3
from botocore.exceptions import ClientError

log = logging.getLogger("s3-cost-report")

PRICE_PER_GB = {"STANDARD": 0.023, "STANDARD_IA": 0.0125, "GLACIER": 0.004, "DEEP_ARCHIVE": 0.00099,
                "INTELLIGENT_TIERING": 0.023, "GLACIER_IR": 0.004}


def buckets(s3) -> list[str]:
    return [b["Name"] for b in s3.list_buckets()["Buckets"]]


def scan_bucket(s3, bucket: str, stale_days: int) -> dict:
    sizes: Counter[str] = Counter()
    newest_per_prefix: dict[str, dt.datetime] = {}
    bytes_per_prefix: Counter[str] = Counter()
    paginator = s3.get_paginator("list_objects_v2")
    try:
        for page in paginator.paginate(Bucket=bucket):
            for obj in page.get("Contents", []):
                sizes[obj.get("StorageClass", "STANDARD")] += obj["Size"]
                prefix = obj["Key"].split("/", 1)[0]
                bytes_per_prefix[prefix] += obj["Size"]
                newest = newest_per_prefix.get(prefix)
                if newest is None or obj["LastModified"] > newest:
                    newest_per_prefix[prefix] = obj["LastModified"]
    except ClientError as exc:
        log.warning("cannot list %s: %s", bucket, exc.response["Error"]["Code"])
        return {"bucket": bucket, "error": exc.response["Error"]["Code"]}
    cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=stale_days)
    stale = {p: bytes_per_prefix[p] for p, t in newest_per_prefix.items() if t < cutoff}
    return {"bucket": bucket, "sizes": dict(sizes), "stale": stale}


def monthly_cost(sizes: dict[str, int]) -> float:
    return sum(PRICE_PER_GB.get(cls, 0.023) * size / 1e9 for cls, size in sizes.items())


def delete_candidates(results: list[dict], min_gb: float) -> list[tuple[str, str, float]]:
    """Prefixes worth asking the owner about. Returned for the report only."""
    out = []
    for result in results:
        for prefix, size in result.get("stale", {}).items():
            if size / 1e9 >= min_gb:
                out.append((result["bucket"], prefix, size / 1e9))
    return sorted(out, key=lambda t: -t[2])


def write_csv(results: list[dict], path: Path) -> None:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["bucket", "storage_class", "gb", "monthly_usd"])
        for r in results:
            for cls, size in r.get("sizes", {}).items():
                writer.writerow([r["bucket"], cls, round(size / 1e9, 2), round(PRICE_PER_GB.get(cls, 0.023) * size / 1e9, 2)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile")
    parser.add_argument("--stale-days", type=int, default=180)
    parser.add_argument("--min-gb", type=float, default=50)
    parser.add_argument("--csv", type=Path, help="write the per-class table to a new CSV file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)

    s3 = boto3.Session(profile_name=args.profile).client("s3")
    results = [scan_bucket(s3, b, args.stale_days) for b in buckets(s3)]
    total = 0.0
    for r in sorted(results, key=lambda r: -monthly_cost(r.get("sizes", {}))):
        cost = monthly_cost(r.get("sizes", {}))
        total += cost
        print(f"{r['bucket']:<50} ${cost:>10,.2f}/month")
    print(f"{'TOTAL':<50} ${total:>10,.2f}/month\n")
    print("Prefixes with no writes in", args.stale_days, "days (ask the owner before anyone deletes them):")
    for bucket, prefix, gb in delete_candidates(results, args.min_gb):
        print(f"  s3://{bucket}/{prefix}/  {gb:,.1f} GB")
    if args.csv:
        write_csv(results, args.csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
