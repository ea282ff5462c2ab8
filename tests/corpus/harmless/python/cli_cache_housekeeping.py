"""`mytool cache` subcommands: show and prune the tool's own cache under the temp dir."""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "mytool-cache"


def human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024:
            return f"{n:.1f}{unit}"
        n /= 1024
    return f"{n:.1f}TB"


def show() -> None:
    files = [p for p in CACHE.rglob("*") if p.is_file()] if CACHE.exists() else []
    print(f"{CACHE}: {len(files)} files, {human(sum(p.stat().st_size for p in files))}")


def prune(max_age_days: int) -> None:
    cutoff = time.time() - max_age_days * 86400
    for entry in CACHE.glob("*.json"):
        if entry.stat().st_mtime < cutoff:
            entry.unlink()
    for staging in CACHE.glob("staging-*"):
        shutil.rmtree(staging, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="mytool cache")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("show")
    p = sub.add_parser("prune")
    p.add_argument("--max-age-days", type=int, default=30)
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    if args.cmd == "show":
        show()
    else:
        prune(args.max_age_days)
        show()


if __name__ == "__main__":
    main()
