"""Deciding: each target by the first project rule that matches, else the built-in defaults.

The policy engine never parses source; it sees only :class:`Operation` values
and the :class:`Context` (who acts, where). Each target of an operation is
decided on its own: the project's rules are tried in order and the first match
wins; when none matches, the built-in defaults decide (:meth:`Policy.default`).
The operation takes the strictest of its targets' decisions (block > warn >
allow), so it is allowed only when every target is, and a block rule applies
when any target matches; the reason names the target that decided. Every
decision names the rule that made it, ``<policy file>:<line>`` or
``built-in:<what>``, so it can be audited.

The built-in defaults, for the target's kind (``Operation.target_kind``):
scratch tables and paths are allowed, and so is removing one named file inside
the project that is not a data file (``routine-removal``); data goes only to
loopback hosts and ``allowed_hosts``; a credential may go in the authentication
of a request to its own service; a constant payload to another host is a warning
(``egress``); the rest of what is destructive, exfiltrating, privileged or
secret blocks. Rules can name these outcomes (``when: {builtin: [egress]}``).

This module never reads files: a :class:`Policy` is made by
:mod:`analyzer.policy.load` (and kept fresh for long-lived gates by
:mod:`analyzer.policy.cache`); what hosts and paths are is
:mod:`analyzer.policy.hosts` and :mod:`analyzer.policy.paths`.
"""
from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..model import Context, Decision, Operation
from ..records import Record, field, replace
from . import paths
from .hosts import host_allowed, is_loopback, known_credential, own_service

if TYPE_CHECKING:
    from ..catalogue import Catalogue

PROD_ENVIRONMENTS = ("prod", "production")
# Rules about execgate's own controls (suppressions without a reason, ...): they
# warn by default, even in prod, since they are about review, not about data.
META_RULE_PREFIX = "execgate."


# The outcomes of the built-in defaults (``built-in:<name>`` in decisions; ``when: {builtin: [...]}``).
BUILTIN_OUTCOMES = ("suppression", "scratch", "routine-removal", "loopback", "allowed-hosts", "sensitive-tables",
                    "authentication", "egress", "exfiltration", "destructive", "privilege", "secrets", "evasion",
                    "evasion-prod")
_STRICTNESS = {"allow": 0, "warn": 1, "block": 2}
# Kinds of target scratch.tables speaks of: tables and the named containers of a database.
TABLE_KINDS = ("table", "database", "schema", "collection")


class PolicyError(Exception):
    """A policy that cannot be used: the message names the file, the line and the key.

    ``problems`` holds every problem found (one line each, in file order); the message is
    the first, with how many more there are."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = list(problems) if problems else [message]
        super().__init__(message)

    @classmethod
    def of(cls, problems: list[str]) -> PolicyError:
        more = len(problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        return cls(problems[0] + suffix, problems)


class PolicyRule(Record, frozen=True):
    """One entry of the policy's ``rules``: a rule id glob, an action and when it applies."""

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


