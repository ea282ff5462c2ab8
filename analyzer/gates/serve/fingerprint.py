"""What the code and rules a process decides with look like on disk, compared at every handshake.

A warm server keeps the modules and the catalogue it loaded at start; when the package, the rules,
the interpreter or the installed dependencies change afterwards, its decisions could differ from
what a fresh process decides. Client and server each compute this text (the server once, at start;
the client on every call) and the server answers "stale" and exits when they differ.

It holds the protocol and release numbers, the interpreter's version and prefix, the modification
time of each site-packages folder (an install or upgrade adds or removes entries there), and the
name, size and modification time of every module and data file of the package and of the rule
catalogue. About half a millisecond of ``stat`` calls; no hashing library to import.
"""
from __future__ import annotations

import importlib
import os
import site
import sys

from ...version import __version__
from .protocol import PROTOCOL

_PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SUFFIXES = (".py", ".yaml", ".yml", ".json")


def fingerprint() -> str:
    lines = [f"protocol {PROTOCOL}", f"execgate {__version__}", f"python {sys.version} {sys.prefix}"]
    for folder in _site_folders():
        lines.append(f"site {folder} {_mtime(folder)}")
    # The catalogue ships as analyzer.rules (rules/ of the repository, mapped there by the build).
    for root in (_PACKAGE, *importlib.import_module("analyzer.rules").__path__):
        lines.append(f"root {root}")
        _files(root, root, lines)
    return "\n".join(lines)


def _site_folders() -> list[str]:
    try:
        return sorted(site.getsitepackages())
    except AttributeError:   # an old virtualenv's site module
        return []


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def _files(root: str, folder: str, lines: list[str]) -> None:
    skip = len(root) + 1   # names relative to the root, without os.path.relpath's cost
    try:
        entries = list(os.scandir(folder))
    except OSError:
        lines.append(f"unreadable {folder[skip:]}")
        return
    entries.sort(key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _files(root, entry.path, lines)
        elif entry.name.endswith(_SUFFIXES):
            try:
                info = entry.stat()
            except OSError:
                lines.append(f"unreadable {entry.path[skip:]}")
                continue
            lines.append(f"{entry.path[skip:]} {info.st_size} {info.st_mtime_ns}")
