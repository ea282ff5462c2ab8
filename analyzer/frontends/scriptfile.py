"""Script files run by their path (``bash reset.sh``, ``psql -f drop.sql``, ``%run job.py``).

The shell front end (shell/tasks.py) also reads package.json scripts here (``npm run x``); Makefile
and justfile recipes are read through shell/makefile.py and shell/justfile.py.

A script that exists in the checked tree (or beside the file that runs it) is read and
analysed in its own language; what it does is reported at the line that runs it, naming
the file and line inside it (``via: scripts/reset.sh:12``). Nothing is ever executed.
A script that cannot be found, or lies outside the checked roots (``..``, an absolute path
elsewhere, a symlink out), is not read: the command keeps the decision it had without it.
A script already being followed (one that runs itself) is not read again, and the depth
of embedded code (``MAX_DEPTH``) bounds chains of scripts. A script that is missing is named by
:func:`missing`, for the analysis to record among its reads (the scan cache then drops the
result once the file appears).
"""
from __future__ import annotations

import glob
import json
import os
import re
from collections.abc import Mapping
from typing import Any

from ..model import Analysis, Location, Operation, make_details
from ..records import Record, replace
from ..sourcefile import SourceError, decode, read_regular
from . import MAX_DEPTH, Options, analyze, language_for_path


