#!/usr/bin/env python3
"""Where did the disk space go? Print the biggest directories and files under a root."""
import argparse
import heapq
import os
import shutil


def walk_sizes(root: str):
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: None):
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                yield path, os.lstat(path).st_size
            except OSError:
                continue


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", default="/data")
    parser.add_argument("-n", type=int, default=25)
    args = parser.parse_args()

    usage = shutil.disk_usage(args.root)
    print(f"{args.root}: {usage.used / 1e9:.1f} GB used of {usage.total / 1e9:.1f} GB")
    per_dir: dict[str, int] = {}
    files = []
    for path, size in walk_sizes(args.root):
        files.append((size, path))
        top = os.path.join(args.root, os.path.relpath(path, args.root).split(os.sep)[0])
        per_dir[top] = per_dir.get(top, 0) + size
    print("\nlargest top-level entries:")
    for d, s in sorted(per_dir.items(), key=lambda kv: -kv[1])[: args.n]:
        print(f"  {s / 1e9:8.2f} GB  {d}")
    print("\nlargest files:")
    for s, p in heapq.nlargest(args.n, files):
        print(f"  {s / 1e6:10.1f} MB  {p}")
    print("\nsuggestions: compress logs older than 7 days, move exports to cold storage")


if __name__ == "__main__":
    main()
