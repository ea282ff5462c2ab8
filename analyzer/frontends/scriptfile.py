"""Script files run by their path (``bash reset.sh``, ``psql -f drop.sql``, ``%run job.py``).

A script that exists in the checked tree (or beside the file that runs it) is read and
analysed in its own language; what it does is reported at the line that runs it, naming
the file and line inside it (``via: scripts/reset.sh:12``). Nothing is ever executed.
A script that cannot be found, or lies outside the checked roots (``..``, an absolute path
elsewhere, a symlink out), is not read: the command keeps the decision it had without it.
A script already being followed (one that runs itself) is not read again, and the depth
of embedded code (``MAX_DEPTH``) bounds chains of scripts.
"""
from __future__ import annotations

import dataclasses
import os
import stat

from ..model import Analysis, Location, make_details
from ..sourcefile import MAX_FILE_BYTES, SourceError, decode
from . import MAX_DEPTH, Options, analyze, language_for_path


def _inside(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def roots_of(origin: Location, options: Options) -> tuple[str, ...]:
    """Where scripts may be read from: the checked roots, else the folder of the running file."""
    if options.roots:
        return options.roots
    if origin.path.startswith("<") or not os.path.isfile(origin.path):
        return ()
    return (os.path.dirname(os.path.realpath(origin.path)),)


def find(name: str, origin: Location, options: Options) -> tuple[str, bytes] | None:
    """(real path, text) of the script ``name`` run from the file at ``origin``, or None when it
    is not a readable regular file inside the roots, is too large, or is already being run."""
    roots = roots_of(origin, options)
    if not name or not roots or "\x00" in name or options.depth + 1 > MAX_DEPTH:
        return None
    base = os.path.dirname(os.path.abspath(origin.path))
    real = os.path.realpath(os.path.join(base, name))
    if not _inside(real, roots):  # `..`, an absolute path elsewhere or a symlink out: not read
        return None
    if real in options.scripts or real == os.path.realpath(origin.path):
        return None
    try:
        status = os.stat(real)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return None
        with open(real, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return real, data


def run(language: str, name: str, origin: Location, at: Location, options: Options,
        hint: str | None = None) -> Analysis | None:
    """Analyse the script ``name`` as ``language`` (a shebang naming another one wins), its
    operations moved to ``at``; None when the script is not read (see :func:`find`)."""
    found = find(name, origin, options)
    if found is None:
        return None
    real, data = found
    try:
        text = decode(data, language)
    except SourceError:
        return None
    if text.startswith("#!"):
        language = language_for_path("", text[:128]) or language
    shown = os.path.normpath(name)
    inner = options.deeper(context_hint=hint, scripts=options.scripts + (real,))
    nested = analyze(language, text, Location(real), inner)
    moved = [dataclasses.replace(
        op, location=at, message=f"{op.message} (via {shown}:{op.location.line})",
        details=make_details(**dict(op.details), via=f"{shown}:{op.location.line}"))
        for op in nested.operations]
    touches = [dataclasses.replace(t, location=at) for t in nested.touches]
    return Analysis(moved, touches, [], nested.errors, nested.notes, [real, *nested.reads])
