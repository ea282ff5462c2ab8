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
import json
import os
import re
import stat

from ..model import Analysis, Location, Operation, make_details
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


def find(name: str, origin: Location, options: Options, entry: str = "") -> tuple[str, bytes] | None:
    """(real path, bytes) of the script ``name`` run from the file at ``origin``, or None when it
    is not a readable regular file inside the roots, is too large, or is already being run
    (``entry``: the package script or make target of the file that is run)."""
    roots = roots_of(origin, options)
    if not name or not roots or "\x00" in name or options.depth + 1 > MAX_DEPTH:
        return None
    base = os.path.dirname(os.path.abspath(origin.path))
    real = os.path.realpath(os.path.join(base, name))
    if not _inside(real, roots):  # `..`, an absolute path elsewhere or a symlink out: not read
        return None
    if _key(real, entry) in options.scripts or (not entry and real == os.path.realpath(origin.path)):
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
    found = _text(name, origin, options, language)
    if found is None:
        return None
    real, text = found
    if text.startswith("#!"):
        language = language_for_path("", text[:128]) or language
    return _relocated(language, text, real, os.path.normpath(name), 0, at, options, hint)


def package_script(manifest: str, script: str, origin: Location, at: Location, options: Options,
                   hint: str | None = None) -> Analysis | None:
    """The ``scripts`` entry ``script`` of the package.json ``manifest`` (``npm run reset-db``),
    analysed as shell and reported at ``at``; None when there is no such file or entry."""
    found = _text(manifest, origin, options, "shell", script)
    if found is None:
        return None
    real, text = found
    try:
        scripts = json.loads(text).get("scripts")
    except (ValueError, AttributeError):
        return None
    command = scripts.get(script) if isinstance(scripts, dict) else None
    if not isinstance(command, str):
        return None
    key = re.search(r'^.*"' + re.escape(json.dumps(script)[1:-1]) + r'"\s*:', text, re.MULTILINE)
    line = text.count("\n", 0, key.start()) if key else 0
    return _relocated("shell", command, real, os.path.normpath(manifest), line, at, options, hint, script)


_RULE = re.compile(r"^([^\s:=#][^:=#]*?)\s*::?(?!=)(.*)$")


def make_recipe(makefile: str, target: str, origin: Location, at: Location, options: Options,
                hint: str | None = None) -> Analysis | None:
    """The recipe of ``target`` in ``makefile`` (``make clean-db``), analysed as shell (``$$`` is
    ``$``; ``@``, ``-`` and ``+`` prefixes dropped), reported at ``at``; None when not found."""
    found = _text(makefile, origin, options, "shell", target)
    if found is None:
        return None
    real, text = found
    lines = text.split("\n")
    for number, line in enumerate(lines):
        match = _RULE.match(line)
        if not match or target not in match.group(1).split():
            continue
        inline = match.group(2).partition(";")
        recipe = [inline[2]] if inline[1] else []
        start = number if inline[1] else number + 1
        for body in lines[number + 1:]:
            if not body.startswith("\t"):
                break
            recipe.append(body[1:])
        code = "\n".join(r.lstrip().lstrip("@-+").replace("$$", "$") for r in recipe)
        return _relocated("shell", code, real, os.path.normpath(makefile), start, at, options, hint, target)
    return None


def _key(real: str, entry: str) -> str:
    return f"{real}#{entry}" if entry else real


def _text(name: str, origin: Location, options: Options, language: str,
          entry: str = "") -> tuple[str, str] | None:
    found = find(name, origin, options, entry)
    if found is None:
        return None
    real, data = found
    try:
        return real, decode(data, language)
    except SourceError:
        return None


def _relocated(language: str, text: str, real: str, shown: str, first_line: int, at: Location,
               options: Options, hint: str | None, entry: str = "") -> Analysis:
    """``text`` (from line ``first_line`` + 1 of the file ``real``) analysed, moved to ``at``."""
    inner = options.deeper(context_hint=hint, scripts=options.scripts + (_key(real, entry),))
    nested = analyze(language, text, Location(real, first_line + 1), inner)
    moved = [_moved(op, at, f"{shown}:{op.location.line}") for op in nested.operations]
    touches = [dataclasses.replace(t, location=at) for t in nested.touches]
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
    return dataclasses.replace(op, location=at, message=message, details=make_details(**details))
