"""``execgate hook claude-code``: the PreToolUse gate for Claude Code's tool calls.

Claude Code sends one JSON event on stdin before a tool runs. Bash commands,
and the files Write/Edit/MultiEdit/NotebookEdit would produce, go through the
same checker, policy and context as ``execgate check`` (gate ``claude-code``,
``actor_type`` "agent": the agent calls the hook, so no ``--actor-type`` or
EXECGATE_ACTOR_TYPE claim says otherwise), and every decision is appended to the
audit log.

The answer follows the hook protocol:

* refuse: exit 2 with the reason on stderr (Claude reads it), or with
  ``--json`` a ``permissionDecision: "deny"`` object on stdout and exit 0;
* warn: exit 0 with a notice on stderr, or with ``--json`` ``"ask"``: the
  person at the keyboard sees the reason and decides. We never answer
  ``"allow"``: that would skip the user's own permission prompts, so a guard
  that only found nothing wrong prints nothing and lets the normal flow go on;
* a malformed event, an unusable policy, or code that cannot be analysed under
  ``fail_closed``: refuse (exit 2), never a traceback.

Install it with ``execgate hook install claude-code`` (:mod:`analyzer.gates.agent_install`),
which writes into ``.claude/settings.json``::

    {"hooks": {"PreToolUse": [{"matcher": "Bash|Write|Edit|MultiEdit|NotebookEdit",
                               "hooks": [{"type": "command",
                                          "command": "/abs/path/bin/execgate hook claude-code --json"}]}]}}

The absolute path matters: a hook command Claude Code cannot launch lets the call run.

For edits, only what the call *adds* gates: findings already in the file
before the edit are left to the other gates, and suppression comments the call
itself writes are not honoured (an agent must not be able to allow its own
command with ``# execgate: allow ...``).
"""
from __future__ import annotations

import importlib.util
import json
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..engine import Checker
    from ..model import AnalysisError, Finding, Report, Touch


BLOCKED_EXIT = 2
AGENT_EVIDENCE = "Claude Code PreToolUse hook"   # the context's source for actor_type "agent"
NOTEBOOK_CELL_ID = "execgate-agent-edit"


class HookError(Exception):
    """The event cannot be gated: one line, and the call is refused."""


@dataclass(frozen=True)
class Unit:
    """One piece of source a tool call would run or leave on disk."""

    text: str
    language: str
    path: str
    before: str | None = None   # the file's content before the edit, when it exists


# -- reading the event ---------------------------------------------------------------------


def parse_event(raw: bytes) -> dict[str, Any]:
    try:
        event = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise HookError("the hook event is not valid UTF-8") from None
    except ValueError as exc:
        raise HookError(f"the hook event is not JSON ({exc})") from None
    if not isinstance(event, dict):
        raise HookError("the hook event is not a JSON object")
    if event.get("hook_event_name", "PreToolUse") != "PreToolUse":
        raise HookError(f"expected a PreToolUse event, got {event.get('hook_event_name')!r}")
    if not isinstance(event.get("tool_name"), str) or not event["tool_name"]:
        raise HookError("the hook event has no tool_name")
    if not isinstance(event.get("tool_input"), dict):
        raise HookError("the hook event has no tool_input object")
    if not isinstance(event.get("cwd", ""), str):
        raise HookError("the hook event's cwd is not a string")
    return event


def _field(tool_input: dict[str, Any], name: str, tool: str) -> str:
    value = tool_input.get(name)
    if not isinstance(value, str):
        raise HookError(f"{tool} tool_input has no string {name!r}")
    return value


def units_for(event: dict[str, Any]) -> list[Unit]:
    """What a tool call would run or write; empty for tools that neither run code nor write files."""
    from ..frontends import language_for_path

    tool, data = event["tool_name"], event["tool_input"]
    cwd = Path(event.get("cwd") or os.getcwd())
    if tool == "Bash":
        return [Unit(_field(data, "command", tool), "shell", "<command>")]
    if tool in ("Write", "Edit", "MultiEdit"):
        path = cwd / _field(data, "file_path", tool)
        if tool == "Write":
            text = _field(data, "content", tool)
            language = language_for_path(str(path), text[:128])
            return [Unit(text, language, str(path), _current(path, language))] if language else []
        edits = [data] if tool == "Edit" else data.get("edits")
        if not isinstance(edits, list) or not edits or not all(isinstance(e, dict) for e in edits):
            raise HookError(f"{tool} tool_input has no list of edits")
        pairs = [(_field(e, "old_string", tool), _field(e, "new_string", tool), e.get("replace_all") is True)
                 for e in edits]
        current = _current(path, language_for_path(str(path)) or "")
        language = language_for_path(str(path), (current or pairs[0][1])[:128])
        if language is None:
            return []
        result = _apply(current, pairs)
        if result is not None:
            return [Unit(result, language, str(path), current)]
        return [Unit(new, language, str(path)) for _, new, _ in pairs]
    if tool == "NotebookEdit":
        if data.get("edit_mode") == "delete" or data.get("cell_type") == "markdown":
            return []
        path = cwd / _field(data, "notebook_path", tool)
        return [_cell_unit(_field(data, "new_source", tool), str(path))]
    return []