class Policy(Record):
    """A loaded policy: its rules, hosts, tables, scratch targets and where it came from."""

    source: str = "built-in"
    sha256: str = ""
    path: Path | None = None
    environment: str | None = None
    fail_closed: bool = True
    allowed_hosts: list[str] = field(default_factory=list)
    sensitive_tables: list[str] = field(default_factory=list)
    scratch_tables: list[str] = field(default_factory=list)
    scratch_paths: list[str] = field(default_factory=list)
    # Files whose removal is destructive even one at a time (besides rules/files.yaml's data_files).
    data_paths: list[str] = field(default_factory=list)
    dialect: str | None = None
    rules: list[PolicyRule] = field(default_factory=list)
    semgrep_rules: list[str] = field(default_factory=list)
    audit_log: str | None = None
    # role -> actor globs (extension): the role of an actor nobody named a role for.
    roles: dict[str, list[str]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    # Problems that do not stop the policy from working (a shadowed rule, a look-alike host glob, ...).
    warnings: list[str] = field(default_factory=list)

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    # -- decisions -----------------------------------------------------------------

    def decide(self, operation: Operation, context: Context) -> Decision:
        """Each target decided on its own (first matching rule, else the built-in defaults);
        the operation takes the strictest decision, whose reason names the target."""
        environment = context.environment or self.environment
        operation = with_kind(operation)
        targets: tuple[str | None, ...] = tuple(dict.fromkeys(operation.targets)) or (None,)
        decided = [(target, self.decide_target(operation, target, context, environment)) for target in targets]
        return _strictest(decided)

    def decide_target(self, op: Operation, target: str | None, ctx: Context, environment: str | None) -> Decision:
        """The decision for one target (None: an operation without targets)."""
        for rule in self.rules:
            if self._matches(rule, op, target, ctx, environment):
                reason = rule.reason or f"policy rule {rule.describe()} says {rule.action}"
                return Decision(rule.action, reason, rule.origin)
        return self.default(op, target, environment)

    def _matches(self, rule: PolicyRule, op: Operation, target: str | None, ctx: Context,
                 environment: str | None) -> bool:
        """All ``when`` keys must match (AND); within a key any listed value will do (OR).
        ``target``, ``scratch`` and ``builtin`` are about the one target being decided."""
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
            elif key == "server":
                ok = ctx.server is not None and _glob_any(ctx.server, values)
            elif key == "category":
                ok = op.category in values
            elif key == "language":
                ok = op.language in values
            elif key == "severity":
                ok = op.severity in values
            elif key == "path":
                ok = self._path_matches(op.location.path, values)
            elif key == "scratch":
                ok = ("true" if self.target_is_scratch(op, target) else "false") in values
            elif key == "target":
                ok = target is not None and _target_matches(target, op.target_kind, values)
            elif key == "builtin":
                ok = self.default(op, target, environment).policy_rule.removeprefix("built-in:") in values
            else:  # the schema refuses other keys; an unknown one never matches
                ok = False
            if not ok:
                return False
        return True

    def _path_matches(self, path: str, patterns: tuple[str, ...]) -> bool:
        spec = paths.compiled(patterns)
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

    def default(self, op: Operation, target: str | None, environment: str | None = None) -> Decision:
        """What the built-in defaults say of one target of ``op`` (None: it has none)."""
        if op.rule.startswith(META_RULE_PREFIX):
            return Decision("warn", "a suppression must name a known rule, give a reason and suppress something",
                            "built-in:suppression")
        if op.scratch:
            return Decision("allow", "the target is scratch (made in this unit or temporary)", "built-in:scratch")
        if op.category == "destructive" and target is not None:
            kind = op.target_kind
            if self.target_is_scratch(op, target):
                return Decision("allow", f"{target} matches scratch.{kind}s (temporary or regenerable)",
                                "built-in:scratch")
            if self.is_routine_removal(op, target):
                return Decision("allow", f"removing one named file inside the project ({target}) is routine",
                                "built-in:routine-removal")
            if op.detail("scope") == "single" and kind == "path":
                return Decision("block", self._why_not_routine(op, target), "built-in:destructive")
        if op.category == "exfiltration":
            return self._exfiltration(op)
        if op.category == "evasion":
            if self.fail_closed and environment in PROD_ENVIRONMENTS:
                return Decision("block", "code execgate cannot see through is refused under fail_closed in prod",
                                "built-in:evasion-prod")
            return Decision("warn", "execgate cannot see what this code does", "built-in:evasion")
        return Decision("block", f"{op.category} operations block by default", f"built-in:{op.category}")

    def _exfiltration(self, op: Operation) -> Decision:
        """Where the data goes, what it is, and how a credential travels (the details ``host``/``url``,
        ``source``, ``payload``, ``credential`` and ``carrier`` the front ends report)."""
        host = op.detail("url") or op.detail("host")
        shown = host or "an unknown host"
        if host and is_loopback(host):
            return Decision("allow", f"{host} is this machine (loopback): nothing leaves it", "built-in:loopback")
        if host and self.host_allowed(host):
            sensitive = self.sensitive_sources(op)
            if sensitive:
                # Where the data came from weighs too: sensitive tables stay home.
                return Decision("block", f"data from sensitive table {', '.join(sensitive)} may not leave, "
                                         f"even for {host}", "built-in:sensitive-tables")
            return Decision("allow", f"{host} is in allowed_hosts", "built-in:allowed-hosts")
        source = op.detail("source")
        constant = op.detail("payload") == "constant"
        credentials = _items(op.detail("credential"))
        if credentials:
            names = ", ".join(credentials)
            carriers = _items(op.detail("carrier"))
            unlisted = [c for c in credentials if not known_credential(c)]
            strangers = [c for c in credentials if c not in unlisted and not (host and own_service(c, host))]
            if carriers != ["auth"]:
                where = " and ".join(carriers) if carriers else "payload"
                reason = f"the credential {names} travels in the {where} of a request to {shown}"
            elif strangers:
                reason = f"the credential {', '.join(strangers)} goes to {shown}, which is not its own service"
            elif not constant or not _only_credentials(source, credentials):
                reason = f"data other than the credential {names} may travel with it to {shown}"
            elif unlisted:
                # Sent the way a credential is used, to a service execgate does not know it for.
                return Decision("warn", f"egress to an unlisted host: {', '.join(unlisted)} authenticates to {shown}, "
                                        "a service rules/secrets.yaml does not name for it; add the host to "
                                        "allowed_hosts if it is yours", "built-in:egress")
            else:
                return Decision("allow", f"authentication: {names} goes in the request's authentication to its "
                                         f"own service {host}", "built-in:authentication")
            return Decision("block", reason, "built-in:exfiltration")
        if constant and not source:
            return Decision("warn", f"egress to an unlisted host: a constant payload goes to {shown} "
                                    "(no data from a source); add the host to allowed_hosts if it is yours",
                            "built-in:egress")
        if source:
            return Decision("block", f"data ({source}) goes to {shown}, which is not in allowed_hosts",
                            "built-in:exfiltration")
        return Decision("block", "exfiltration operations block by default", "built-in:exfiltration")

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
        """Every target of ``op`` is scratch (or the front end proved them so)."""
        op = with_kind(op)
        return op.scratch or (bool(op.targets) and all(self.target_is_scratch(op, t) for t in op.targets))

    def target_is_scratch(self, op: Operation, target: str | None) -> bool:
        """One target of ``op`` is scratch: the front end proved it, or ``op`` is destructive,
        its target is known (not a variable the front end could not resolve) and matches the
        scratch patterns of its kind (``when: {scratch: true}`` tests this)."""
        if op.scratch:
            return True
        if target is None or op.category != "destructive" or op.detail("resolved") in ("no", "partial"):
            return False
        return self.is_scratch(target, op.target_kind)

    def is_scratch(self, target: str, kind: str) -> bool:
        """Whether destroying ``target`` of ``kind`` is harmless: a path matching ``scratch.paths``
        (never with ``..`` or a variable), or a table (database, schema, collection) matching
        ``scratch.tables`` (never a sensitive table). Other kinds, and unknown ones, never are.
        A kind that may be several (``table|path``: a DataFrame written to a table or a folder)
        is a path when written as one (``/``, ``./``, ``~``, ``s3://``), else its table kind."""
        kinds = kind.split("|")
        if "path" in kinds and (len(kinds) == 1 or _written_as_path(target)):
            return paths.is_scratch_path(target, self.scratch_paths)
        if any(k in TABLE_KINDS for k in kinds) and not _written_as_path(target):
            table = _unquote(target).lower()
            return not self.is_sensitive_table(table) and _glob_any(table, [p.lower() for p in self.scratch_tables])
        return False

    def is_routine_removal(self, op: Operation, target: str) -> bool:
        """Removing one named file (``scope: single``) whose path is known, relative inside the
        project and not a data file (``data_files`` of rules/files.yaml, the policy's ``data_paths``)."""
        return op.detail("scope") == "single" and op.target_kind == "path" and op.category == "destructive" \
            and op.detail("resolved") not in ("no", "partial") and not paths.has_glob(target) \
            and paths.in_project(target) and not self.is_data_path(target)

    def is_data_path(self, path: str) -> bool:
        return paths.matches(path, paths.data_files()) or paths.matches(path, self.data_paths)

    def _why_not_routine(self, op: Operation, target: str) -> str:
        if op.detail("resolved") in ("no", "partial") or paths.normal(target) is None:
            why = "its path is not known before it runs"
        elif paths.has_glob(target):
            why = "it names files by a pattern"
        elif not paths.in_project(target):
            why = "it is outside the project (absolute, home or ..)"
        else:
            why = "it is a data file (data_paths)"
        return f"removing {target} is destructive: {why}"

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


def with_kind(op: Operation, catalogue: Catalogue | None = None) -> Operation:
    """``op`` with its ``target_kind``: as the front end or the engine gave it, else ``catalogue``'s
    (default: the built-in one) for its rule; unknown stays ""."""
    if op.target_kind:
        return op
    if catalogue is None:
        from ..catalogue import load_catalogue

        catalogue = load_catalogue()
    kind = catalogue.target_kind(op.rule, op.language)
    return replace(op, target_kind=kind) if kind else op


def _strictest(decided: list[tuple[str | None, Decision]]) -> Decision:
    """The strictest decision of an operation's targets; when they differ, the reason names
    the targets it is about (and, when all are allowed, why each is)."""
    first = decided[0][1]
    if all(decision == first for _, decision in decided):
        return first
    worst = max(_STRICTNESS[decision.action] for _, decision in decided)
    chosen = next(decision for _, decision in decided if _STRICTNESS[decision.action] == worst)
    if chosen.action == "allow":
        reasons = "; ".join(f"{target}: {decision.reason}" for target, decision in decided)
        return Decision("allow", f"every target is allowed ({reasons})", chosen.policy_rule)
    named = [str(target) for target, decision in decided if decision == chosen]
    which = f"target {named[0]}" if len(named) == 1 else f"targets {', '.join(named)}"
    return Decision(chosen.action, f"{which}: {chosen.reason}", chosen.policy_rule)


def _written_as_path(target: str) -> bool:
    return target.startswith(("/", "~", ".")) or "/" in target


def _target_matches(target: str, kind: str, patterns: tuple[str, ...]) -> bool:
    """A ``when: {target: [...]}`` glob against one target: paths as written once normalised
    (``./dist/`` is ``dist``; ``dist/../src`` is ``src``), other names without quotes and case."""
    if kind == "path" or ("path" in kind.split("|") and _written_as_path(target)):
        text = os.path.normpath(target) if target else target
        return _glob_any(text, patterns)
    return _glob_any(_unquote(target).lower(), [v.lower() for v in patterns])


def _items(value: str | None) -> list[str]:
    """A comma-separated detail as its items."""
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _only_credentials(source: str | None, credentials: list[str]) -> bool:
    """Whether every item of a ``source`` detail names one of ``credentials`` (or there is none)."""
    names = [re.compile(rf"(?<![A-Za-z0-9_]){re.escape(c)}(?![A-Za-z0-9_])", re.IGNORECASE) for c in credentials]
    return all(any(n.search(item) for n in names) for item in _items(source))


def _unquote(name: str) -> str:
    """``"db"."tmp_x"``, ``[tmp_x]`` and backquoted names compare as their plain text."""
    return re.sub(r'["`\[\]]', "", name.strip())


def _glob_any(value: str, patterns: list[str] | tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(value, pattern) for pattern in patterns)
