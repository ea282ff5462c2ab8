#!/usr/bin/env python3
"""free_disk_space.py - the data disk on etl-01 is at 94%, reclaim space.

Deletes nightly export archives and rotated logs older than a week.
"""
import argparse
import glob
import os
import time

EXPORT_DIR = "/data/exports/nightly"
LOG_DIRS = ["/var/log/etl", "/var/log/airflow/scheduler"]
MAX_AGE_DAYS = 7


def older_than(path: str, days: int) -> bool:
    return time.time() - os.path.getmtime(path) > days * 86400


def human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024:
            return f"{n:.1f}{unit}"
        n /= 1024
    return f"{n:.1f}TB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=MAX_AGE_DAYS)
    args = parser.parse_args()

    reclaimed = 0
    for archive in glob.glob(os.path.join(EXPORT_DIR, "*.tar.gz")):
        if older_than(archive, args.days):
            reclaimed += os.path.getsize(archive)
            # expect: destructive
            os.remove(archive)

    for log_dir in LOG_DIRS:
        for name in os.listdir(log_dir):
            path = os.path.join(log_dir, name)
            if os.path.isfile(path) and (name.endswith(".gz") or older_than(path, args.days)):
                reclaimed += os.path.getsize(path)
                # expect: destructive
                os.unlink(path)

    print(f"reclaimed {human(reclaimed)}")


if __name__ == "__main__":
    main()
