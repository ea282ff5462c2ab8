"""One hook event -> one answer: the flow every agent gate shares.

The agent's module reads its event into a :class:`~analyzer.gates.hooks.core.ToolCall`;
:mod:`~analyzer.gates.hooks.calls` turns the call into units; the policy is found upward from
the call's working directory (or named), and :func:`analyzer.prepare.prepare_with_policy` gives
the checker, with ``actor_type`` "agent" (the agent calls the hook, so no ``--actor-type`` or
EXECGATE_ACTOR_TYPE claim says otherwise), the MCP server as the context key ``server`` and its
SQL dialect. Every decision goes to the audit log with the agent as the gate, the tool and the
session's ids. The :class:`~analyzer.gates.hooks.core.Verdict` goes back to the agent's module,
which answers in its protocol.

Fail closed: a malformed event, an unusable policy or audit key, code that cannot be analysed
under ``fail_closed``, a decision that cannot be recorded under ``fail_closed`` and an internal
error all refuse, in the agent's own refusal shape, never with a traceback.

Shadow mode (``EXECGATE_SHADOW=1``, the policy's ``mode: shadow``): every call is decided and
recorded as always and allowed; what enforcing would have said goes to the notices (stderr).
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ...records import Record
from . import AGENTS, calls
from .core import DO_NOT_WORK_AROUND, HookError, ToolCall, Verdict, check_units, explain

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...policy.rules import Policy
    from ...prepare import Prepared

    # load(path, start=folder) -> Policy: load_policy, or a server's PolicyCache().get
    PolicyLoader = Callable[..., Policy]

def protocol_of(agent: str) -> ModuleType:
    """The module that reads ``agent``'s events and writes its answers (``claude-code``:
    ``claude_code.py``), imported when that agent calls: one call reads one agent's events."""
    if agent not in AGENTS:
        raise KeyError(agent)
    return importlib.import_module(f"{__package__}.{agent.replace('-', '_')}")


class HookOptions(Record, frozen=True):
    """The command line's options; None means "not given here"."""

    policy_path: str | None = None
    environment: str | None = None
    role: str | None = None
    actor: str | None = None
    actor_type: str | None = None
    audit_log: str | None = None
    as_json: bool = False       # claude-code: answer with JSON instead of exit code 2
    # Whoever called the gate: a long-lived server passes its client's; None means this process's.
    cwd: str | None = None
    environ: Mapping[str, str] | None = None


def run_hook(raw: bytes, agent: str = "claude-code", *, policy_path: str | None = None,
             environment: str | None = None, role: str | None = None, actor: str | None = None,
             actor_type: str | None = None, audit_log: str | None = None,
             as_json: bool = False, cwd: str | None = None, environ: Mapping[str, str] | None = None,
             load: PolicyLoader | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) for one event of ``agent``; never raises. ``load`` finds and loads
    the policy (default :func:`analyzer.policy.load.load_policy`; a server passes a hot-reloading cache)."""
    options = HookOptions(policy_path, environment, role, actor, actor_type, audit_log, as_json, cwd, environ)
    protocol = protocol_of(agent)
    call: ToolCall | None = None
    try:
        call = protocol.read(raw)
        verdict = judge(call, options, load)
    except HookError as exc:
        verdict = Verdict.refusal(str(exc))
    except Exception as exc:  # noqa: BLE001 - a crashing guard must refuse, not let the call through
        verdict = Verdict.refusal(f"internal error: {type(exc).__name__}: {exc}")
    return protocol.answer(verdict, call, options.as_json)


def judge(call: ToolCall, options: HookOptions, load: PolicyLoader | None = None) -> Verdict:
    """The verdict on one call (see the module docstring)."""
    from ...audit.settings import caller_environ
    from ...model import AnalysisError
    from ...policy.paths import as_seen_from
    from ...policy.rules import PolicyError
    from ...prepare import GateRequest, PrepareError, prepare_with_policy

    if load is None:
        from ...policy.load import load_policy

        load = load_policy
    found = calls.units_for(call, cwd=options.cwd)
    if not (found.units or found.problems or found.server):
        return Verdict("allow")
    start = call.cwd or options.cwd or os.getcwd()
    try:
        policy = load(as_seen_from(options.cwd, options.policy_path),
                      start=None if options.policy_path else Path(start))
    except PolicyError as exc:
        return Verdict.refusal(str(exc))
    if found.mcp and policy.raw.get("mcp"):   # the policy may say what this server's arguments hold
        found = calls.units_for(call, policy.raw, options.cwd)
    if not (found.units or found.problems):
        return Verdict("allow")
    request = GateRequest(gate=call.agent, start=start, policy_path=options.policy_path,
                          environment=options.environment, role=options.role, actor=options.actor,
                          actor_type=options.actor_type, agent_evidence=calls.knowledge(call.agent).get("evidence"),
                          audit_log=as_seen_from(options.cwd, options.audit_log), dialect=found.dialect,
                          server=found.server, cwd=options.cwd, workdir=start,
                          environ=None if options.environ is None else caller_environ(options.environ, options.cwd))
    try:
        prepared = prepare_with_policy(policy, request)
    except PrepareError as exc:
        return Verdict.refusal(str(exc))
    checker = prepared.checker
    report = check_units(checker, found.units)
    if found.problems:
        label = f"<{call.tool}>"
        report = checker.report(report.findings, report.errors + [AnalysisError(label, p) for p in found.problems],
                                report.touches, report.paths)
    refused = bool(report.blocked) or bool(report.errors and policy.fail_closed)
    warned = any(f.action == "warn" for f in report.findings)
    reason = explain(report, checker.catalogue, call.tool, refused) if refused or warned else ""
    notices = "".join(f"execgate: warning: {warning}\n" for warning in prepared.warnings)
    if not policy.fail_closed:   # what could not be analysed passes, and the person is told
        notices += "".join(f"execgate: warning: could not be analysed: {e.display()}\n" for e in report.errors)
    problem, refuse_unrecorded = _record(prepared, report, call, found.units)
    if problem:
        notices += problem + "\n"
        if refuse_unrecorded and not refused and not prepared.shadow:
            return Verdict.refusal(f"the decision could not be recorded: {problem.removeprefix('execgate: ')}",
                                   notices)
    if prepared.shadow and (refused or warned):
        # Shadow mode: decided and recorded as always; the call runs, and the person is told what enforcing says.
        return Verdict("allow", "", f"{notices}execgate (shadow mode): nothing is refused; enforcing would say:\n"
                                    f"{reason}\n")
    if refused:
        return Verdict("refuse", f"{reason}\n{DO_NOT_WORK_AROUND}", notices)
    return Verdict("warn" if warned else "allow", reason, notices)


def _record(prepared: Prepared, report, call: ToolCall, units) -> tuple[str, bool]:
    """Append the decisions to the audit log: ("", False) when recorded (or no log), else the problem in one
    line and whether the call must be refused for it (fail_closed, or audit.on_sink_error)."""
    if prepared.audit is None:
        return "", False
    from ...audit.log import AuditError, text_sha256

    extra = {"tool": call.tool, **call.ids}
    named = calls.mcp_name(call)
    if named is not None:
        extra.update(server=named[0], mcp_tool=named[1])
    try:
        prepared.audit.record(report, call.agent, {u.path: text_sha256(u.text) for u in units}, extra)
    except AuditError as exc:
        return f"execgate: {exc}", exc.refuse is not False
    return "", False
