"""Deciding: the first project rule that matches an operation, else the built-in defaults.

The policy engine never parses source; it sees only :class:`Operation` values
and the :class:`Context` (who acts, where). The project's rules are tried in
order and the first match wins; when none matches, the built-in defaults
decide (:meth:`Policy._default`). Every decision names the rule that made it,
``<policy file>:<line>`` or ``built-in:<what>``, so it can be audited.

This module never reads files: a :class:`Policy` is made by
:mod:`analyzer.policy.load` (and kept fresh for long-lived gates by
:mod:`analyzer.policy.cache`); where data may go is :mod:`analyzer.policy.hosts`.
"""
from __future__ import annotations

import fnmatch
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..model import Context, Decision, Operation
from .hosts import host_allowed

PROD_ENVIRONMENTS = ("prod", "production")
# Rules about execgate's own controls (suppressions without a reason, ...): they
# warn by default, even in prod, since they are about review, not about data.
META_RULE_PREFIX = "execgate."


class PolicyError(Exception):
    """A policy that cannot be used: the message names the file, the line and the key."""


@dataclass(frozen=True)
class PolicyRule:
    id: str
    action: str
    when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    origin: str = ""   # "<file>:<line>"
    reason: str = ""

    def condition(self, key: str) -> tuple[str, ...] | None:
        for k, values in self.when:
            if k == key:
                return values
        return None

    def describe(self) -> str:
        """``id`` plus its conditions, for reasons a person reads."""
        if not self.when:
            return repr(self.id)
        conditions = ", ".join(f"{k} in [{', '.join(v)}]" for k, v in self.when)
        return f"{self.id!r} when {conditions}"


