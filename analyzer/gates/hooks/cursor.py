"""Cursor's agent hooks (https://cursor.com/docs/hooks): ``beforeShellExecution``,
``beforeMCPExecution`` and ``preToolUse``.

The events on stdin, beside the common ``conversation_id``, ``generation_id``, ``model``,
``cursor_version``, ``workspace_roots`` and ``user_email``::

    {"hook_event_name": "beforeShellExecution", "command": "...", "cwd": "/project", "sandbox": false}
    {"hook_event_name": "beforeMCPExecution", "tool_name": "write_query",
     "tool_input": "{\\"query\\": \\"...\\"}", "command": "uvx mcp-server-sqlite ..."}   # or "url"
    {"hook_event_name": "preToolUse", "tool_name": "Write", "tool_input": {...}, "tool_use_id": "...",
     "cwd": ""}

The answer, always exit 0 with one flat JSON object on stdout:

* refuse: ``{"permission": "deny", "user_message": "...", "agent_message": "..."}``;
* warn: ``"ask"`` on ``beforeShellExecution`` and ``beforeMCPExecution``, which enforce it; on
  ``preToolUse``, where "ask" is accepted but not enforced, ``"allow"`` with the messages;
* allow: ``{"permission": "allow"}``: the hook is installed with ``failClosed: true``, under
  which Cursor treats an empty answer as a failed hook and blocks the action.
"""
from __future__ import annotations

import json

from .core import HookError, ToolCall, Verdict, object_field, parse_json, text_field

AGENT = "cursor"
SHELL, MCP, TOOL = "beforeShellExecution", "beforeMCPExecution", "preToolUse"
ASKS = (SHELL, MCP)    # the events that enforce permission "ask"


def read(raw: bytes) -> ToolCall:
    event = parse_json(raw)
    name = event.get("hook_event_name")
    roots = event.get("workspace_roots")
    root = roots[0] if isinstance(roots, list) and roots and isinstance(roots[0], str) else ""
    cwd = text_field(event, "cwd", "") or root
    ids = {"session_id": event.get("conversation_id"), "generation_id": event.get("generation_id")}
    if name == SHELL:
        return ToolCall(AGENT, name, "Shell", {"command": text_field(event, "command")}, cwd, ids=ids)
    if name == MCP:
        tool = text_field(event, "tool_name")
        command = event.get("command")
        import shlex

        try:
            words = tuple(shlex.split(command)) if isinstance(command, str) else ()
        except ValueError:
            words = tuple(command.split()) if isinstance(command, str) else ()
        return ToolCall(AGENT, name, f"MCP:{tool}", object_field(event, "tool_input"), cwd,
                        mcp_tool=tool, mcp_command=words, ids=ids)
    if name == TOOL:
        tool = text_field(event, "tool_name")
        if not tool:
            raise HookError("the hook event has no tool_name")
        ids["tool_use_id"] = event.get("tool_use_id")
        return ToolCall(AGENT, name, tool, object_field(event, "tool_input"), cwd, ids=ids)
    raise HookError(f"expected a {SHELL}, {MCP} or {TOOL} event, got {name!r}")


def answer(verdict: Verdict, call: ToolCall | None, as_json: bool = False) -> tuple[int, str, str]:
    if verdict.action == "allow":
        return 0, json.dumps({"permission": "allow"}) + "\n", verdict.notices
    if verdict.action == "refuse":
        permission = "deny"
    else:
        permission = "ask" if call is not None and call.event in ASKS else "allow"
    out = {"permission": permission, "user_message": verdict.reason, "agent_message": verdict.reason}
    return 0, json.dumps(out) + "\n", verdict.notices + (verdict.reason + "\n" if verdict.failure else "")
