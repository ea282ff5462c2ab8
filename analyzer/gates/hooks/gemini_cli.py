"""Gemini CLI's ``BeforeTool`` hook (https://geminicli.com/docs/hooks/reference).

The event on stdin::

    {"session_id": "...", "transcript_path": "...", "cwd": "/project", "hook_event_name": "BeforeTool",
     "timestamp": "2026-01-01T10:30:00Z", "tool_name": "run_shell_command",
     "tool_input": {"command": "..."}}

MCP tools are named ``mcp__SERVER__TOOL`` and carry ``mcp_context``
(``server_name``, ``tool_name``, and ``command``/``args`` for stdio servers). The answer, always
exit 0 with one JSON object on stdout (Gemini parses stdout as JSON):

* refuse: ``{"decision": "deny", "reason": "..."}``; the reason goes to the agent as the tool's
  error and the turn goes on;
* warn: ``BeforeTool`` has no documented "ask", so the call runs and
  ``{"systemMessage": "..."}`` shows the warning in the terminal;
* allow: ``{}``.
"""
from __future__ import annotations

import json

from .core import HookError, ToolCall, Verdict, object_field, parse_tool_event, text_field

AGENT = "gemini-cli"
EVENT = "BeforeTool"


def read(raw: bytes) -> ToolCall:
    event, tool = parse_tool_event(raw, EVENT)
    server = tool_name = None
    command: tuple[str, ...] = ()
    context = event.get("mcp_context")
    if context is not None:
        if not isinstance(context, dict):
            raise HookError("the hook event's mcp_context is not an object")
        server = context.get("server_name") if isinstance(context.get("server_name"), str) else None
        tool_name = context.get("tool_name") if isinstance(context.get("tool_name"), str) else None
        args = context.get("args")
        if isinstance(context.get("command"), str):
            command = (context["command"], *[str(a) for a in (args if isinstance(args, list) else [])])
    ids = {"session_id": event.get("session_id")}
    return ToolCall(AGENT, EVENT, tool, object_field(event, "tool_input"), text_field(event, "cwd", ""),
                    mcp_server=server, mcp_tool=tool_name, mcp_command=command, ids=ids)


def answer(verdict: Verdict, call: ToolCall | None, as_json: bool = False) -> tuple[int, str, str]:
    if verdict.action == "refuse":
        out: dict = {"decision": "deny", "reason": verdict.reason}
    elif verdict.action == "warn":
        out = {"systemMessage": verdict.reason}
    else:
        out = {}
    return 0, json.dumps(out) + "\n", verdict.notices + (verdict.reason + "\n" if verdict.failure else "")
