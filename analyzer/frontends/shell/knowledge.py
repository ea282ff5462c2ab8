"""What the shell front end knows about commands, read once from ``rules/shell.yaml``.

The catalogue's ``shell:`` section says which commands delete, upload or run
other code, with which flags; this module turns it into lookups (exact names
first, then globs such as ``mkfs.*``) and the path/branch/host classifications
the rules refer to (``@critical``, ``@device``). Tools are not named in code;
bash's own builtins and keywords (``eval``, ``echo``, ``time`` ...) and the
``#!/usr/bin/env`` convention are grammar, and stay there.
"""
from __future__ import annotations

import fnmatch
import functools
import re
from typing import Any, TypeAlias

from ...catalogue import Catalogue, Rule, load_catalogue
from ...records import Record, field
from ..secretnames import SecretNames, read_secret_names

# One entry of a table of the catalogue (a wrapper, an interpreter, a matcher ...): YAML, so its
# values are lists, strings, numbers or nested entries, as rules/shell.yaml documents each key.
Entry: TypeAlias = dict[str, Any]


def glob_any(value: str, patterns: list[str] | tuple[str, ...], ignore_case: bool = False) -> bool:
    """Shell-style glob match against any pattern (case-sensitive unless asked)."""
    if ignore_case:
        value = value.lower()
        return any(fnmatch.fnmatchcase(value, p.lower()) for p in patterns)
    return any(fnmatch.fnmatchcase(value, p) for p in patterns)


def basename(program: str) -> str:
    """``/usr/bin/git`` runs git: rules match the program's file name."""
    return program.rstrip("/").rsplit("/", 1)[-1] if "/" in program else program


class Knowledge(Record, frozen=True):
    section: dict[str, Any]
    catalogue: Catalogue
    # The catalogue's `secrets` section (rules/secrets.yaml), shared with the other front ends.
    secrets: dict[str, Any] = field(default_factory=dict)
    _lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _globs: dict[str, list[tuple[str, Entry | None]]] = field(default_factory=dict)
    _patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)

    def rule(self, rule_id: str) -> Rule:
        return self.catalogue.get(rule_id)

    def list(self, key: str) -> tuple[str, ...]:
        """A list of the section as strings (cached: the catalogue never changes in a process)."""
        found = self._lists.get(key)
        if found is None:
            found = self._lists[key] = tuple(str(v) for v in self.section.get(key, []) or [])
        return found

    def matches_list(self, key: str, value: str) -> bool:
        """Whether ``value`` matches any glob of a list (one compiled pattern per list)."""
        pattern = self._patterns.get(key)
        if pattern is None:
            pattern = self._patterns[key] = _compiled(self.list(key))
        return pattern.match(value) is not None

    def table(self, key: str) -> dict[str, Any]:
        return self.section.get(key, {}) or {}

    def lookup(self, key: str, name: str) -> Entry | None:
        """The entry for ``name`` in a table: exact key, else the first glob key that matches."""
        table = self.table(key)
        if name in table:
            return table[name] or {}
        globs = self._globs.get(key)
        if globs is None:
            globs = self._globs[key] = [(k, v) for k, v in table.items() if any(ch in k for ch in "*?[")]
        for pattern, entry in globs:
            if fnmatch.fnmatchcase(name, pattern):
                return entry or {}
        return None

    # -- classifications ------------------------------------------------------------------

    def is_critical_path(self, path: str) -> bool:
        """Exact critical paths (written literally: `*` means the glob a user typed), anything
        below a critical tree, and the direct children of critical parents (/home/alice)."""
        cleaned = path if path in ("/", "//") else path.rstrip("/") or "/"
        if path in self.list("critical_paths") or cleaned in self.list("critical_paths"):
            return True
        if any(cleaned.startswith(tree.rstrip("/") + "/") for tree in self.list("critical_trees")):
            return True
        parent, _, leaf = cleaned.rpartition("/")
        return bool(leaf) and parent in self.list("critical_parents")

    def is_device(self, path: str) -> bool:
        return self.matches_list("devices", path)

    @functools.cached_property
    def secret_names(self) -> SecretNames:
        """The secret names of rules/secrets.yaml, matched the way every front end matches them."""
        return read_secret_names(self.secrets)

    def is_credential_path(self, path: str) -> bool:
        """A file that holds credentials (`credential_paths`), not its template (`.env.example`)."""
        return self.secret_names.is_credential_path(path)

    def is_secret_variable(self, name: str) -> bool:
        """A secret-looking environment name: only those are secrets (GITHUB_TOKEN is, REGION and
        PRIMARY_KEY are not)."""
        return self.secret_names.is_secret_variable(name)

    def is_auth_header(self, name: str) -> bool:
        """A request header that carries credentials (`auth_headers`, any case)."""
        return self.secret_names.is_auth_header(name)

    def is_protected_branch(self, branch: str) -> bool:
        return self.matches_list("protected_branches", branch)

    def pattern_matches(self, value: str, pattern: str, ignore_case: bool = False) -> bool:
        """One operand pattern: a glob, ``@critical``/``@device`` classes, or ``key=@class``."""
        if "@" in pattern:
            prefix, _, klass = pattern.partition("@")
            if klass in ("critical", "device") and value.startswith(prefix):
                rest = value[len(prefix):]
                return self.is_critical_path(rest) if klass == "critical" else self.is_device(rest)
        return glob_any(value, [pattern], ignore_case)


def _compiled(globs: list[str] | tuple[str, ...], flags: int = 0) -> re.Pattern[str]:
    return re.compile("|".join(fnmatch.translate(g) for g in globs) or "(?!)", flags)


@functools.lru_cache(maxsize=4)
def knowledge(directory: str | None = None) -> Knowledge:
    """The shell section of the catalogue (cached: read once per process)."""
    catalogue = load_catalogue(directory)
    section = catalogue.section("shell")
    # rules/shell.yaml keeps its data under a top-level `shell:` key (the loader files every
    # non-rule key of a language's file under that language).
    return Knowledge(section.get("shell", section), catalogue, catalogue.section("secrets"))
