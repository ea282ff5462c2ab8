"""Analysing many files: parallel workers across files, and a content-hash cache.

Front-end analysis does not depend on who acts or what the policy decides, so
it is what runs in workers and what the cache keeps; decisions are always
made fresh in the parent. Cache entries are JSON (never pickle: a cache file
must not be able to run code) and carry a keyed hash, so a file planted in
the cache directory cannot change a decision.
"""
from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import cachedir
from .cachedir import cache_dir
from .model import Analysis, AnalysisError, Comment, Location, Operation, Touch
from .records import asdict
from .version import __version__

_TRANSIENT = ("cannot read", "internal error", "vanished", "not a regular file")

# Below this many files, starting workers costs more than it saves.
PARALLEL_THRESHOLD = 24


def analyze_files(checker, files: list[str], jobs: int = 1, cache: bool = False) -> list[Analysis]:
    """The analyses of ``files``, in their order. Each depends only on the file and the checked set
    (never on the order, the workers or what this process analysed before): the summaries of sibling
    modules kept from an earlier set are dropped, since an import may resolve elsewhere in this one."""
    from .frontends.python.summaries import forget_modules

    forget_modules()
    store = AnalysisCache.open(checker) if cache else None
    results: dict[int, Analysis] = {}
    pending: list[tuple[int, str, bytes | None]] = []
    for index, path in enumerate(files):
        if store is not None:
            data = _read(path)
            hit = store.get(path, data) if data is not None else None
            if hit is not None:
                results[index] = hit
                continue
            pending.append((index, path, data))
        else:
            pending.append((index, path, None))
    workers = _workers(jobs, len(pending))
    if workers > 1:
        # Largest files first, so one big file does not finish alone at the end of a chunk.
        pending.sort(key=lambda item: -_size(item[1]))
        analyses = _parallel(checker, [path for _, path, _ in pending], workers)
    else:
        analyses = [_analyze(checker, path) for _, path, _ in pending]
    for (index, path, data), analysis in zip(pending, analyses, strict=True):
        results[index] = analysis
        if store is not None and data is not None and not any(e.message.startswith(_TRANSIENT)
                                                             for e in analysis.errors):
            # Front ends are deterministic: an analysis with a syntax error is as good to keep as
            # any other. Only failures of the moment (reading, internal errors) are not kept.
            store.put(path, data, analysis)
    return [results[i] for i in range(len(files))]


def _analyze(checker, path: str) -> Analysis:
    """One file's analysis, as its own reader: what the analyses of earlier files in this process
    read through the summaries of sibling modules they share is not seen (summaries.fresh_reading)."""
    from .frontends.python.summaries import fresh_reading

    fresh_reading()
    return checker.analyze_file(path)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _read(path: str) -> bytes | None:
    """The bytes of a regular file within the size limit (anything else is the engine's to refuse)."""
    from .sourcefile import MAX_NOTEBOOK_BYTES, read_regular

    return read_regular(path, MAX_NOTEBOOK_BYTES)


