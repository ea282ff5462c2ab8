"""Hot reload for long-lived gates (the IPython kernel, a daemon): the same Policy until its file changes.

One ``os.stat`` per call while nothing changes; the file is read again when its
inode, size or mtime moves, or, when it was written moments before it was read
(coarse timestamps), when its content hash changes.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from ..records import Record
from .load import builtin_policy_path, file_sha256, find_policy_file, load_policy, load_policy_file
from .rules import Policy

# A file changed within this many seconds of being read may change again without its
# mtime moving (coarse timestamps): its content is hashed again on the next call.
_RACY_SECONDS = 2.0


class _Entry(Record):
    key: tuple[int, int, int, int]
    sha256: str
    policy: Policy
    racy: bool


def _mtime(folder: str) -> int:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return -1


class PolicyCache:
    """Policies for long-lived gates: one ``os.stat`` per call, and the file is read again when
    its inode, size or mtime changes (or, when it was written moments before it was read, when
    its content hash changes).

    A changed policy that no longer loads raises :class:`~analyzer.policy.rules.PolicyError`:
    the gate refuses until the file is fixed rather than keep deciding with a policy that is gone."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._found: dict[str, tuple[Path | None, tuple[tuple[str, int], ...]]] = {}

    def _find(self, start: Path) -> Path | None:
        """find_policy_file, remembered until a folder on the way up changes (a policy file
        appearing or disappearing changes its folder's mtime): one stat per folder, no listing."""
        key = os.path.abspath(start)
        cached = self._found.get(key)
        if cached is not None and all(_mtime(folder) == mtime for folder, mtime in cached[1]):
            return cached[0]
        found = find_policy_file(start)
        directory = Path(key) if Path(key).is_dir() else Path(key).parent
        folders = []
        for folder in (directory, *directory.parents):
            folders.append((str(folder), _mtime(str(folder))))
            if found is not None and folder == found.parent:
                break
        self._found[key] = (found, tuple(folders))
        return found

    def get(self, path: str | Path | None = None, start: Path | None = None) -> Policy:
        if path is None and start is not None:
            path = self._find(start)
        if path is None:
            path = builtin_policy_path()
            builtin = True
        else:
            builtin = False
        path = Path(path)
        key_name = f"{'builtin:' if builtin else ''}{os.path.abspath(path)}"
        try:
            stat = path.stat()
        except OSError:
            with self._lock:
                self._entries.pop(key_name, None)
            return load_policy(path) if not builtin else load_policy()
        key = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        with self._lock:
            entry = self._entries.get(key_name)
        if entry is not None and entry.key == key and not entry.racy:
            return entry.policy
        data = _read_or_none(path)
        digest = file_sha256(data) if data is not None else ""
        if entry is not None and data is not None and entry.sha256 == digest:
            entry.key, entry.racy = key, _is_racy(stat.st_mtime_ns)
            return entry.policy
        policy = load_policy_file(path, builtin=builtin)
        with self._lock:
            self._entries[key_name] = _Entry(key, policy.sha256, policy, _is_racy(stat.st_mtime_ns))
        return policy

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._found.clear()


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _is_racy(mtime_ns: int) -> bool:
    return abs(time.time() - mtime_ns / 1e9) < _RACY_SECONDS


_CACHE = PolicyCache()


def load_policy_cached(path: str | Path | None = None, start: Path | None = None) -> Policy:
    """:func:`analyzer.policy.load.load_policy` for long-lived gates: the same Policy object
    until the file changes."""
    return _CACHE.get(path, start)
