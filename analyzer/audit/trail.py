"""A gate's audit trail: where its decisions go, with which key they are signed, how they are stamped.

:func:`open_trail` resolves once per prepared gate (:func:`analyzer.prepare.prepare`):

- the destination: ``--audit-sink``, else ``--audit-log``, else ``EXECGATE_AUDIT_SINK``, else
  ``EXECGATE_AUDIT_LOG``, else the policy's ``audit.sink``, else ``audit.log``: a JSON Lines
  file or a ``postgresql://`` database (:mod:`analyzer.audit.sinks`);
- the signing key: ``--audit-key``, else ``EXECGATE_AUDIT_KEY``, else ``audit.key`` (relative
  to the policy file). A key that is configured but cannot be used is an
  :class:`~analyzer.audit.log.AuditKeyError`: the gate fails closed, it never writes unsigned
  records instead;
- what a database that cannot be reached means, ``audit.on_sink_error``: ``block`` (the gate
  refuses, as for an unwritable file under ``fail_closed``) or ``warn``, for every environment or
  per environment (``{prod: block, "*": warn}``). Unset: ``warn`` in ``dev`` and
  ``development``, ``block`` elsewhere. Either way the records wait in a local buffer
  (``audit.buffer``, ``EXECGATE_AUDIT_BUFFER``, else the user's cache folder) and are sent
  with the next append that reaches the database.

:meth:`AuditTrail.record` stamps each record with a decision id, the run it belongs to,
whether the gate ran in shadow mode, the execgate version and, for a policy file in a git
checkout, the commit that last changed it (``policy_modified`` when the file differs from it).
"""
from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .log import AuditError, AuditKeyError, records_for_report
from .settings import (ENV_BUFFER, Setting, audit_section, policy_relative, resolve_destination, resolve_key,
                       sink_error_action)

# The sinks (and through them the database driver's module, uuid and git) are imported only when a
# log is named: most one-shot calls have none.
if TYPE_CHECKING:
    from ..model import Report
    from ..policy.rules import Policy
    from .postgres import PostgresSink
    from .sign import Signer
    from .sinks import FileSink

@functools.lru_cache(maxsize=32)
def _git_commit(path: str, mtime_ns: int) -> tuple[str | None, bool]:
    """(the last commit that changed ``path``, whether the file differs from it); (None, False) outside git."""
    folder, name = os.path.split(path)

    import subprocess

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", folder or ".", *args, "--", name], capture_output=True, text=True,
                                  timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("log", "-1", "--format=%H")
    if not commit:
        return None, False
    return commit, bool(git("status", "--porcelain"))


def policy_commit(policy: Policy) -> tuple[str | None, bool]:
    if policy.path is None:
        return None, False
    try:
        mtime = os.stat(policy.path).st_mtime_ns
    except OSError:
        return None, False
    return _git_commit(str(policy.path), mtime)


class AuditTrail:
    """Where one prepared gate records its decisions (see the module docstring)."""

    def __init__(self, sink: FileSink | PostgresSink, origin: str, policy: Policy, environment: str | None,
                 signer: Signer | None = None, shadow: bool = False, shadow_source: str | None = None) -> None:
        self.sink = sink
        self.origin = origin
        self.policy = policy
        self.environment = environment
        self.signer = signer
        self.shadow = shadow
        self.shadow_source = shadow_source
        self.on_sink_error = sink_error_action(policy, environment)
        self.last: dict[str, Any] | None = None   # the last record this trail wrote: the checkpoint's head

    @property
    def destination(self) -> str:
        """The log as it may be shown (a database's password hidden)."""
        return self.sink.display

    def stamp(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Decision id, run id, mode, version and the policy's commit on each record (kept when set)."""
        import uuid

        from ..version import __version__

        run = uuid.uuid4().hex
        commit, modified = policy_commit(self.policy)
        for record in records:
            record.setdefault("decision_id", uuid.uuid4().hex)
            record.setdefault("run_id", run)
            record.setdefault("shadow", self.shadow)
            if self.shadow and self.shadow_source:
                record.setdefault("shadow_source", self.shadow_source)
            record.setdefault("execgate_version", __version__)
            if commit and record.get("policy_sha256") == self.policy.sha256:
                record.setdefault("policy_commit", commit)
                if modified:
                    record.setdefault("policy_modified", True)
        return records

    def append(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Stamp, chain, sign and write ``records``; AuditError (with ``refuse`` set) when they were not written
        to the log itself."""
        from .postgres import SinkUnavailable

        try:
            written = self.sink.append(self.stamp(records), self.signer)
        except SinkUnavailable as exc:
            exc.refuse = self.on_sink_error == "block"
            raise
        except AuditError as exc:
            exc.refuse = self.policy.fail_closed
            raise
        if written:
            self.last = written[-1]
        return written

    def record(self, report: Report, gate: str, sources: Mapping[str, str] | None = None,
               extra: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Append the decisions of ``report`` made at ``gate`` (one record per finding, error or clean path)."""
        return self.append(records_for_report(report, gate, sources, extra))

    def checkpoint(self) -> dict[str, Any] | None:
        """A checkpoint of the log at the last record this trail wrote (signed when there is a key)."""
        from .checkpoint import make

        if self.last is None:
            return None
        return make(int(self.last["seq"]), str(self.last["hash"]), self.destination, self.signer)


def open_trail(policy: Policy, environment: str | None, environ: Mapping[str, str],
               log_flag: str | None = None, sink_flag: str | None = None, key_flag: str | None = None,
               shadow: bool = False, shadow_source: str | None = None) -> AuditTrail | None:
    """The trail a gate writes, or None when no log is named; AuditKeyError for a key that cannot be used."""
    destination = resolve_destination(log_flag, sink_flag, policy, environ)
    if destination is None:
        return None
    from .sinks import default_buffer, is_database, open_sink
    key = resolve_key(key_flag, policy, environ)
    signer = None
    if key is not None:
        from .sign import load_signer

        signer = load_signer(key.value, key.origin)
    buffer = None
    if is_database(destination.value):
        configured = audit_section(policy).get("buffer")
        if environ.get(ENV_BUFFER):
            buffer = environ[ENV_BUFFER]
        elif isinstance(configured, str) and configured:
            buffer = policy_relative(policy, configured)
        else:
            buffer = default_buffer(destination.value, environ)
    return AuditTrail(open_sink(destination.value, buffer), destination.origin, policy, environment, signer,
                      shadow, shadow_source)


__all__ = ["AuditKeyError", "AuditTrail", "Setting", "open_trail", "resolve_destination", "resolve_key",
           "sink_error_action"]
