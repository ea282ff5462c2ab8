"""Codex CLI's ``PreToolUse`` hook (https://developers.openai.com/codex/hooks).

The event on stdin::

    {"session_id": "...", "turn_id": "...", "transcript_path": null, "cwd": "/project",
     "hook_event_name": "PreToolUse", "model": "...", "permission_mode": "default",
     "tool_name": "Bash", "tool_input": {"command": "..."}, "tool_use_id": "call_..."}

``tool_name`` is ``Bash`` for shell commands, ``apply_patch`` for file edits (the patch text in
``tool_input.command``) and ``mcp__SERVER__TOOL`` for MCP tools (their arguments as
``tool_input``). The answer, always exit 0:

* refuse: ``{"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny",
  "permissionDecisionReason": "..."}}`` (Codex requires the reason);
* warn: Codex has no "ask" here (it treats ``permissionDecision: "ask"`` as a failed hook and
  runs the tool), so the call runs and ``{"systemMessage": "..."}`` shows the warning;
* allow: no output, and Codex's own approval settings decide.
"""
from __future__ import annotations

import json

from .core import ToolCall, Verdict, object_field, parse_tool_event, text_field

AGENT = "codex"
EVENT = "PreToolUse"


def read(raw: bytes) -> ToolCall:
    event, tool = parse_tool_event(raw, EVENT)
    ids = {key: event.get(key) for key in ("session_id", "turn_id", "tool_use_id")}
    return ToolCall(AGENT, EVENT, tool, object_field(event, "tool_input"), text_field(event, "cwd", ""), ids=ids)


def answer(verdict: Verdict, call: ToolCall | None, as_json: bool = False) -> tuple[int, str, str]:
    if verdict.action == "refuse":
        out: dict = {"hookSpecificOutput": {"hookEventName": EVENT, "permissionDecision": "deny",
                                            "permissionDecisionReason": verdict.reason}}
    elif verdict.action == "warn":
        out = {"systemMessage": verdict.reason}
    else:
        return 0, "", verdict.notices
    return 0, json.dumps(out) + "\n", verdict.notices + (verdict.reason + "\n" if verdict.failure else "")
