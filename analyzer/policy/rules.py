"""Policy as code: load ``.execgate.yaml`` and decide each operation.

The policy engine never parses source; it sees only :class:`Operation` values
and the :class:`Context` (who acts, where). The project's rules are tried in
order and the first match wins; when none matches, the built-in defaults
decide (:meth:`Policy._default`). Every decision names the rule that made it,
``<policy file>:<line>`` or ``built-in:<what>``, so it can be audited.

Reading the file (safe YAML, JSON Schema, errors with file, line and key) is
in :mod:`analyzer.policy.load`; re-reading a changed file for long-lived gates
in :class:`PolicyCache`.
"""
from __future__ import annotations

import fnmatch
import functools
import hashlib
import ipaddress
import os
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from ..catalogue import rules_dir
from ..model import Context, Decision, Operation

POLICY_FILENAMES = (".execgate.yaml", ".execgate.yml")
PROD_ENVIRONMENTS = ("prod", "production")
# Never allowed by a glob: only an exact entry in allowed_hosts lets data go there.
METADATA_HOSTS = ("169.254.169.254", "metadata.google.internal", "metadata.goog", "metadata",
                  "100.100.100.200", "fd00:ec2::254", "169.254.170.2", "instance-data",
                  "instance-data.ec2.internal")
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21, "sftp": 22, "ssh": 22,
                 "smtp": 25, "smtps": 465}
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


# -- hosts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HostRef:
    scheme: str | None
    host: str
    port: int | None


_HOST_CHARS = re.compile(r"^[a-z0-9._*?\[\]!:-]+$")


def parse_host(value: str) -> HostRef | None:
    """(scheme, host, port) of a URL or a bare ``host[:port]``; None when it cannot be read
    the way every HTTP client would read it (backslashes, percent-escapes, bad ports, spaces)."""
    value = value.strip()
    if not value or any(c in value for c in "\\%\t\r\n ") or any(ord(c) < 32 for c in value):
        return None
    if "://" not in value:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:/", value):
            return None
        value = "//" + value
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower() or None
    host = parts.hostname or ""
    if host.endswith("."):
        host = host[:-1]   # one trailing dot is the same host (fully qualified)
    if not host or ".." in host or host.endswith(".") or host.startswith("."):
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    host = host.lower()
    if not _HOST_CHARS.match(host):
        return None
    if port is None and scheme in DEFAULT_PORTS:
        port = DEFAULT_PORTS[scheme]
    return HostRef(scheme, host, port)


def is_ip_or_metadata(host: str) -> bool:
    """IP literals in any spelling a resolver accepts (``127.1``, ``2130706433``, ``0x7f.1``,
    IPv6) and cloud metadata names: only an exact allowed_hosts entry lets data go there."""
    if host in METADATA_HOSTS:
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        pass
    try:
        socket.inet_aton(host)
        return True
    except OSError:
        return False


def host_allowed(url: str, allowed: list[str]) -> bool:
    """Whether data may go to ``url`` (or a bare host): globs, optional scheme and port.

    ``http://allowed.com@evil.com`` goes to evil.com; ``allowed.com.evil.com`` is not
    ``allowed.com``; case, trailing dots and IDNA are normalised; IP literals and cloud
    metadata endpoints match only an exact entry, never a glob."""
    target = parse_host(url)
    if target is None:
        return False
    exact_only = is_ip_or_metadata(target.host)
    for entry in allowed:
        rule = parse_host(entry)
        if rule is None:
            continue
        if rule.scheme and rule.scheme != target.scheme:
            continue
        if rule.port is not None and rule.port != target.port:
            continue
        if exact_only:
            if rule.host == target.host or rule.host.strip("[]") == target.host.strip("[]"):
                return True
        elif fnmatch.fnmatchcase(target.host, rule.host):
            return True
    return False


# -- loading --------------------------------------------------------------------------


def find_policy_file(start: Path) -> Path | None:
    """``.execgate.yaml`` in ``start`` (or its folder) or the nearest parent folder."""
    try:
        start = Path(start).resolve()
    except (OSError, RuntimeError):   # a symlink loop: look from the folder that holds it
        start = Path(os.path.abspath(start))
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
    """Load the policy named by ``path``, else found upward from ``start``, else the built-in one.

    Problems that do not stop the policy from working are in ``Policy.warnings``."""
    from .load import load_policy_file

    if path is None and start is not None:
        path = find_policy_file(start)
    if path is None:
        return load_policy_file(builtin_policy_path(), builtin=True)
    return load_policy_file(Path(path))


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_yaml(text: str, name: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        raise PolicyError(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None


# -- hot reload -----------------------------------------------------------------------

# A file changed within this many seconds of being read may change again without its
# mtime moving (coarse timestamps): its content is hashed again on the next call.
_RACY_SECONDS = 2.0


@dataclass
class _Entry:
    key: tuple[int, int, int, int]
    sha256: str
    policy: Policy
    racy: bool


def _mtime(folder: str) -> int:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return -1


class PolicyCache:
    """Policies for long-lived gates (the IPython extension, a daemon): one ``os.stat`` per
    call, and the file is read again when its inode, size or mtime changes (or, when it was
    written moments before it was read, when its content hash changes).

    A changed policy that no longer loads raises :class:`PolicyError`: the gate refuses
    until the file is fixed rather than keep deciding with a policy that is gone."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._found: dict[str, tuple[Path | None, tuple[tuple[str, int], ...]]] = {}

    def _find(self, start: Path) -> Path | None:
        """find_policy_file, remembered until a folder on the way up changes (a policy file
        appearing or disappearing changes its folder's mtime): one stat per folder, no listing."""
        key = os.path.abspath(start)
        cached = self._found.get(key)
        if cached is not None and all(_mtime(folder) == mtime for folder, mtime in cached[1]):
            return cached[0]
        found = find_policy_file(start)
        directory = Path(key) if Path(key).is_dir() else Path(key).parent
        folders = []
        for folder in (directory, *directory.parents):
            folders.append((str(folder), _mtime(str(folder))))
            if found is not None and folder == found.parent:
                break
        self._found[key] = (found, tuple(folders))
        return found

    def get(self, path: str | Path | None = None, start: Path | None = None) -> Policy:
        if path is None and start is not None:
            path = self._find(start)
        if path is None:
            path = builtin_policy_path()
            builtin = True
        else:
            builtin = False
        path = Path(path)
        key_name = f"{'builtin:' if builtin else ''}{os.path.abspath(path)}"
        try:
            stat = path.stat()
        except OSError:
            with self._lock:
                self._entries.pop(key_name, None)
            return load_policy(path) if not builtin else load_policy()
        key = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        with self._lock:
            entry = self._entries.get(key_name)
        if entry is not None and entry.key == key and not entry.racy:
            return entry.policy
        data = _read(path)
        digest = file_sha256(data) if data is not None else ""
        if entry is not None and data is not None and entry.sha256 == digest:
            entry.key, entry.racy = key, _is_racy(stat.st_mtime_ns)
            return entry.policy
        from .load import load_policy_file

        policy = load_policy_file(path, builtin=builtin)
        with self._lock:
            self._entries[key_name] = _Entry(key, policy.sha256, policy, _is_racy(stat.st_mtime_ns))
        return policy

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._found.clear()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _is_racy(mtime_ns: int) -> bool:
    return abs(time.time() - mtime_ns / 1e9) < _RACY_SECONDS


_CACHE = PolicyCache()


def load_policy_cached(path: str | Path | None = None, start: Path | None = None) -> Policy:
    """:func:`load_policy` for long-lived gates: the same Policy object until the file changes."""
    return _CACHE.get(path, start)
