"""Claude Code's ``PreToolUse`` hook (https://code.claude.com/docs/en/hooks).

The event on stdin::

    {"session_id": "...", "transcript_path": "...", "cwd": "/project", "permission_mode": "default",
     "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "..."},
     "tool_use_id": "toolu_..."}

MCP tools are named ``mcp__SERVER__TOOL``. The answer:

* refuse: exit 2 with the reason on stderr (Claude reads it), or with ``--json`` a
  ``hookSpecificOutput`` with ``permissionDecision: "deny"`` on stdout and exit 0;
* warn: exit 0 with a notice on stderr, or with ``--json`` ``"ask"``: the person at the keyboard
  sees the reason and decides. We never answer ``"allow"``: that would skip the user's own
  permission prompts, so a call with nothing wrong gets no output and the normal flow goes on;
* a call that could not be judged (malformed event, unusable policy, internal error): exit 2
  with one line on stderr, in both modes.

``execgate hook install claude-code`` writes the hook with ``--json``
(:mod:`analyzer.gates.hooks.install`).
"""
from __future__ import annotations

import json

from .core import HookError, ToolCall, Verdict, object_field, parse_tool_event, text_field

AGENT = "claude-code"
EVENT = "PreToolUse"
BLOCKED_EXIT = 2


def read(raw: bytes) -> ToolCall:
    event, tool = parse_tool_event(raw, EVENT)
    if not isinstance(event.get("tool_input"), dict):
        raise HookError("the hook event has no tool_input object")
    ids = {key: event.get(key) for key in ("session_id", "tool_use_id")}
    return ToolCall(AGENT, EVENT, tool, object_field(event, "tool_input"), text_field(event, "cwd", ""), ids=ids)


def answer(verdict: Verdict, call: ToolCall | None, as_json: bool = False) -> tuple[int, str, str]:
    notices = verdict.notices
    if verdict.failure:
        return BLOCKED_EXIT, "", notices + verdict.reason + "\n"
    if verdict.action == "allow":
        return 0, "", notices
    if as_json:
        decision = "deny" if verdict.action == "refuse" else "ask"
        out = {"hookSpecificOutput": {"hookEventName": EVENT, "permissionDecision": decision,
                                      "permissionDecisionReason": verdict.reason}}
        return 0, json.dumps(out) + "\n", notices
    code = BLOCKED_EXIT if verdict.action == "refuse" else 0
    return code, "", notices + verdict.reason + "\n"
