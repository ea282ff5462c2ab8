"""Paths: which file and folder targets are scratch, inside the project, or data.

Patterns are gitignore-style (``build/**``, ``node_modules``, ``*.pyc``) and match
a path as written, relative to where the code runs. A relative pattern never
matches an absolute, home (``~``), parent (``..``), URL (``dbfs:/``, ``s3://``)
or variable path (``$DIR/build``: a variable may be empty or hold ``../``); an
absolute pattern (``/tmp/**``) matches only absolute paths. A relative folder
pattern (``build/**``) covers the folder itself (``build``, ``build/``,
``./build``): regenerable output may go as a whole; ``/tmp`` itself is not under
``/tmp/**``. Data files (``data_files:`` of ``rules/files.yaml``) are read here.
"""
from __future__ import annotations

import functools
import os
import re
from pathlib import PurePosixPath

# A path holding one of these is a template, not a path: its value is not known.
_UNKNOWN = ("$", "`", "%", "\0", "\n", "{", "}", "<", ">", "\\")
_GLOB = ("*", "?", "[")
_SCHEME = r"^[A-Za-z][A-Za-z0-9+.-]*:"   # compiled by re on first use


@functools.cache
def data_files(directory: str | None = None) -> tuple[str, ...]:
    """Patterns of files that hold data (``data_files:`` of ``rules/files.yaml``)."""
    from ..catalogue import load_catalogue

    return tuple(str(p) for p in load_catalogue(directory).section("files").get("data_files", ()))


def as_seen_from(cwd: str | None, path: str | None) -> str | None:
    """A relative path a caller gave (a flag, a variable), as seen from the caller's folder ``cwd``:
    unchanged when that is this process's (so messages name it as the caller wrote it) or unknown,
    joined to it when a long-lived server runs the call for a client elsewhere."""
    if not path or cwd is None or os.path.isabs(path) or cwd == os.getcwd():
        return path
    return os.path.join(cwd, path)


def normal(path: str) -> str | None:
    """The path as patterns see it (``./build/`` -> ``build``), or None when its value is not
    known (a variable, a substitution, a template hole)."""
    if not path or any(c in path for c in _UNKNOWN):
        return None
    return os.path.normpath(path).replace(os.sep, "/") if os.sep != "/" else os.path.normpath(path)


def in_project(path: str) -> bool:
    """A relative path that stays inside the folder it is run from: not absolute, not under
    home, no ``..``, no URL or drive, no variable, not the folder itself."""
    text = normal(path)
    if text is None or text in (".", "") or text.startswith(("/", "~")) or re.match(_SCHEME, text):
        return False
    return ".." not in PurePosixPath(text).parts


def is_scratch_path(path: str, patterns: list[str] | tuple[str, ...]) -> bool:
    """Whether removing ``path`` is harmless under the scratch ``patterns`` of the same kind:
    absolute against absolute, ``~`` against ``~``, relative (inside the project) against relative."""
    text = normal(path)
    if not patterns or text is None or text == "." or ".." in PurePosixPath(text).parts or re.match(_SCHEME, text):
        return False
    relative = not text.startswith(("/", "~"))
    same_kind = [p for p in patterns if _kind(p.removeprefix("!")) == _kind(text)]
    if not any(not p.startswith("!") for p in same_kind):
        return False
    if not could_match(text, same_kind):
        return False
    spec = compiled(tuple(same_kind))
    covered = spec.match_file(text) or (relative and spec.match_file(text + "/_"))
    return covered and not _keeps_something_under(text, same_kind)


def could_match(text: str, patterns: list[str]) -> bool:
    """False only when no pattern that includes can match ``text`` (or what is under it): each one is
    anchored (a ``/`` before its end) and starts with literal text that ``text`` does not start with.
    Decides the common case (an absolute path against ``/tmp/**``) without importing pathspec; anything
    else (a pattern matching at any depth, a glob in the first characters, ``//``) is left to pathspec."""
    if text.startswith("//"):
        return True
    for pattern in patterns:
        if pattern.startswith("!"):
            continue
        if "/" not in pattern.rstrip("/"):
            return True   # matches at any depth
        end = next((i for i, c in enumerate(pattern) if c in "*?[\\ \t"), len(pattern))
        if text.startswith(pattern[:end].rstrip("/")):
            return True
    return False


def _kind(path: str) -> str:
    return "/" if path.startswith("/") else "~" if path.startswith("~") else ""


def _keeps_something_under(path: str, patterns: list[str]) -> bool:
    """Whether a negated pattern (``!build/keep.txt``) may name something at or under ``path``:
    removing ``path`` would then remove what the policy kept."""
    for pattern in patterns:
        if not pattern.startswith("!"):
            continue
        kept = pattern[1:].rstrip("/")
        if "/" not in kept.lstrip("/") or has_glob(kept):
            return True   # it may match at any depth, or anywhere its glob reaches
        if kept == path or kept.startswith(path.rstrip("/") + "/"):
            return True
    return False


def matches(path: str, patterns: list[str] | tuple[str, ...]) -> bool:
    """gitignore-style match of a known relative path (e.g. against ``data_paths``)."""
    text = normal(path)
    return bool(patterns) and text is not None and compiled(tuple(patterns)).match_file(text.lstrip("/"))


def has_glob(path: str) -> bool:
    return any(c in path for c in _GLOB)


@functools.lru_cache(maxsize=256)
def compiled(patterns: tuple[str, ...]):
    """Compiled gitignore-style patterns (compiled once: the policy decides every operation)."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)
