"""From a gate's request to what it needs to decide: the checker, the policy's warnings, the audit trail.

Every gate (the ``check`` command, ``baseline create``, the CI gate, the agent hooks
and the IPython kernel) goes through :func:`prepare`, so they load the policy,
validate the dialect, resolve who acts, find the audit log and its signing key
(:mod:`analyzer.audit.trail`) and the mode the same way. In shadow mode (``--shadow``,
``EXECGATE_SHADOW=1``, the policy's ``mode: shadow``) a gate decides and records
everything as it would otherwise, and refuses nothing; a policy that says
``mode: enforce`` cannot be switched to shadow by a flag or a variable.
Nothing here prints: a gate shows the warnings and errors in its own protocol.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .audit import settings as audit_settings
from .audit.settings import resolve_destination
from .engine import Checker
from .frontends import Options
from .policy import context as policy_context
from .policy.context import resolve_context
from .policy.rules import Policy, PolicyError
from .records import Record, replace

if TYPE_CHECKING:
    from .audit.trail import AuditTrail
    from .model import Context


class PrepareError(Exception):
    """The request cannot be served (policy, dialect or baseline): one line for the user, exit 2."""


class GateRequest(Record, frozen=True):
    """What a gate knows when a check starts; None means "not given here"."""

    gate: str = "cli"
    start: str | None = None            # where the policy search starts (default: the working directory)
    policy_path: str | None = None
    environment: str | None = None
    role: str | None = None
    actor: str | None = None
    actor_type: str | None = None       # --actor-type: a claim, which evidence of an agent overrides
    agent_evidence: str | None = None   # the gate knows an agent acts (the Claude Code hook): recorded as the source
    dialect: str | None = None
    baseline_path: str | None = None
    audit_log: str | None = None        # --audit-log
    audit_sink: str | None = None       # --audit-sink (a postgresql:// database, or a file)
    audit_key: str | None = None        # --audit-key: the signing key
    shadow: bool | None = None          # --shadow: decide and record, refuse nothing
    prefilter: bool = True
    environ: Mapping[str, str] | None = None
    cwd: str | None = None              # where git is asked about the commit (pre-commit, CI)
    server: str | None = None           # the MCP server a tool call goes to (context key `server`)
    workdir: str | None = None          # where a text that is no file runs (--stdin, an agent's call, a cell)


ENV_SHADOW = "EXECGATE_SHADOW"
# Every environment variable a prepared gate depends on: a long-lived gate (the kernel) prepares again
# when one of them changes.
ENVIRONMENT_VARIABLES = policy_context.VARIABLES + audit_settings.VARIABLES + (ENV_SHADOW,)
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class Prepared(Record, frozen=True):
    """What a gate needs to decide: the checker, the policy's warnings, the audit trail and the mode."""

    checker: Checker
    warnings: tuple[str, ...]
    audit_log: str | None                  # where decisions go, as it may be shown (None: nowhere)
    audit: AuditTrail | None = None        # records, signs and stamps them
    shadow: bool = False                   # decide and record everything, refuse nothing
    shadow_source: str | None = None       # --shadow, EXECGATE_SHADOW or policy mode

    @property
    def policy(self) -> Policy:
        return self.checker.policy

    @property
    def context(self) -> Context:
        return self.checker.context


def prepare(request: GateRequest, load: Callable[..., Policy] | None = None) -> Prepared:
    """Load the policy (found upward from ``request.start`` unless named) and assemble the rest; ``load``
    is :func:`analyzer.policy.load.load_policy` unless a gate keeps its own (a hot-reloading cache)."""
    if load is None:
        from .policy.load import load_policy  # its YAML and schema machinery only when a policy is read

        load = load_policy
    try:
        policy = load(request.policy_path, start=None if request.policy_path else Path(request.start or os.getcwd()))
    except PolicyError as exc:
        raise PrepareError(str(exc)) from None
    return prepare_with_policy(policy, request)


def prepare_with_policy(policy: Policy, request: GateRequest) -> Prepared:
    """The checker for an already loaded policy (the kernel gate keeps its policy hot-reloaded)."""
    environ = os.environ if request.environ is None else request.environ
    dialect = request.dialect or policy.dialect
    if dialect:
        from .frontends.sql import validate_dialect  # sqlglot only when a dialect is named

        try:
            dialect = validate_dialect(dialect)
        except ValueError as exc:
            raise PrepareError(str(exc)) from None
    context = resolve_context(policy, request.environment, request.role, request.actor, request.gate,
                              environ=environ, cwd=request.cwd, actor_type=request.actor_type,
                              agent_evidence=(request.agent_evidence,) if request.agent_evidence else ())
    if request.server:
        sources = tuple(sorted(dict(context.sources, server=f"{request.gate} gate").items()))
        context = replace(context, server=request.server, sources=sources)
    baseline = None
    if request.baseline_path:
        from .baseline import Baseline, BaselineError

        try:
            baseline = Baseline.load(request.baseline_path)
        except BaselineError as exc:
            raise PrepareError(str(exc)) from None
    options = Options(dialect=dialect, prefilter=request.prefilter, workdir=request.workdir)
    checker = Checker(policy, context, options, baseline=baseline)
    shadow, shadow_source, warnings = resolve_shadow(request.shadow, policy, environ)
    trail = None
    if resolve_destination(request.audit_log, request.audit_sink, policy, environ) is not None:
        # The audit machinery (sinks, signing, git) only when a log is named.
        from .audit.log import AuditKeyError
        from .audit.trail import open_trail

        try:
            trail = open_trail(policy, context.environment or policy.environment, environ, request.audit_log,
                               request.audit_sink, request.audit_key, shadow, shadow_source)
        except AuditKeyError as exc:
            # A configured key that cannot be used: fail closed, never write unsigned records instead.
            raise PrepareError(f"{exc}; nothing was checked or recorded") from None
    return Prepared(checker, tuple(policy.warnings) + warnings, trail.destination if trail else None, trail,
                    shadow, shadow_source)


def resolve_shadow(flag: bool | None, policy: Policy, environ: Mapping[str, str]) -> tuple[bool, str | None,
                                                                                           tuple[str, ...]]:
    """(shadow?, where that came from, warnings): ``--shadow``, else ``EXECGATE_SHADOW``, else the policy's
    ``mode``; a policy's ``mode: enforce`` wins over the flag and the variable."""
    mode = policy.raw.get("mode")
    variable = (environ.get(ENV_SHADOW) or "").strip().lower()
    if mode == "enforce":
        if flag or variable in _TRUE:
            asked = "--shadow" if flag else f"{ENV_SHADOW}={environ.get(ENV_SHADOW)}"
            return False, None, (f"{policy.source}: the policy says mode: enforce; {asked} is ignored",)
        return False, None, ()
    if flag:
        return True, "--shadow", ()
    if variable in _TRUE:
        return True, ENV_SHADOW, ()
    if variable in _FALSE:
        return False, None, ()
    if mode == "shadow":
        return True, f"policy mode: shadow ({policy.source})", ()
    return False, None, ()