def _workers(jobs: int, count: int) -> int:
    if count < PARALLEL_THRESHOLD:
        return 1
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    wanted = available if jobs <= 0 else jobs
    return max(1, min(wanted, available, count // 8 or 1))


_WORKER_CHECKER = None


def _init_worker(checker) -> None:
    global _WORKER_CHECKER
    _WORKER_CHECKER = checker


def _analyze_in_worker(path: str) -> Analysis:
    assert _WORKER_CHECKER is not None, "the pool's initializer sets the checker"
    return _analyze(_WORKER_CHECKER, path)


def _parallel(checker, paths: list[str], workers: int) -> list[Analysis]:
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(checker,)) as pool:
            return list(pool.map(_analyze_in_worker, paths, chunksize=max(1, min(16, len(paths) // (workers * 32)))))
    except (OSError, RuntimeError):
        # No processes to be had (sandboxes, restricted hosts): analyse here instead.
        return [_analyze(checker, path) for path in paths]


# -- cache -----------------------------------------------------------------------------------


class AnalysisCache:
    """Analyses keyed by file content, path, execgate version, catalogue and policy hash."""

    def __init__(self, directory: Path, salt: str, modules: frozenset[str] = frozenset()) -> None:
        self.directory = directory
        self.salt = salt
        self.modules = modules   # the Python files of the set: a file's analysis reads those it imports
        # The key of each miss, kept from get for its put (the key reads every module it imports).
        self._miss_keys: dict[str, tuple[bytes, str]] = {}

    @classmethod
    def open(cls, checker) -> AnalysisCache | None:
        directory = cache_dir() / "analysis"
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            cachedir.secret()
        except OSError:
            return None   # no cache is slower, never wrong
        catalogue = hashlib.sha256(repr(sorted(checker.catalogue.rules)).encode()).hexdigest()
        options = checker.options
        salt = "|".join((__version__, catalogue, checker.policy.sha256, str(options.dialect), str(options.prefilter)))
        return cls(directory, salt, options.modules)

    def _key(self, path: str, data: bytes) -> str:
        digest = hashlib.sha256()
        parts = [self.salt.encode(), os.path.abspath(path).encode(), data]
        if self.modules:
            # The modules of the set it imports (and theirs) change what it does: their contents count.
            from .frontends.python.summaries import imported_files

            for imported in imported_files(path, data, self.modules):
                parts += [imported.encode(), hashlib.sha256(_read(imported) or b"").digest()]
        for part in parts:
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, path: str, data: bytes) -> Analysis | None:
        key = self._key(path, data)
        hit = self._lookup(key, path)
        if hit is None:
            self._miss_keys[path] = (data, key)
        return hit

    def _lookup(self, key: str, path: str) -> Analysis | None:
        body = cachedir.read_signed(self._file(key), key)
        if body is None:
            return None
        try:
            entry = json.loads(body)
            if any(_digest(other) != digest for other, digest in entry.get("read_digests", {}).items()):
                return None   # a file it read has changed since: analyse again
            return _from_json(entry, path)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, path: str, data: bytes, analysis: Analysis) -> None:
        missed = self._miss_keys.pop(path, None)
        key = missed[1] if missed is not None and missed[0] is data else self._key(path, data)
        entry = _to_json(analysis)
        entry["read_digests"] = {other: _digest(other) for other in analysis.reads}
        cachedir.write_signed(self._file(key), key, json.dumps(entry, separators=(",", ":")))


def _digest(path: str) -> str:
    """The content digest of a file an analysis read ("" when it cannot be read now); of a folder
    (a glob it listed), its sorted names, so a file appearing or leaving there is a change."""
    if os.path.isdir(path):
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return ""
        return "folder:" + hashlib.sha256("\n".join(names).encode("utf-8", "surrogateescape")).hexdigest()
    data = _read(path)
    return hashlib.sha256(data).hexdigest() if data is not None else ""


def _to_json(analysis: Analysis) -> dict:
    return {
        "operations": asdict(analysis.operations),
        "touches": asdict(analysis.touches),
        "comments": asdict(analysis.comments),
        "errors": asdict(analysis.errors),
        "notes": asdict(analysis.notes),
        "reads": list(analysis.reads),
    }


def _location(data: dict) -> Location:
    return Location(**data)


def _from_json(data: dict, path: str) -> Analysis:
    operations = []
    for op in data["operations"]:
        op = dict(op)
        op["location"] = _location(op["location"])
        op["targets"] = tuple(op["targets"])
        op["details"] = tuple(tuple(pair) for pair in op["details"])
        operations.append(Operation(**op))
    touches = [Touch(**{**t, "location": _location(t["location"])}) for t in data["touches"]]
    comments = [Comment(**{**c, "location": _location(c["location"])}) for c in data["comments"]]
    errors = [AnalysisError(**e) for e in data["errors"]]
    notes = [AnalysisError(**n) for n in data.get("notes", ())]
    return Analysis(operations, touches, comments, errors, notes, list(data.get("reads", ())))
