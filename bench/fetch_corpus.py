"""Fetch the real benchmark corpora reproducibly: pinned PyPI sdists, verified by sha256.

Why sdists: they are real code people ship (Django for Python, SQL fixtures and
example projects for SQL, example notebooks for .ipynb), they come from the one
registry this project may reach, and a version plus a sha256 (bench/corpus.lock)
pins every byte, so two runs months apart measure the same files.

Only the files a suite measures are unpacked (``*.py`` for django, ``*.sql`` for
sql, ``*.ipynb`` for notebooks), into ``bench/corpus/<corpus>/<archive stem>/``.
Nothing is executed: archives are read with ``tarfile`` and its ``data`` filter.
"""
from __future__ import annotations

import argparse
import fnmatch
import hashlib
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import NamedTuple

BENCH = Path(__file__).resolve().parent
LOCK = BENCH / "corpus.lock"
CACHE = BENCH / ".cache" / "sdists"
CORPUS = BENCH / "corpus"


class Entry(NamedTuple):
    corpus: str
    requirement: str
    archive: str
    sha256: str
    pattern: str


def read_lock(path: Path = LOCK) -> list[Entry]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            entries.append(Entry(*line.split()))
    return entries


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download(entry: Entry) -> Path:
    """The verified archive, from the cache or downloaded with pip (the ordinary client)."""
    target = CACHE / entry.archive
    if not (target.exists() and sha256(target) == entry.sha256):
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                        "--disable-pip-version-check", "-q", "-d", str(CACHE), entry.requirement], check=True)
    actual = sha256(target)
    if actual != entry.sha256:
        raise SystemExit(f"fetch_corpus: {entry.archive}: sha256 {actual} does not match corpus.lock "
                         f"({entry.sha256}); refusing to benchmark on different files")
    return target


def unpack(entry: Entry, archive: Path) -> int:
    """Unpack the files matching the entry's pattern; returns how many there are."""
    stem = entry.archive.removesuffix(".tar.gz")
    destination = CORPUS / entry.corpus / stem
    marker = destination / ".complete"
    if marker.exists() and marker.read_text() == entry.sha256:
        return sum(1 for p in destination.rglob(entry.pattern) if p.is_file())
    count = 0
    with tarfile.open(archive, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.isfile() and fnmatch.fnmatch(Path(m.name).name, entry.pattern)]
        tar.extractall(CORPUS / entry.corpus, members=members, filter="data")
        count = len(members)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(entry.sha256)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", help="only this corpus (django, sql, notebooks)")
    args = parser.parse_args(argv)
    for entry in read_lock():
        if args.corpus and entry.corpus not in args.corpus:
            continue
        count = unpack(entry, download(entry))
        print(f"fetch_corpus: {entry.corpus:9} {entry.requirement:20} {count:5} {entry.pattern} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
