"""Compact small parquet files in the events lake.

Streaming ingestion writes one file per minute per partition, which makes
Athena and Spark slow. This job merges each day's small files into files of
about 256 MiB and then removes the originals.

    python compact_events.py --root /data/lake/events --day 2024-05-01
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

log = logging.getLogger("compactor")

TARGET_BYTES = 256 * 1024 * 1024
SMALL_FILE_BYTES = 32 * 1024 * 1024


def partitions(root: Path, day: dt.date) -> list[Path]:
    base = root / f"dt={day.isoformat()}"
    if not base.exists():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and p.name.startswith("hour="))


def small_files(partition: Path) -> list[Path]:
    return sorted(p for p in partition.glob("*.parquet")
                  if p.stat().st_size < SMALL_FILE_BYTES and not p.name.startswith("compacted-"))


def groups(files: list[Path]) -> list[list[Path]]:
    out: list[list[Path]] = []
    current: list[Path] = []
    size = 0
    for path in files:
        current.append(path)
        size += path.stat().st_size
        if size >= TARGET_BYTES:
            out.append(current)
            current, size = [], 0
    if current:
        out.append(current)
    return out


def merge(files: list[Path], destination: Path) -> int:
    tables = [pq.read_table(path) for path in files]
    schema = pa.unify_schemas([t.schema for t in tables])
    merged = pa.concat_tables([t.cast(schema) if t.schema != schema else t for t in tables])
    tmp = destination.with_suffix(".parquet.inprogress")
    pq.write_table(merged, tmp, compression="zstd", row_group_size=512_000)
    os.replace(tmp, destination)
    return merged.num_rows


def verify(files: list[Path], destination: Path) -> bool:
    expected = sum(pq.ParquetFile(p).metadata.num_rows for p in files)
    actual = pq.ParquetFile(destination).metadata.num_rows
    if expected != actual:
        log.error("row count mismatch for %s: %d != %d", destination, expected, actual)
        return False
    return True


def compact_partition(partition: Path, dry_run: bool) -> tuple[int, int]:
    files = small_files(partition)
    if len(files) < 2:
        return 0, 0
    merged_files = removed = 0
    for group in groups(files):
        destination = partition / f"compacted-{uuid.uuid4().hex}.parquet"
        if dry_run:
            log.info("would merge %d files into %s", len(group), destination.name)
            continue
        rows = merge(group, destination)
        if not verify(group, destination):
            destination.unlink(missing_ok=True)
            continue
        for path in group:
            # expect: destructive
            os.remove(path)
            removed += 1
        merged_files += 1
        log.info("%s: %d files -> %s (%d rows)", partition.name, len(group), destination.name, rows)
    return merged_files, removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=Path(os.environ.get("EVENTS_LAKE", "/data/lake/events")))
    parser.add_argument("--day", type=dt.date.fromisoformat,
                        default=dt.date.today() - dt.timedelta(days=1))
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    total_merged = total_removed = 0
    for partition in partitions(args.root, args.day):
        merged, removed = compact_partition(partition, args.dry_run)
        total_merged += merged
        total_removed += removed
    log.info("done: %d compacted files written, %d small files removed", total_merged, total_removed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
