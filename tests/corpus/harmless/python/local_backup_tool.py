#!/usr/bin/env python3
"""backup-tool: archive project folders into dated tarballs and verify them.

    backup-tool create ~/projects/thesis --dest /mnt/backup/thesis
    backup-tool verify /mnt/backup/thesis/thesis-2024-05-01T1200.tar.gz
    backup-tool list /mnt/backup/thesis
    backup-tool plan-prune /mnt/backup/thesis --keep 10   # prints what a prune WOULD remove

This tool is append-only: it never deletes or overwrites a backup. `plan-prune`
only prints; removing old archives is left to the operator.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

MANIFEST = "MANIFEST.json"
EXCLUDE = {".git", "node_modules", "__pycache__", ".venv", ".mypy_cache"}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def collect(source: Path) -> list[Path]:
    files = []
    for path in source.rglob("*"):
        if any(part in EXCLUDE for part in path.relative_to(source).parts):
            continue
        if path.is_file():
            files.append(path)
    return sorted(files)


def create(source: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M")
    target = dest / f"{source.name}-{stamp}.tar.gz"
    if target.exists():
        raise SystemExit(f"{target} already exists; refusing to overwrite")
    files = collect(source)
    manifest = {str(p.relative_to(source)): sha256(p) for p in files}
    with tempfile.TemporaryDirectory() as tmp:
        manifest_path = Path(tmp) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=1))
        partial = Path(tmp) / target.name
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(manifest_path, arcname=MANIFEST)
            for p in files:
                tar.add(p, arcname=str(p.relative_to(source)))
        shutil.move(str(partial), target)
    print(f"created {target} ({len(files)} files, {target.stat().st_size / 1e6:.1f} MB)")
    return target


def verify(archive: Path) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
        root = Path(tmp)
        manifest = json.loads((root / MANIFEST).read_text())
        bad = [name for name, digest in manifest.items() if sha256(root / name) != digest]
    if bad:
        print(f"{archive}: {len(bad)} corrupt files, e.g. {bad[:5]}")
        return False
    print(f"{archive}: OK ({len(manifest)} files)")
    return True


def archives(dest: Path) -> list[Path]:
    return sorted(dest.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)


def cmd_list(dest: Path) -> None:
    for a in archives(dest):
        print(f"{dt.datetime.fromtimestamp(a.stat().st_mtime):%Y-%m-%d %H:%M}  {a.stat().st_size / 1e6:8.1f} MB  {a.name}")


def plan_prune(dest: Path, keep: int) -> list[Path]:
    old = archives(dest)[:-keep] if keep else archives(dest)
    for a in old:
        print(f"would delete {a}")
    print(f"{len(old)} archives would be removed; nothing was deleted")
    return old


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="backup-tool", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("create"); c.add_argument("source", type=Path); c.add_argument("--dest", type=Path, required=True)
    v = sub.add_parser("verify"); v.add_argument("archive", type=Path)
    l = sub.add_parser("list"); l.add_argument("dest", type=Path)
    p = sub.add_parser("plan-prune"); p.add_argument("dest", type=Path); p.add_argument("--keep", type=int, default=10)
    args = parser.parse_args(argv)
    if args.cmd == "create":
        create(args.source.expanduser(), args.dest.expanduser())
    elif args.cmd == "verify":
        return 0 if verify(args.archive) else 1
    elif args.cmd == "list":
        cmd_list(args.dest)
    else:
        plan_prune(args.dest, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
