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
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

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
def compiled(patterns: tuple[str, ...]) -> GitIgnoreMatcher | pathspec.GitIgnoreSpec:
    """Compiled gitignore-style patterns (compiled once: the policy decides every operation).

    The regular expressions pathspec makes for ``patterns`` are kept in the signed cache, so a
    warm run matches without importing pathspec (it costs as much as starting Python)."""
    from ..cachedir import read_signed, write_signed

    path, key = _regexes_cache_entry(patterns)
    body = read_signed(path, key)
    if body is not None:
        matcher = GitIgnoreMatcher.from_json(body, patterns)
        if matcher is not None:
            return matcher
    spec = _pathspec_spec(patterns)
    body = _regexes_json(spec)
    if body is not None:
        write_signed(path, key, body)
    return spec


def _pathspec_spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """pathspec's own matcher, with the simple backend: the one GitIgnoreMatcher reproduces (re2 or
    hyperscan, when installed, would otherwise be chosen and order ties their own way)."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns, backend="simple")


class GitIgnoreMatcher:
    """``pathspec.GitIgnoreSpec(...).match_file`` from the (regex, include) pairs pathspec made:
    the decision of its simple backend (``SimpleGiBackend.match_file``), no-op patterns left out.

    A regex is compiled when a path first holds the text every match of it holds (compiling all
    of a policy's costs a few milliseconds); one that does not compile hands over to pathspec."""

    __slots__ = ("_patterns", "_rules", "_regexes", "_dir_mark", "_reversed", "_fallback")

    def __init__(self, patterns: tuple[str, ...], rules: list[tuple[str, int, bool, str]], dir_mark: str,
                 reversed_order: bool) -> None:
        self._patterns = patterns
        self._rules = rules         # (regex, flags, include, text every match holds)
        self._regexes: list[re.Pattern[str] | None] = [None] * len(rules)
        self._dir_mark = dir_mark   # the group a directory pattern's trailing "/" is caught in
        self._reversed = reversed_order
        self._fallback: pathspec.GitIgnoreSpec | None = None

    @classmethod
    def from_json(cls, body: str, patterns: tuple[str, ...]) -> GitIgnoreMatcher | None:
        """The matcher stored by ``_regexes_json`` for ``patterns``, or None when ``body`` is not of
        that shape."""
        import json

        try:
            data = json.loads(body)
            dir_mark, reversed_order, stored = data["dir_mark"], data["reversed"], data["rules"]
            if not (isinstance(dir_mark, str) and dir_mark and type(reversed_order) is bool
                    and isinstance(stored, list)):
                return None
            rules = []
            for rule in stored:
                regex, flags, include, required = rule
                if not (isinstance(regex, str) and type(flags) is int and type(include) is bool
                        and isinstance(required, str)):
                    return None
                rules.append((regex, flags, include, required))
        except (ValueError, KeyError, TypeError):
            return None
        return cls(patterns, rules, dir_mark, reversed_order)

    def match_file(self, file: str) -> bool:
        if self._fallback is not None:
            return self._fallback.match_file(file)
        text = _pathspec_normal(file)
        # A match through a directory pattern's "/" (priority 1) ranks below a file match (2).
        decided = False
        decided_priority = 0
        order = range(len(self._rules) - 1, -1, -1) if self._reversed else range(len(self._rules))
        for index in order:
            source, flags, include, required = self._rules[index]
            if required not in text:
                continue
            regex = self._regexes[index]
            if regex is None:
                try:
                    regex = self._regexes[index] = re.compile(source, flags)
                except (re.error, ValueError, TypeError, OverflowError):
                    self._fallback = _pathspec_spec(self._patterns)
                    return self._fallback.match_file(file)
            match = regex.search(text)
            if match is None:
                continue
            dir_mark = match.groupdict().get(self._dir_mark)
            priority = 1 if dir_mark else 2
            if self._reversed:
                # The last file match decides, else the last directory match.
                if priority > decided_priority:
                    decided, decided_priority = include, priority
                if priority == 2:
                    break
            elif (include and dir_mark) or priority >= decided_priority:
                decided, decided_priority = include, priority
        return decided


def _required_text(regex: re.Pattern[str]) -> str:
    """The longest run of plain characters at the top level of ``regex``: text every match holds
    ("" when there is none or it cannot be told). Read with the parser ``re`` itself uses."""
    try:
        try:
            from re import _parser as parser  # type: ignore[attr-defined]
        except ImportError:   # Python 3.10
            import sre_parse as parser
        parsed = parser.parse(regex.pattern, regex.flags)
        if (regex.flags | parsed.state.flags) & re.IGNORECASE:
            return ""
        runs, run = [], ""
        for opcode, argument in parsed:
            if opcode == parser.LITERAL:
                run += chr(argument)
            else:
                runs.append(run)
                run = ""
        runs.append(run)
    except Exception:   # noqa: BLE001 - a parser's private shape: no hint is only slower
        return ""
    return max(runs, key=len)


def _pathspec_normal(file: str) -> str:
    """The path as ``pathspec.util.normalize_file`` hands it to the patterns: POSIX separators, one
    leading ``/`` or ``./`` dropped."""
    text = os.fspath(file)
    for separator in (os.sep, os.altsep):
        if separator and separator != "/":
            text = text.replace(separator, "/")
    if text.startswith("/"):
        return text[1:]
    if text.startswith("./"):
        return text[2:]
    return text


_REGEXES_FORMAT = "execgate-path-regexes-1"


@functools.cache
def _pathspec_version() -> str:
    """pathspec's version from its ``.dist-info`` folder's name, found without importing it; "" when
    that cannot be told (the key then changes only with the format and the patterns)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("pathspec")
        if spec is None or not spec.origin:
            return ""
        site = os.path.dirname(os.path.dirname(spec.origin))
        names = sorted(n for n in os.listdir(site) if n.startswith("pathspec-") and n.endswith(".dist-info"))
    except (ImportError, ValueError, OSError):
        return ""
    return names[-1].removeprefix("pathspec-").removesuffix(".dist-info") if names else ""


def _regexes_cache_entry(patterns: tuple[str, ...]) -> tuple[Path, str]:
    """Where the regexes for ``patterns`` are kept, and the key they are signed under: one file per
    pattern tuple, so the policy bounds how many there are."""
    import hashlib
    import json

    from ..cachedir import cache_dir

    stamp = json.dumps([_REGEXES_FORMAT, _pathspec_version(), list(patterns)])
    key = hashlib.sha256(stamp.encode("utf-8")).hexdigest()
    return cache_dir() / f"path-regexes-{key[:32]}.json", key


def _regexes_json(spec: pathspec.GitIgnoreSpec) -> str | None:
    """What GitIgnoreMatcher needs as JSON: the (regex, flags, include, text its matches hold) of
    each pattern that is not a no-op, the directory-mark group's name and the backend's pattern
    order; None when pathspec is not of the shape GitIgnoreMatcher reproduces (nothing is cached)."""
    import json

    from pathspec._backends.simple.gitignore import SimpleGiBackend
    from pathspec.patterns.gitignore import spec as gitignore_spec

    dir_mark = getattr(gitignore_spec, "_DIR_MARK", None)
    backend = getattr(spec, "_backend", None)
    reversed_order = getattr(backend, "_is_reversed", None)
    if not (isinstance(dir_mark, str) and dir_mark and type(backend) is SimpleGiBackend
            and type(reversed_order) is bool):
        return None
    rules = []
    for pattern in spec.patterns:
        include = getattr(pattern, "include", None)
        if include is None:
            continue   # a comment, a blank line: pathspec leaves it out too
        regex = getattr(pattern, "regex", None)
        if not isinstance(include, bool) or not isinstance(regex, re.Pattern) or not isinstance(regex.pattern, str):
            return None
        rules.append([regex.pattern, regex.flags, include, _required_text(regex)])
    return json.dumps({"dir_mark": dir_mark, "reversed": reversed_order, "rules": rules})