def _inside(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def roots_of(origin: Location, options: Options) -> tuple[str, ...]:
    """Where scripts may be read from: the checked roots, else the folder of the running file, else
    (a text that is no file: an agent's command, --stdin, a kernel cell) the folder it runs in."""
    if options.roots:
        return options.roots
    if origin.path.startswith("<") or not os.path.isfile(origin.path):
        return (os.path.realpath(options.workdir),) if options.workdir else ()
    return (os.path.dirname(os.path.realpath(origin.path)),)


def _base(origin: Location, options: Options) -> str:
    """The folder a relative script name is read from: the running file's, or the workdir of a text."""
    if options.workdir and (origin.path.startswith("<") or not os.path.isfile(origin.path)):
        return os.path.abspath(options.workdir)
    return os.path.dirname(os.path.abspath(origin.path))


def locate(name: str, origin: Location, options: Options) -> str | None:
    """The real path of the script ``name`` run from the file at ``origin`` when it lies inside
    the roots (whether or not it exists), else None."""
    roots = roots_of(origin, options)
    if not name or not roots or "\x00" in name:
        return None
    real = os.path.realpath(os.path.join(_base(origin, options), name))
    return real if _inside(real, roots) else None  # `..`, an absolute path elsewhere or a symlink out


MAX_MATCHES = 64   # files one glob may name (a loop over migrations/*.sql): bounded work


def is_pattern(name: str) -> bool:
    """Whether ``name`` is a glob (``migrations/*.sql``) rather than one path."""
    return glob.has_magic(name)


def matching(pattern: str, origin: Location, options: Options) -> list[str]:
    """The files (relative to the running file, sorted) the glob ``pattern`` matches inside the
    roots, at most MAX_MATCHES; none when the folder it lists lies outside them."""
    folder, _, leaf = pattern.rpartition("/")
    if not leaf or glob.has_magic(folder) or locate(folder or ".", origin, options) is None:
        return []
    base = _base(origin, options)
    found = sorted(glob.glob(os.path.join(glob.escape(os.path.join(base, folder)), leaf)))[:MAX_MATCHES]
    return [os.path.relpath(path, base) for path in found if locate(os.path.relpath(path, base), origin, options)]


def pattern_folder(pattern: str, origin: Location, options: Options) -> str | None:
    """The real path of the folder the glob ``pattern`` lists, when it lies inside the roots: the
    analysis records it among its reads, so a cached result is dropped when a file appears there."""
    folder = pattern.rpartition("/")[0]
    return None if glob.has_magic(folder) else locate(folder or ".", origin, options)


def missing(name: str, origin: Location, options: Options) -> str | None:
    """The real path where the script ``name`` would be read from when it is not there (yet):
    the analysis records it among its reads, so a cached result is dropped once it appears."""
    real = locate(name, origin, options)
    return real if real is not None and not os.path.isfile(real) else None


def find(name: str, origin: Location, options: Options, entry: str = "") -> tuple[str, bytes] | None:
    """(real path, bytes) of the script ``name`` run from the file at ``origin``, or None when it
    is not a readable regular file inside the roots, is too large, or is already being run
    (``entry``: the package script or make target of the file that is run)."""
    if options.depth + 1 > MAX_DEPTH:
        return None
    real = locate(name, origin, options)
    if real is None:
        return None
    if _key(real, entry) in options.scripts or (not entry and real == os.path.realpath(origin.path)):
        return None
    data = read_regular(real)
    return None if data is None else (real, data)


def run(language: str, name: str, origin: Location, at: Location, options: Options,
        hint: str | None = None, executed: bool = False) -> Analysis | None:
    """Analyse the script ``name`` as ``language`` (a shebang naming another one wins), its
    operations moved to ``at``; None when the script is not read (see :func:`find`), and when
    it is ``executed`` by its path with a shebang naming an interpreter no front end reads
    (``./bin/rails``: ``#!/usr/bin/env ruby``)."""
    found = read(name, origin, options, language)
    if found is None:
        return None
    real, text = found
    if text.startswith("#!"):
        named = language_for_path("", text[:128])
        if named is None and executed:
            return None
        language = named or language
    return relocated(language, text, real, os.path.normpath(name), 0, at, options, hint)


def package_scripts(manifest: str, names: list[str], origin: Location, at: Location, options: Options,
                    hint: str | None = None, required: str | None = None) -> Analysis | None:
    """The ``scripts`` entries ``names`` of the package.json ``manifest``, in the order given
    (``npm run reset-db`` runs prereset-db, reset-db, postreset-db), each analysed as shell and
    reported at ``at``; entries the manifest lacks are skipped, and all of them when it lacks
    ``required`` (npm stops at a missing script before its pre-script runs). None when the
    manifest is not read; an analysis that only records the manifest read when nothing runs."""
    found = read(manifest, origin, options, "shell", "-")
    if found is None:
        return None
    real, text = found
    result = Analysis(reads=[real])
    try:
        scripts = json.loads(text).get("scripts")
    except (ValueError, AttributeError):
        return result
    if not isinstance(scripts, dict) or (required is not None and not isinstance(scripts.get(required), str)):
        return result
    for name in names:
        command = scripts.get(name)
        if not isinstance(command, str) or being_run(real, name, options):
            continue
        key = re.search(r'^.*"' + re.escape(json.dumps(name)[1:-1]) + r'"\s*:', text, re.MULTILINE)
        line = text.count("\n", 0, key.start()) if key else 0
        result.extend(relocated("shell", command, real, os.path.normpath(manifest), line, at, options, hint, name))
    return result


def _key(real: str, entry: str) -> str:
    return f"{real}#{entry}" if entry else real


def being_run(real: str, entry: str, options: Options) -> bool:
    """Whether the script ``entry`` of the file ``real`` (a package script, a make target) is
    already being followed: it runs itself, and is not read again."""
    return _key(real, entry) in options.scripts


def read(name: str, origin: Location, options: Options, language: str,
         entry: str = "") -> tuple[str, str] | None:
    """(real path, text) of the script ``name`` (see :func:`find`), decoded as ``language``."""
    found = find(name, origin, options, entry)
    if found is None:
        return None
    real, data = found
    try:
        return real, decode(data, language)
    except SourceError:
        return None


class RunnerCall(Record, frozen=True):
    """What a task runner's command line names (``make -C DIR -f FILE VAR=x goal``, ``just ...``)."""

    folder: str                  # where it runs (its -C/-d flag, from where the script has gone with cd)
    files: list[str]             # the files its -f flags name (empty: the tool's own default names)
    overrides: dict[str, str]    # NAME=value operands
    words: list[str]             # the other operands: targets, recipes and their arguments


def runner_call(spec: Mapping[str, Any], options_given: Mapping[str, list[str]], operands: list[str],
                directory: str = "") -> RunnerCall:
    """The parts of a task runner's command line, by the runner's ``directory_flags`` and
    ``file_flags`` (rules/shell.yaml)."""
    folder = next((v for f in spec.get("directory_flags", []) for v in options_given.get(f, [])), "")
    if directory and not folder.startswith("/"):
        folder = os.path.join(directory, folder) if folder else directory
    files = [v for f in spec.get("file_flags", []) for v in options_given.get(f, []) if v]
    overrides = dict(o.split("=", 1) for o in operands if "=" in o)
    return RunnerCall(folder, files, overrides, [o for o in operands if "=" not in o])


def first_readable(paths: list[str], origin: Location, options: Options, reads: list[str],
                   language: str = "shell") -> tuple[str, str, str] | None:
    """(path as named, real path, text) of the first of ``paths`` that can be read, as a tool that
    tries several names does (Makefile, makefile, justfile); each one missing on the way, and the one
    read, go to ``reads``, so a cached result is dropped when a missing one appears."""
    for path in paths:
        found = read(path, origin, options, language, "-")
        if found is None:
            absent = missing(path, origin, options)
            if absent is not None:
                reads.append(absent)
            continue
        reads.append(found[0])
        return path, found[0], found[1]
    return None


def relocated(language: str, text: str, real: str, shown: str, first_line: int, at: Location,
              options: Options, hint: str | None, entry: str = "") -> Analysis:
    """``text`` (from line ``first_line`` + 1 of the file ``real``, shown as ``shown``; ``entry``
    the package script or make target it is) analysed, its operations moved to ``at``."""
    inner = options.deeper(context_hint=hint, scripts=options.scripts + (_key(real, entry),))
    nested = analyze(language, text, Location(real, first_line + 1), inner)
    moved = [_moved(op, at, f"{shown}:{op.location.line}") for op in nested.operations]
    touches = [replace(t, location=at) for t in nested.touches]
    return Analysis(moved, touches, [], nested.errors, nested.notes, [real, *nested.reads])


def _moved(op: Operation, at: Location, via: str) -> Operation:
    """``op`` reported at ``at``, naming where it is inside the script: ``via`` a chain of
    scripts reads outermost first (``package.json:5 > db/drop.sql:1``)."""
    details = dict(op.details)
    inner = details.get("via")
    message = f"{op.message} (via {via})"
    if inner:
        message = op.message.replace(f"(via {inner})", f"(via {via} > {inner})")
        via = f"{via} > {inner}"
    details["via"] = via
    return replace(op, location=at, message=message, details=make_details(**details))
