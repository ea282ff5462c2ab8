"""What every agent gate shares: units of source, the check of what a call adds, the verdict.

A tool call becomes :class:`Unit` s (a command, the file after an edit, a notebook cell, the
SQL inside an MCP argument). :func:`check_units` checks them with the checker every gate gets
from :func:`analyzer.prepare.prepare`, keeping only what the call *adds*: findings already in a
file before the edit are left to the other gates, and suppression comments the call itself
writes are not honoured (an agent must not be able to allow its own command with
``# execgate: allow ...``). :func:`explain` is the text the agent and the person read; a
:class:`Verdict` is what each protocol module turns into its agent's answer. The MCP gateway
(``analyzer/gates/mcp/``) uses the same units, check and text.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...records import Record, field, replace

if TYPE_CHECKING:
    from ...catalogue import Catalogue
    from ...engine import Checker
    from ...model import AnalysisError, Finding, Report, Touch

DO_NOT_WORK_AROUND = "Do not work around this check; if the operation is really needed, ask the user to run it."


class HookError(Exception):
    """The event cannot be gated: one line, and the call is refused."""


class Unit(Record, frozen=True):
    """One piece of source a tool call would run or leave on disk."""

    text: str
    language: str
    path: str
    before: str | None = None   # the file's content before the edit, when it exists


class ToolCall(Record, frozen=True):
    """One agent tool call, whatever the agent's event looked like."""

    agent: str
    event: str                           # the hook event that carried it (PreToolUse, beforeShellExecution, ...)
    tool: str                            # the tool's name as the agent says it
    arguments: dict[str, Any]
    cwd: str
    mcp_server: str | None = None        # the MCP server, when the event or the tool name says
    mcp_tool: str | None = None          # the tool's own name on that server
    mcp_command: tuple[str, ...] = ()    # how the server is started, when the event says
    ids: dict[str, Any] = field(default_factory=dict)   # session and call ids for the audit log


class Verdict(Record, frozen=True):
    """What the gate decided about one call; each protocol module turns it into its agent's answer.

    ``action`` is ``allow`` (nothing to say), ``warn`` (the policy warns: ask the person where the
    agent can ask, else let it run with the message shown) or ``refuse``. ``failure`` marks a call
    that could not be judged at all (a malformed event, an unusable policy, an internal error):
    it is refused, and ``reason`` is one line."""

    action: str
    reason: str = ""
    notices: str = ""      # lines for stderr: policy warnings, audit problems
    failure: bool = False

    @classmethod
    def refusal(cls, problem: str, notices: str = "") -> Verdict:
        return cls("refuse", f"execgate: refused: {problem}", notices, failure=True)


def parse_json(raw: bytes) -> dict[str, Any]:
    """The event object; HookError in one line when it is not one."""
    try:
        event = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise HookError("the hook event is not valid UTF-8") from None
    except ValueError as exc:
        raise HookError(f"the hook event is not JSON ({exc})") from None
    if not isinstance(event, dict):
        raise HookError("the hook event is not a JSON object")
    return event


def parse_tool_event(raw: bytes, expected: str) -> tuple[dict[str, Any], str]:
    """The event object and its tool name, for the agents whose events carry ``hook_event_name``
    and ``tool_name``; HookError for another kind of event or a missing tool name."""
    event = parse_json(raw)
    if event.get("hook_event_name", expected) != expected:
        raise HookError(f"expected a {expected} event, got {event.get('hook_event_name')!r}")
    tool = event.get("tool_name")
    if not isinstance(tool, str) or not tool:
        raise HookError("the hook event has no tool_name")
    return event, tool


def text_field(event: dict[str, Any], name: str, default: str | None = None) -> str:
    """A string field of the event; HookError when it is missing (without a default) or not a string."""
    value = event.get(name, default)
    if not isinstance(value, str):
        raise HookError(f"the hook event has no {name}" if value is None
                        else f"the hook event's {name} is not a string")
    return value


def object_field(event: dict[str, Any], name: str) -> dict[str, Any]:
    """An object field; a JSON string holding an object is read too (Cursor's and Copilot's arguments)."""
    value = event.get(name)
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except ValueError:
            raise HookError(f"the hook event's {name} is a string that is not JSON") from None
    if not isinstance(value, dict):
        raise HookError(f"the hook event has no {name} object")
    return value


# -- files a call edits ---------------------------------------------------------------------------


def current_text(path: Path, language: str | None) -> str | None:
    """The file as it is now, decoded as its tools would; None when absent or unreadable."""
    from ...sourcefile import MAX_FILE_BYTES, SourceError, decode

    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        data = path.read_bytes()
        return data.decode("utf-8", "surrogateescape") if language == "notebook" else decode(data, language or "")
    except (OSError, SourceError):
        return None


def apply_edits(current: str | None, pairs: list[tuple[str, str, bool]]) -> str | None:
    """The file after the edits (old, new, replace every occurrence?), as the tool would make it; None when an
    edit does not apply. The MCP gateway applies its file edits with it too."""
    if current is None:
        return None
    for old, new, every in pairs:
        if not old or old not in current:
            return None
        current = current.replace(old, new) if every else current.replace(old, new, 1)
    return current


# -- deciding ----------------------------------------------------------------------------------


def check_units(checker: Checker, units: list[Unit]) -> Report:
    """One report over every unit, keeping only what the call adds (see the module docstring)."""
    findings: list[Finding] = []
    errors: list[AnalysisError] = []
    touches: list[Touch] = []
    for unit in units:
        after = checker.check_text(unit.text, unit.language, unit.path)
        if unit.before is None:
            old_findings: Counter = Counter()
            old_errors: set[str] = set()
        else:
            before = checker.check_text(unit.before, unit.language, unit.path)
            old_findings = Counter(_key(f) for f in before.findings)
            old_errors = {e.message for e in before.errors}
        for finding in after.findings:
            if old_findings[_key(finding)] > 0:
                old_findings[_key(finding)] -= 1
                continue
            if finding.suppression is not None:
                note = " (a suppression written in this tool call is not honoured)"
                finding = replace(finding, suppression=None,
                                  decision=replace(finding.decision, reason=finding.decision.reason + note))
            findings.append(finding)
        errors += [e for e in after.errors if e.message not in old_errors]
        touches += after.touches
    return checker.report(findings, errors, touches, [u.path for u in units])


def _key(finding: Finding) -> tuple:
    op = finding.operation
    return op.rule, op.targets, op.evidence.strip() or op.message


def explain(report: Report, catalogue: Catalogue, tool: str, refused: bool) -> str:
    """The refusal or notice the agent reads: rule, place, message, then the lines every gate prints
    under a finding (:func:`analyzer.catalogue.finding_texts`: why, policy, instead)."""
    from ...catalogue import finding_texts

    lines = []
    for finding in report.findings:
        if finding.action == "allow":
            continue
        op = finding.operation
        place = f"line {op.location.line}" if op.location.path.startswith("<") else op.location.display()
        lines.append(f"- {finding.action}: {op.rule} ({op.category}) at {place}: {op.message}")
        lines += [f"  {line}" for line in finding_texts(finding, catalogue).lines()]
    if report.policy.fail_closed:
        lines += [f"- block: could not be analysed: {e.display()} (fail_closed refuses what execgate cannot see)"
                  for e in report.errors]
    ctx = report.context
    where = f"policy {report.policy.source}, environment {ctx.environment or report.policy.environment or '-'}"
    verdict = "refused" if refused else "warns about"
    return "\n".join([f"execgate {verdict} this {tool} call ({where}):", *lines])
