"""GitHub Copilot's ``preToolUse`` hook, for Copilot CLI and the Copilot coding agent
(https://docs.github.com/en/copilot/reference/hooks-configuration).

The event on stdin (``toolArgs`` is a JSON string; an object is read too)::

    {"sessionId": "...", "timestamp": 1704614600000, "cwd": "/project", "toolName": "bash",
     "toolArgs": "{\\"command\\":\\"rm -rf dist\\",\\"description\\":\\"Clean build directory\\"}"}

The VS Code compatible form (``PreToolUse`` with ``tool_name``/``tool_input``) is read as well.
MCP tools are named ``SERVER-TOOL``. Copilot logs and skips a hook that exits non-zero, so the
answer is always exit 0:

* refuse: ``{"permissionDecision": "deny", "permissionDecisionReason": "..."}``;
* warn: ``"ask"``: Copilot CLI asks the person (the coding agent, which has nobody to ask,
  processes only "deny" and lets the call run);
* allow: no output, and Copilot's own permission flow decides.
"""
from __future__ import annotations

import json

from .core import HookError, ToolCall, Verdict, object_field, parse_json, text_field

AGENT = "copilot"
EVENT = "preToolUse"


def read(raw: bytes) -> ToolCall:
    event = parse_json(raw)
    snake = "tool_name" in event and "toolName" not in event    # the VS Code compatible payload
    name = event.get("hook_event_name")
    if name is not None and name not in ("preToolUse", "PreToolUse"):
        raise HookError(f"expected a preToolUse event, got {name!r}")
    tool = text_field(event, "tool_name" if snake else "toolName")
    if not tool:
        raise HookError("the hook event has no toolName")
    arguments = object_field(event, "tool_input" if snake else "toolArgs")
    ids = {"session_id": event.get("session_id" if snake else "sessionId")}
    return ToolCall(AGENT, EVENT, tool, arguments, text_field(event, "cwd", ""), ids=ids)


def answer(verdict: Verdict, call: ToolCall | None, as_json: bool = False) -> tuple[int, str, str]:
    if verdict.action == "allow":
        return 0, "", verdict.notices
    out = {"permissionDecision": "deny" if verdict.action == "refuse" else "ask",
           "permissionDecisionReason": verdict.reason}
    return 0, json.dumps(out) + "\n", verdict.notices + (verdict.reason + "\n" if verdict.failure else "")
