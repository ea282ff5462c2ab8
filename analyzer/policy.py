"""Policy as code: load ``.execgate.yaml`` and decide each operation.

The policy engine never parses source; it sees only :class:`Operation` values
and the :class:`Context` (who acts, where). First matching rule wins, then the
built-in defaults.
"""
from __future__ import annotations

import fnmatch
import hashlib
import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml

from .catalogue import rules_dir
from .model import Decision, Operation

POLICY_FILENAMES = (".execgate.yaml", ".execgate.yml")
PROD_ENVIRONMENTS = ("prod", "production")
# Never allowed by a glob: only an exact entry in allowed_hosts lets data go there.
METADATA_HOSTS = ("169.254.169.254", "metadata.google.internal", "metadata", "100.100.100.200",
                  "fd00:ec2::254", "169.254.170.2")


class PolicyError(Exception):
    """A policy that cannot be used: the message names the file, the line and the key."""


@dataclass(frozen=True)
class Context:
    actor: str | None = None
    role: str | None = None
    environment: str | None = None
    actor_type: str | None = None          # "agent" when commit trailers say so
    sources: tuple[tuple[str, str], ...] = ()  # where each value came from

    def as_json(self) -> dict[str, Any]:
        return {"actor": self.actor, "role": self.role, "environment": self.environment,
                "actor_type": self.actor_type, "sources": dict(self.sources)}


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
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    # -- decisions -----------------------------------------------------------------

    def decide(self, operation: Operation, context: Context) -> Decision:
        environment = context.environment or self.environment
        for rule in self.rules:
            if self._matches(rule, operation, context, environment):
                reason = rule.reason or f"policy rule {rule.id!r} says {rule.action}"
                return Decision(rule.action, reason, rule.origin)
        return self._default(operation, environment)

    def _matches(self, rule: PolicyRule, op: Operation, ctx: Context, environment: str | None) -> bool:
        if not fnmatch.fnmatchcase(op.rule, rule.id):
            return False
        for key, values in rule.when:
            if key == "environment":
                ok = environment in values
            elif key == "role":
                ok = ctx.role in values
            elif key == "actor":
                ok = ctx.actor in values or (ctx.actor_type is not None and ctx.actor_type in values)
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
            elif key == "target":
                ok = any(_glob_any(t, values) for t in op.targets)
            else:  # validated away at load time
                ok = False
            if not ok:
                return False
        return True

    def _path_matches(self, path: str, patterns: tuple[str, ...]) -> bool:
        import pathspec

        spec = pathspec.PathSpec.from_lines("gitwildmatch", patterns)
        candidate = Path(path)
        if candidate.is_absolute():
            try:
                candidate = candidate.relative_to(self.root.resolve())
            except ValueError:
                pass
        return spec.match_file(PurePosixPath(candidate).as_posix())

    def _default(self, op: Operation, environment: str | None) -> Decision:
        if op.scratch:
            return Decision("allow", "the target is scratch (made in this unit or temporary)", "built-in:scratch")
        if op.category == "destructive" and op.targets and all(self.is_scratch(t) for t in op.targets):
            return Decision("allow", "every target matches the scratch patterns", "built-in:scratch")
        if op.category == "exfiltration":
            host = op.detail("host")
            if host and self.host_allowed(host):
                return Decision("allow", f"{host} is in allowed_hosts", "built-in:allowed-hosts")
        if op.category == "evasion":
            if self.fail_closed and environment in PROD_ENVIRONMENTS:
                return Decision("block", "code execgate cannot see through is refused under fail_closed in prod",
                                "built-in:evasion-prod")
            return Decision("warn", "execgate cannot see what this code does", "built-in:evasion")
        return Decision("block", f"{op.category} operations block by default", f"built-in:{op.category}")

    # -- resources -----------------------------------------------------------------

    def is_scratch(self, target: str) -> bool:
        if target.startswith(("/", "~", ".")) or "/" in target:
            return _path_glob_any(target, self.scratch_paths)
        return _glob_any(target.lower(), [p.lower() for p in self.scratch_tables])

    def is_sensitive_table(self, table: str) -> bool:
        return _glob_any(table.lower(), [p.lower() for p in self.sensitive_tables])

    def host_allowed(self, host_or_url: str) -> bool:
        return host_allowed(host_or_url, self.allowed_hosts)


def _glob_any(value: str, patterns: list[str] | tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(value, pattern) for pattern in patterns)


def _path_glob_any(path: str, patterns: list[str]) -> bool:
    if not patterns:
        return False
    import pathspec

    spec = pathspec.PathSpec.from_lines("gitwildmatch", patterns)
    normal = os.path.normpath(path)
    if ".." in PurePosixPath(normal).parts:
        return False  # /tmp/../etc is not scratch
    return spec.match_file(normal) or spec.match_file(normal.lstrip("/"))


def _split_host(value: str) -> tuple[str | None, str, int | None]:
    """(scheme, host, port) of a URL or a bare host[:port]."""
    if "://" not in value:
        value = "//" + value
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.scheme or None), (parts.hostname or "").lower().rstrip("."), port


def _is_ip_or_metadata(host: str) -> bool:
    if host in METADATA_HOSTS:
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


def host_allowed(url: str, allowed: list[str]) -> bool:
    """Whether data may go to ``url`` (or a bare host): globs, optional scheme and port.

    IP literals and cloud metadata endpoints match only an exact entry, never a glob."""
    scheme, host, port = _split_host(url)
    if not host:
        return False
    exact_only = _is_ip_or_metadata(host)
    for entry in allowed:
        e_scheme, e_host, e_port = _split_host(entry)
        if e_scheme and scheme and e_scheme != scheme:
            continue
        if e_scheme and not scheme:
            continue
        if e_port is not None and port != e_port:
            continue
        if exact_only:
            if e_host == host:
                return True
        elif fnmatch.fnmatchcase(host, e_host):
            return True
    return False


# -- loading --------------------------------------------------------------------------


def find_policy_file(start: Path) -> Path | None:
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in POLICY_FILENAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def builtin_policy_path() -> Path:
    return rules_dir() / "policy.yaml"


def load_policy(path: str | Path | None = None, start: Path | None = None) -> Policy:
    """Load the policy named by ``path``, else found upward from ``start``, else the built-in one."""
    from .policy_loader import load_policy_file

    if path is None and start is not None:
        path = find_policy_file(start)
    if path is None:
        return load_policy_file(builtin_policy_path(), builtin=True)
    return load_policy_file(Path(path))


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_yaml(text: str, name: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        raise PolicyError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
