"""Baselines: record today's findings so that ``check --baseline FILE`` gates only on new ones.

A project adopting execgate has findings it cannot fix at once. The baseline
records each by rule, path and a fingerprint that survives lines moving: a
hash of the rule, the path (relative to the baseline file), the code that
performs the operation with its whitespace collapsed, and the occurrence index
among identical ones in that file (so a second, new copy of a known line is
still new). Known findings get ``Finding.baselined = True``: they show in the
reports but never block.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from .model import Finding
from .records import replace

VERSION = 1

_SCHEMA = {
    "type": "object",
    "required": ["version", "findings"],
    "properties": {
        "version": {"const": VERSION},
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["rule", "path", "fingerprint"],
                "properties": {"rule": {"type": "string"}, "path": {"type": "string"},
                               "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                               "line": {"type": ["integer", "null"]}},
            },
        },
    },
}


class BaselineError(Exception):
    """A baseline file that cannot be used (the message names the file)."""


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _relative(path: str, base: Path) -> str:
    if path.startswith("<"):
        return path  # <stdin>, <case ...>
    try:
        return Path(os.path.relpath(os.path.abspath(path), base)).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _code_of(finding: Finding, lines_cache: dict[str, list[str]]) -> str:
    """What identifies the operation in the code: its evidence, else its source line, else
    its message and targets (front ends always give one of these)."""
    op = finding.operation
    if op.evidence.strip():
        return _normal(op.evidence)
    loc = op.location
    if loc.cell is None and not loc.path.startswith("<"):
        if loc.path not in lines_cache:
            try:
                lines_cache[loc.path] = Path(loc.path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                lines_cache[loc.path] = []
        lines = lines_cache[loc.path]
        if 0 < loc.line <= len(lines):
            return _normal(lines[loc.line - 1])
    return _normal(op.message + " " + " ".join(op.targets))


def fingerprints(findings: Iterable[Finding], base: Path) -> list[tuple[Finding, str, str]]:
    """(finding, relative path, fingerprint) in the order given (which must be file order)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    cache: dict[str, list[str]] = {}
    result = []
    for finding in findings:
        rel = _relative(finding.operation.location.path, base)
        key = (finding.operation.rule, rel, _code_of(finding, cache))
        index = seen[key]
        seen[key] += 1
        digest = hashlib.sha256("\0".join((*key, str(index))).encode("utf-8", "surrogateescape")).hexdigest()
        result.append((finding, rel, digest))
    return result


class Baseline:
    """Known findings, read from a baseline file; :meth:`mark` flags the ones still present."""

    def __init__(self, entries: list[dict], path: Path) -> None:
        self.path = path
        self.base = path.resolve().parent
        self.known = Counter(e["fingerprint"] for e in entries)

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        path = Path(path)
        if path.is_dir():
            raise BaselineError(f"{path}: is a directory, not a baseline file")
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BaselineError(f"{path}: no such baseline file (make one with `execgate baseline create`)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"{path}: cannot read the baseline: {getattr(exc, 'strerror', None) or exc}") from None
        try:
            data = json.loads(text)
        except ValueError as exc:
            line = getattr(exc, "lineno", None)
            raise BaselineError(f"{path}:{line or 1}: not a baseline file (invalid JSON: "
                                f"{getattr(exc, 'msg', exc)})") from None
        import jsonschema

        error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(_SCHEMA).iter_errors(data))
        if error is not None:
            where = "/".join(map(str, error.absolute_path)) or "(top level)"
            raise BaselineError(f"{path}: not a baseline file: {where}: {error.message}")
        return cls(data["findings"], path)

    def mark(self, findings: list[Finding]) -> list[Finding]:
        """The findings with ``baselined=True`` on those recorded in the baseline."""
        remaining = Counter(self.known)
        marked = []
        for finding, _rel, digest in fingerprints(_file_order(findings), self.base):
            if remaining[digest] > 0:
                remaining[digest] -= 1
                finding = replace(finding, baselined=True)
            marked.append(finding)
        return marked


def _file_order(findings: list[Finding]) -> list[Finding]:
    def key(f: Finding):
        loc = f.operation.location
        return (loc.path, -1 if loc.cell is None else loc.cell, loc.line, loc.column, f.operation.rule)

    return sorted(findings, key=key)


def baseline_document(findings: list[Finding], output: Path, policy_sha256: str = "") -> dict:
    """The baseline file's content: every finding not suppressed, whatever today's decision
    (so a later change of environment or policy does not turn known findings into new ones)."""
    counted = [f for f in _file_order(findings) if f.suppression is None]
    entries = [{"rule": f.operation.rule, "path": rel, "line": f.operation.location.line, "fingerprint": digest}
               for f, rel, digest in fingerprints(counted, output.resolve().parent)]
    return {"version": VERSION, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "policy_sha256": policy_sha256, "findings": entries}