@dataclass
class Policy:
    source: str = "built-in"
    sha256: str = ""
    path: Path | None = None
    environment: str | None = None
    fail_closed: bool = True
    allowed_hosts: list[str] = field(default_factory=list)
    sensitive_tables: list[str] = field(default_factory=list)
    scratch_tables: list[str] = field(default_factory=list)
    scratch_paths: list[str] = field(default_factory=list)
    dialect: str | None = None
    rules: list[PolicyRule] = field(default_factory=list)
    semgrep_rules: list[str] = field(default_factory=list)
    audit_log: str | None = None
    # role -> actor globs (extension): the role of an actor nobody named a role for.
    roles: dict[str, list[str]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    # Problems that do not stop the policy from working (an id glob matching no rule, ...).
    warnings: list[str] = field(default_factory=list)

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    # -- decisions -----------------------------------------------------------------

    def decide(self, operation: Operation, context: Context) -> Decision:
        """First matching project rule, else the built-in defaults."""
        environment = context.environment or self.environment
        for rule in self.rules:
            if self._matches(rule, operation, context, environment):
                reason = rule.reason or f"policy rule {rule.describe()} says {rule.action}"
                return Decision(rule.action, reason, rule.origin)
        return self._default(operation, environment)

    def _matches(self, rule: PolicyRule, op: Operation, ctx: Context, environment: str | None) -> bool:
        """All ``when`` keys must match (AND); within a key any listed value will do (OR)."""
        if not fnmatch.fnmatchcase(op.rule, rule.id):
            return False
        for key, values in rule.when:
            if key == "environment":
                ok = environment in values
            elif key == "role":
                ok = ctx.role in values
            elif key == "actor":
                ok = (ctx.actor is not None and _glob_any(ctx.actor, values)) or \
                     (ctx.actor_type is not None and ctx.actor_type in values)
            elif key == "actor_type":
                ok = ctx.actor_type in values
            elif key == "category":
                ok = op.category in values
            elif key == "language":
                ok = op.language in values
            elif key == "severity":
                ok = op.severity in values
            elif key == "path":
                ok = self._path_matches(op.location.path, values)
            elif key == "scratch":
                ok = ("true" if self.operation_is_scratch(op) else "false") in values
            elif key == "target":
                ok = any(_glob_any(_unquote(t).lower(), [v.lower() for v in values]) for t in op.targets)
            else:  # the schema refuses other keys; an unknown one never matches
                ok = False
            if not ok:
                return False
        return True

    def _path_matches(self, path: str, patterns: tuple[str, ...]) -> bool:
        spec = _spec(patterns)
        candidate = Path(path)
        if candidate.is_absolute():
            try:
                candidate = candidate.resolve().relative_to(self.root.resolve())
            except (ValueError, OSError):
                return False  # outside the project: project-relative patterns say nothing about it
        posix = PurePosixPath(os.path.normpath(candidate)).as_posix()
        if posix.startswith("../"):
            return False
        return spec.match_file(posix)

    def _default(self, op: Operation, environment: str | None) -> Decision:
        if op.rule.startswith(META_RULE_PREFIX):
            return Decision("warn", "a suppression must name a known rule, give a reason and suppress something",
                            "built-in:suppression")
        if op.scratch:
            return Decision("allow", "the target is scratch (made in this unit or temporary)", "built-in:scratch")
        if self.operation_is_scratch(op):
            return Decision("allow", "every target matches the scratch patterns", "built-in:scratch")
        if op.category == "exfiltration":
            host = op.detail("url") or op.detail("host")
            if host and self.host_allowed(host):
                sensitive = self.sensitive_sources(op)
                if sensitive:
                    # Where the data came from weighs too: sensitive tables stay home.
                    return Decision("block", f"data from sensitive table {', '.join(sensitive)} may not leave, "
                                             f"even for {host}", "built-in:sensitive-tables")
                return Decision("allow", f"{host} is in allowed_hosts", "built-in:allowed-hosts")
        if op.category == "evasion":
            if self.fail_closed and environment in PROD_ENVIRONMENTS:
                return Decision("block", "code execgate cannot see through is refused under fail_closed in prod",
                                "built-in:evasion-prod")
            return Decision("warn", "execgate cannot see what this code does", "built-in:evasion")
        return Decision("block", f"{op.category} operations block by default", f"built-in:{op.category}")

    # -- resources -----------------------------------------------------------------

    def sensitive_sources(self, op: Operation) -> list[str]:
        """Tables matching ``sensitive_tables`` that an exfiltration's data came from: the
        targets of a SQL export, or tables named in a Python/shell source description."""
        if not self.sensitive_tables:
            return []
        candidates = list(op.targets) if op.language == "sql" else []
        candidates += re.findall(r"[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)+|[A-Za-z_][\w$]*", op.detail("source") or "")
        return sorted({c for c in candidates if self.is_sensitive_table(c)})

    def operation_is_scratch(self, op: Operation) -> bool:
        """The front end proved the target scratch, or it is destructive and every target
        matches the scratch patterns (``when: {scratch: true}`` tests this)."""
        if op.scratch:
            return True
        if op.category != "destructive" or not op.targets:
            return False
        kind = "table" if op.language == "sql" else None
        return all(self.is_scratch(t, kind) for t in op.targets)

    def is_scratch(self, target: str, kind: str | None = None) -> bool:
        """Whether destroying ``target`` is harmless: a scratch table or a path under a scratch
        pattern. ``kind`` is "table" or "path", else guessed (a slash or ~ means a path).
        A sensitive table is never scratch; a path with ``..`` or a shell expansion never is."""
        if kind is None:
            kind = "path" if target.startswith(("/", "~", "./", "../")) or "/" in target else "table"
        if kind == "path":
            return _path_is_scratch(target, self.scratch_paths)
        table = _unquote(target).lower()
        if self.is_sensitive_table(table):
            return False
        return _glob_any(table, [p.lower() for p in self.scratch_tables])

    def is_sensitive_table(self, table: str) -> bool:
        return _glob_any(_unquote(table).lower(), [p.lower() for p in self.sensitive_tables])

    def host_allowed(self, host_or_url: str) -> bool:
        return host_allowed(host_or_url, self.allowed_hosts)

    def role_of(self, actor: str | None) -> str | None:
        """The first role whose actor globs name ``actor`` (policy key ``roles``)."""
        if not actor:
            return None
        for role, actors in self.roles.items():
            if _glob_any(actor, actors):
                return role
        return None


def _unquote(name: str) -> str:
    """``"db"."tmp_x"``, ``[tmp_x]`` and backquoted names compare as their plain text."""
    return re.sub(r'["`\[\]]', "", name.strip())


def _glob_any(value: str, patterns: list[str] | tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(value, pattern) for pattern in patterns)


def _path_is_scratch(path: str, patterns: list[str]) -> bool:
    """gitignore-style match of a path against scratch patterns of the same kind: absolute
    paths against absolute patterns, ``~`` against ``~``, relative against relative."""
    if not patterns or not path or any(c in path for c in "$`\0\n") or "%" in path:
        return False  # a variable may hold anything, ../ included
    normal = os.path.normpath(path)
    if ".." in PurePosixPath(normal).parts:
        return False  # /tmp/../etc is not scratch
    if normal.startswith("/"):
        same_kind = [p for p in patterns if p.startswith("/")]
    elif normal.startswith("~"):
        same_kind = [p for p in patterns if p.startswith("~")]
    else:
        same_kind = [p for p in patterns if not p.startswith(("/", "~"))]
    if not same_kind:
        return False
    return _spec(tuple(same_kind)).match_file(normal)


@functools.lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]):
    """Compiled gitignore-style patterns (compiled once: decide() runs for every operation)."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)
