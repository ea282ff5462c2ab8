"""Where a gate's decisions go and with which key they are signed, read from flags, variables and the
policy (see :mod:`analyzer.audit.trail`): no sink, no signing, nothing heavy imported, so a gate with
no log configured pays for nothing more than this."""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..policy.paths import as_seen_from
from ..records import Record

if TYPE_CHECKING:
    from ..policy.rules import Policy

ENV_LOG = "EXECGATE_AUDIT_LOG"
DATABASE_SCHEMES = ("postgresql://", "postgres://")
ENV_SINK = "EXECGATE_AUDIT_SINK"
ENV_KEY = "EXECGATE_AUDIT_KEY"
ENV_BUFFER = "EXECGATE_AUDIT_BUFFER"
VARIABLES = (ENV_LOG, ENV_SINK, ENV_KEY, ENV_BUFFER)   # what decides where and how decisions are recorded
SINK_ERROR_ACTIONS = ("block", "warn")
WARN_BY_DEFAULT = ("dev", "development")


class Setting(Record, frozen=True):
    """A configured value and where it was set."""

    value: str
    origin: str    # --audit-log, EXECGATE_AUDIT_KEY, policy audit.sink, ...


def audit_section(policy: Policy | None) -> Mapping[str, Any]:
    section = policy.raw.get("audit") if policy is not None else None
    return section if isinstance(section, Mapping) else {}


def policy_relative(policy: Policy, value: str) -> str:
    """A path the policy names, relative to the policy file's folder (as ``audit.log`` is)."""
    if os.path.isabs(value) or policy.path is None:
        return value
    return str(policy.path.parent / value)


def resolve_destination(log_flag: str | None, sink_flag: str | None, policy: Policy | None,
                        environ: Mapping[str, str]) -> Setting | None:
    """Where decisions go (see the module docstring); None when nothing names a log."""
    section = audit_section(policy)
    for value, origin in ((sink_flag, "--audit-sink"), (log_flag, "--audit-log"),
                          (environ.get(ENV_SINK), ENV_SINK), (environ.get(ENV_LOG), ENV_LOG)):
        if value:
            return Setting(value, origin)
    sink = section.get("sink")
    if isinstance(sink, str) and sink:
        return Setting(sink if is_database(sink) or policy is None else policy_relative(policy, sink),
                       "policy audit.sink")
    if policy is not None and policy.audit_log:
        return Setting(policy.audit_log, "policy audit.log")
    return None


def resolve_key(key_flag: str | None, policy: Policy | None, environ: Mapping[str, str]) -> Setting | None:
    """The signing key's setting: ``--audit-key``, else ``EXECGATE_AUDIT_KEY``, else ``audit.key``."""
    if key_flag:
        return Setting(key_flag, "--audit-key")
    if environ.get(ENV_KEY):
        return Setting(environ[ENV_KEY], ENV_KEY)
    key = audit_section(policy).get("key")
    if isinstance(key, str) and key and policy is not None:
        return Setting(policy_relative(policy, key), "policy audit.key")
    return None


def sink_error_action(policy: Policy | None, environment: str | None) -> str:
    """``block`` or ``warn``: what a database that cannot be reached means in ``environment``."""
    value = audit_section(policy).get("on_sink_error")
    if isinstance(value, Mapping):
        value = value.get(environment or "", value.get("*"))
    if value in SINK_ERROR_ACTIONS:
        return str(value)
    return "warn" if environment in WARN_BY_DEFAULT else "block"


def is_database(destination: str) -> bool:
    """A PostgreSQL connection string (URL form) rather than a file path."""
    return destination.startswith(DATABASE_SCHEMES)


def caller_environ(environ: Mapping[str, str], cwd: str | None) -> Mapping[str, str]:
    """``environ`` of a caller in folder ``cwd``, with the relative files its audit variables name
    (log, file sink, key, buffer) joined to that folder when it is not this process's: what a server
    running a client's call reads them as."""
    changed = {name: as_seen_from(cwd, environ[name]) or environ[name]
               for name in (ENV_LOG, ENV_SINK, ENV_KEY, ENV_BUFFER)
               if environ.get(name) and not is_database(environ[name])}
    return {**environ, **changed} if any(changed[n] != environ[n] for n in changed) else environ