def _current(path: Path, language: str | None) -> str | None:
    """The file as it is now, decoded as its tools would; None when absent or unreadable."""
    from ..sourcefile import MAX_FILE_BYTES, SourceError, decode

    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        data = path.read_bytes()
        return data.decode("utf-8", "surrogateescape") if language == "notebook" else decode(data, language or "")
    except (OSError, SourceError):
        return None


def _apply(current: str | None, pairs: list[tuple[str, str, bool]]) -> str | None:
    """The file after the edits, as the tool would make it; None when an edit does not apply."""
    if current is None:
        return None
    for old, new, every in pairs:
        if not old or old not in current:
            return None
        current = current.replace(old, new) if every else current.replace(old, new, 1)
    return current


def _cell_unit(source: str, path: str) -> Unit:
    """A code cell as the notebook front end sees it (magics, ``!`` lines), else as Python."""
    if importlib.util.find_spec("analyzer.frontends.notebook.cells") is None:
        return Unit(source, "python", path)
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": NOTEBOOK_CELL_ID,
                           "metadata": {}, "outputs": [], "source": source}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return Unit(json.dumps(notebook), "notebook", path)


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


def _key(finding) -> tuple:
    op = finding.operation
    return op.rule, op.targets, op.evidence.strip() or op.message


def explain(report: Report, catalogue: Catalogue, tool: str, refused: bool) -> str:
    """The refusal or notice Claude reads: rule, place, message, then the lines every gate prints
    under a finding (:func:`analyzer.catalogue.finding_texts`: why, policy, instead)."""
    from ..catalogue import finding_texts

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


def run_hook(raw: bytes, policy_path: str | None = None, environment: str | None = None,
             role: str | None = None, actor: str | None = None, audit_log: str | None = None,
             as_json: bool = False, actor_type: str | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) for one event; never raises for bad input."""
    import logging

    from ..audit.log import AuditError, record_report, text_sha256
    from ..prepare import GateRequest, PrepareError, prepare

    logging.getLogger("sqlglot").setLevel(logging.CRITICAL)
    try:
        event = parse_event(raw)
        units = units_for(event)
        if not units:
            return 0, "", ""
        prepared = prepare(GateRequest(gate="claude-code", start=event.get("cwd") or os.getcwd(),
                                       policy_path=policy_path, environment=environment, role=role, actor=actor,
                                       actor_type=actor_type, agent_evidence=AGENT_EVIDENCE,
                                       audit_log=audit_log))
    except (HookError, PrepareError) as exc:
        return BLOCKED_EXIT, "", f"execgate: refused: {exc}\n"
    checker, policy = prepared.checker, prepared.policy
    notices = "".join(f"execgate: warning: {warning}\n" for warning in prepared.warnings)
    report = check_units(checker, units)
    refused = bool(report.blocked) or bool(report.errors and policy.fail_closed)
    warned = any(f.action == "warn" for f in report.findings)
    message = explain(report, checker.catalogue, event["tool_name"], refused) if refused or warned else ""
    problems = notices
    log_path = prepared.audit_log
    if log_path:
        extra = {"tool": event["tool_name"], "session_id": event.get("session_id"),
                 "tool_use_id": event.get("tool_use_id")}
        try:
            record_report(log_path, report, "claude-code", {u.path: text_sha256(u.text) for u in units}, extra)
        except AuditError as exc:
            problems += f"execgate: {exc}\n"
            if policy.fail_closed and not refused:
                refused, message = True, f"execgate: refused: the decision could not be recorded: {exc}"
    if refused:
        message += "\nDo not work around this check; if the operation is really needed, ask the user to run it."
    if as_json and (refused or warned):
        answer = {"hookSpecificOutput": {"hookEventName": "PreToolUse",
                                         "permissionDecision": "deny" if refused else "ask",
                                         "permissionDecisionReason": message}}
        return 0, json.dumps(answer) + "\n", problems
    if refused:
        return BLOCKED_EXIT, "", problems + message + "\n"
    return 0, "", problems + (message + "\n" if warned else "")
