"""One proxied MCP session's decisions: who the client is, which server, the pinned tools, each call.

The relay (``proxy.py``) hands this gate the messages that matter, in order: the client's
``initialize``, the server's answer to it, every ``tools/list`` result and every ``tools/call``.
Nothing here reads or writes the wire; a :class:`Verdict` says what to do with a call and
what to tell the person on stderr. Every decision goes to the audit log. In shadow mode
(``EXECGATE_SHADOW=1``, the policy's ``mode: shadow``) every call is decided and recorded
as always and then forwarded; the person is told what would have been refused.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ...records import Record, field, replace
from . import tools

if TYPE_CHECKING:
    from ...engine import Checker
    from ...model import Report
    from ...prepare import GateRequest, Prepared

GATE = "mcp"


class Verdict(Record, frozen=True):
    """What to do with one tools/call: refuse it (``text`` is the isError result) or forward it."""

    refused: bool
    text: str = ""
    notices: tuple[str, ...] = ()


class _Pins(Record):
    digests: dict[str, str] = field(default_factory=dict)
    schemas: dict[str, Any] = field(default_factory=dict)
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)


class McpGate:
    """Decides the tool calls of one session between one client and one server."""

    def __init__(self, request: GateRequest, prepared: Prepared, command: Sequence[str], name: str,
                 environ: Mapping[str, str] | None = None) -> None:
        from ...catalogue import load_catalogue

        self.request = replace(request, gate=GATE, server=name)
        self.policy = prepared.policy
        self.audit_log = prepared.audit_log
        self.audit = prepared.audit
        self.shadow = prepared.shadow
        self.environ = os.environ if environ is None else environ
        self.name = name
        self.command = list(command)
        self.section = load_catalogue().section("mcp")
        self.client: dict[str, str] = {}
        self.pins = _Pins()
        self._lock = threading.Lock()
        self._checkers: dict[tuple, Checker] = {}
        self.servers = tools.server_map(self.section, self.policy.raw, name, tools.identify(self.section, command))

    # -- what the session says about itself ------------------------------------------------------

    def warnings(self) -> list[str]:
        problem = tools.unknown_profile(self.section, self.policy.raw, self.name)
        return [problem] if problem else []

    def client_initialized(self, params: Any) -> None:
        info = params.get("clientInfo") if isinstance(params, Mapping) else None
        if isinstance(info, Mapping):
            with self._lock:
                self.client = {k: str(info[k]) for k in ("name", "version") if isinstance(info.get(k), (str, int))}

    def server_initialized(self, result: Any) -> None:
        """A server the command line did not identify may say what it is in serverInfo.name."""
        info = result.get("serverInfo") if isinstance(result, Mapping) else None
        if self.servers.profile is None and isinstance(info, Mapping) and isinstance(info.get("name"), str):
            profile = tools.identify(self.section, [], info["name"])
            if profile:
                with self._lock:
                    self.servers = tools.server_map(self.section, self.policy.raw, self.name, profile)

    def tools_listed(self, listed: Any) -> list[str]:
        """Pin each tool's definition; a definition that changes later is reported, and refused under fail_closed."""
        notices: list[str] = []
        if not isinstance(listed, list):
            return notices
        for tool in listed:
            if not isinstance(tool, Mapping) or not isinstance(tool.get("name"), str):
                continue
            name, digest = tool["name"], tools.tool_digest(tool)
            with self._lock:
                new = name not in self.pins.digests
                pinned = self.pins.digests.setdefault(name, digest)
                if pinned == digest:
                    self.pins.schemas.setdefault(name, tool.get("inputSchema"))
                    unmapped = tools.unmapped_tool(self.servers, name, tool.get("inputSchema")) if new else []
                    if unmapped:
                        notices.append(
                            f"execgate: mcp: tool {self.name}/{name}: nothing says what its arguments hold "
                            f"({', '.join(unmapped)}); its calls are "
                            f"{'refused' if self.policy.fail_closed else 'not checked'} until the policy "
                            f"declares them (mcp.servers.{self.name}.tools.{name})")
                    continue
                first = name not in self.pins.changed
                self.pins.changed[name] = (pinned, digest)
            if first:
                notices.append(self._record_change(name, pinned, digest))
        return notices

    def _record_change(self, tool: str, pinned: str, digest: str) -> str:
        from ...model import AnalysisError

        checker = self.checker()
        message = self._changed_message(tool)
        report = checker.report([], [AnalysisError(self._label(tool), message)], [], [])
        refused = self.policy.fail_closed
        notice = (f"execgate: mcp: tool {self.name}/{tool} changed its definition mid-session; its calls are "
                  f"{'refused' if refused else 'recorded'} (pinned {pinned[:12]}, now {digest[:12]})")
        problem, _ = self._record(report, tool, {"pinned_sha256": pinned, "tool_sha256": digest})
        return notice + (f"\n{problem}" if problem else "")

    def _changed_message(self, tool: str) -> str:
        return (f"tool {tool!r} of server {self.name!r} changed its name, description or input schema after the "
                "session's first tools/list: a tool that redefines itself mid-session may be poisoned; restart the "
                "session to trust the new definition")

    def _label(self, tool: str) -> str:
        return f"<mcp {self.name} {tool}>"

    # -- deciding --------------------------------------------------------------------------------

    def checker(self) -> Checker:
        """The checker for the current client and server profile (made once for each)."""
        from ...prepare import prepare_with_policy

        with self._lock:
            client = self.client.get("name")
            dialect = self.servers.dialect
        key = (client, dialect)
        if key not in self._checkers:
            request = replace(self.request, dialect=dialect,
                              agent_evidence=f"MCP client {client or 'unnamed'} (execgate mcp proxy)")
            from_client = client and not request.actor and not self.environ.get("EXECGATE_ACTOR")
            if from_client:
                request = replace(request, actor=client)
            checker = prepare_with_policy(self.policy, request).checker
            if from_client:
                sources = dict(checker.context.sources, actor="MCP initialize clientInfo.name")
                checker.context = replace(checker.context, sources=tuple(sorted(sources.items())))
            self._checkers[key] = checker
        return self._checkers[key]

    def check_call(self, params: Any) -> Verdict:
        """Decide one tools/call; the arguments are never changed, only allowed through or refused."""
        from ...audit.log import text_sha256
        from ...model import AnalysisError
        from ..hooks.core import DO_NOT_WORK_AROUND, check_units, explain

        name = params.get("name") if isinstance(params, Mapping) else None
        arguments = params.get("arguments") if isinstance(params, Mapping) else None
        arguments = {} if arguments is None else arguments
        tool = name if isinstance(name, str) and name else "?"
        problems: list[str] = []
        if tool == "?":
            problems.append("tools/call without a tool name")
        if not isinstance(arguments, Mapping):
            problems.append("tools/call arguments are not a JSON object")
            arguments = {}
        with self._lock:
            changed = tool in self.pins.changed
            schema = self.pins.schemas.get(tool)
            servers = self.servers
        if changed:
            problems.append(self._changed_message(tool))
        call = tools.units_for_call(servers, tool, arguments, schema) if not problems else tools.CallUnits()
        checker = self.checker()
        report = check_units(checker, call.units)
        errors = [AnalysisError(self._label(tool), p) for p in problems + call.problems]
        if errors:
            report = checker.report(report.findings, report.errors + errors, report.touches, report.paths)
        fail_closed = self.policy.fail_closed
        refused = bool(report.blocked) or bool(report.errors and fail_closed) or (tool == "?")
        warned = any(f.action == "warn" for f in report.findings) or bool(report.errors and not refused)
        text = explain(report, checker.catalogue, f"{self.name} {tool}", refused) if refused or warned else ""
        sources = {u.path: text_sha256(u.text) for u in call.units}
        problem, refuse = self._record(report, tool, {"arguments_sha256": tools.arguments_digest(arguments)},
                                       sources)
        notices = []
        if problem:
            notices.append(problem)
            if refuse and not refused:
                refused, text = True, f"execgate refused this {self.name} {tool} call: the decision could not be " \
                                      f"recorded ({problem.removeprefix('execgate: ')})"
        if self.shadow and refused:
            notices.append(f"execgate: mcp: shadow mode: would have refused {self.name}/{tool}, forwarded: "
                           f"{_summary(report)}")
            return Verdict(False, "", tuple(notices))
        if refused or warned:
            notices.append(f"execgate: mcp: {'refused' if refused else 'warning for'} {self.name}/{tool}: "
                           f"{_summary(report)}")
        if refused:
            text += f"\n{DO_NOT_WORK_AROUND}"
        return Verdict(refused, text, tuple(notices))

    def _record(self, report: Report, tool: str, extra: Mapping[str, Any],
                sources: Mapping[str, str] | None = None) -> tuple[str, bool]:
        """Append the decisions to the audit log: ("", False) when recorded, else the problem as one line
        and whether the call must be refused for it (fail_closed, or audit.on_sink_error)."""
        if self.audit is None:
            return "", False
        from ...audit.log import AuditError

        client = "/".join(v for v in (self.client.get("name"), self.client.get("version")) if v) or None
        try:
            self.audit.record(report, GATE, sources or {}, {"server": self.name, "tool": tool, "client": client,
                                                            **extra})
        except AuditError as exc:
            return f"execgate: {exc}", exc.refuse is not False
        return "", False


def _summary(report: Report) -> str:
    rules = [f"{f.operation.rule} ({f.action})" for f in report.findings if f.action != "allow"]
    rules += [f"could not be checked: {e.message}" for e in report.errors]
    return "; ".join(rules) or "nothing found"
