"""A tool call -> the units of source it would run or leave on disk.

Which of an agent's tools run code or write files, and which argument holds what, is data:
the ``agents`` section of the catalogue (``rules/agents.yaml``). The kinds are code:

* ``shell``: the command line;
* ``write``: the file as written (its language from the extension, else the shebang);
* ``edit``: the file after the replacements, as the tool would make them; when one does not
  apply, each new text is judged alone (dedented);
* ``notebook``: the code cell as the notebook front end reads it (magics and ``!`` lines);
* ``patch``: each file a Codex patch adds or updates (:mod:`analyzer.gates.hooks.patch`).

Any other tool is an MCP tool when its name says so (``mcp__SERVER__TOOL`` ...), else an unknown
tool. Both go through the MCP gateway's mapping (:mod:`analyzer.gates.mcp.tools`): the known
server's tool table, tools that mean the same on any server, the policy's
``mcp: {servers: {NAME: {tools: ...}}}``, then argument names (``sql``/``query``/``statement``
-> SQL, ``command``/``cmd``/``script`` -> shell, ``code`` -> Python, a path with content -> the
file as written). A call none of these maps carries no code execgate can read: it passes.
"""
from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ...records import Record, field
from .core import HookError, ToolCall, Unit, apply_edits, current_text

NOTEBOOK_CELL_ID = "execgate-agent-edit"


class CallUnits(Record):
    """What a call would run or write, why part of it could not be read, and where it goes."""

    units: list[Unit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    server: str | None = None      # the MCP server (the policy's context key `server`)
    dialect: str | None = None     # the SQL dialect that server speaks, when known
    mcp: bool = False              # an MCP or unknown tool: the policy may map its arguments


def knowledge(agent: str) -> dict[str, Any]:
    """The agent's entry of ``rules/agents.yaml``."""
    from ...catalogue import load_catalogue

    entry = (load_catalogue().section("agents").get("agents") or {}).get(agent)
    if not isinstance(entry, dict):
        raise HookError(f"rules/agents.yaml knows no agent {agent!r}")
    return entry


def units_for(call: ToolCall, policy_raw: Mapping[str, Any] | None = None, cwd: str | None = None) -> CallUnits:
    """The units of ``call``; HookError when a known tool's arguments are not what it takes. Relative
    paths are taken from the call's folder, else ``cwd`` (the gate's caller's), else this process's."""
    spec = (knowledge(call.agent).get("tools") or {}).get(call.tool)
    if spec is not None and call.mcp_tool is None:
        return CallUnits(_tool_units(call, spec, cwd))
    return _mcp_units(call, policy_raw, cwd)


# -- the agents' own tools -------------------------------------------------------------------------


def _tool_units(call: ToolCall, spec: Mapping[str, Any], caller_cwd: str | None) -> list[Unit]:
    kind, data, tool = spec.get("kind"), call.arguments, call.tool
    cwd = Path(call.cwd or caller_cwd or os.getcwd())
    if kind == "shell":
        return [Unit(_text(data, spec["command"], tool), "shell", "<command>")]
    if kind == "write":
        path = cwd / os.path.expanduser(_text(data, spec["path"], tool))
        return _written(path, _text(data, spec["content"], tool))
    if kind == "edit":
        return _edited(call, spec, cwd)
    if kind == "notebook":
        for name, values in (spec.get("skip") or {}).items():
            if data.get(name) in values:
                return []
        path = cwd / os.path.expanduser(_text(data, spec["path"], tool))
        return [_cell_unit(_text(data, spec["source"], tool), str(path))]
    if kind == "patch":
        return _patched(_text(data, spec["patch"], tool), cwd, tool)
    raise HookError(f"rules/agents.yaml: tool {tool!r} of {call.agent} has an unknown kind {kind!r}")


def _first(data: Mapping[str, Any], names: list[str]) -> tuple[str, Any]:
    """The first of ``names`` present in ``data`` (name, value); the first name and None when none is."""
    for name in names:
        if name in data:
            return name, data[name]
    return names[0], None


def _text(data: Mapping[str, Any], names: list[str], tool: str) -> str:
    name, value = _first(data, names)
    if not isinstance(value, str):
        raise HookError(f"{tool} tool_input has no string {name!r}")
    return value


def _written(path: Path, content: str) -> list[Unit]:
    from ...frontends import language_for_path

    language = language_for_path(str(path), content[:128])
    return [Unit(content, language, str(path), current_text(path, language))] if language else []


def _edited(call: ToolCall, spec: Mapping[str, Any], cwd: Path) -> list[Unit]:
    from ...frontends import language_for_path

    data, tool = call.arguments, call.tool
    path = cwd / os.path.expanduser(_text(data, spec["path"], tool))
    edits: list[Any] = [data]
    if spec.get("edits"):   # a list of replacements, unless the call gives a single one
        _, listed = _first(data, spec["edits"])
        if listed is not None or _first(data, spec["old"])[1] is None:
            if not isinstance(listed, list) or not listed or not all(isinstance(e, dict) for e in listed):
                raise HookError(f"{tool} tool_input has no list of edits")
            edits = listed
    every = spec.get("all") or []
    pairs = [(_text(e, spec["old"], tool), _text(e, spec["new"], tool), bool(every) and _every(_first(e, every)[1]))
             for e in edits]
    current = current_text(path, language_for_path(str(path)) or "")
    language = language_for_path(str(path), (current or pairs[0][1])[:128])
    if language is None:
        return []
    result = apply_edits(current, pairs)
    if result is not None:
        return [Unit(result, language, str(path), current)]
    import textwrap

    return [Unit(textwrap.dedent(new), language, str(path)) for _, new, _ in pairs]


def _every(value: Any) -> bool:
    """replace_all: true; Gemini's expected_replacements: a count above one."""
    return value is True or (isinstance(value, int) and not isinstance(value, bool) and value > 1)


def _patched(text: str, cwd: Path, tool: str) -> list[Unit]:
    import textwrap

    from ...frontends import language_for_path
    from .patch import apply_hunks, parse_patch

    try:
        changes = parse_patch(text)
    except ValueError as exc:
        raise HookError(f"{tool}: {exc}") from None
    units: list[Unit] = []
    for change in changes:
        if change.action == "add":
            units += _written(cwd / change.path, change.content or "")
        elif change.action == "update":
            source = cwd / change.path
            target = cwd / (change.move_to or change.path)
            current = current_text(source, language_for_path(str(source)) or "")
            new_texts = ["\n".join(new) + "\n" for _, _, new in change.hunks]
            language = language_for_path(str(target), (current or (new_texts or [""])[0])[:128])
            if language is None:
                continue
            after = apply_hunks(current, change.hunks) if current is not None else None
            if after is not None:
                units.append(Unit(after, language, str(target), current))
            else:   # a hunk that does not apply as written: each new text is judged alone
                units += [Unit(textwrap.dedent(new), language, str(target)) for new in new_texts]
    return units


def _cell_unit(source: str, path: str) -> Unit:
    """A code cell as the notebook front end sees it (magics, ``!`` lines), else as Python."""
    if importlib.util.find_spec("analyzer.frontends.notebook.cells") is None:
        return Unit(source, "python", path)
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": NOTEBOOK_CELL_ID,
                           "metadata": {}, "outputs": [], "source": source}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return Unit(json.dumps(notebook), "notebook", path)


# -- MCP and unknown tools ---------------------------------------------------------------------------


def mcp_name(call: ToolCall) -> tuple[str | None, str] | None:
    """(server, tool) when ``call`` is an MCP tool call: from the event, else from the tool's name
    as the agent builds it (``mcp__SERVER__TOOL``, ``MCP:TOOL``, ``SERVER-TOOL``)."""
    if call.mcp_tool is not None:
        return call.mcp_server, call.mcp_tool
    naming = knowledge(call.agent).get("mcp") or {}
    prefix, separator = naming.get("prefix"), naming.get("separator")
    name = call.tool
    if prefix:
        if not name.startswith(prefix):
            return None
        name = name[len(prefix):]
        if separator and separator in name:
            server, tool = name.split(separator, 1)
            return (server or None), tool
        return None, name
    if separator and separator in name.strip(separator):
        server, tool = name.rsplit(separator, 1)
        return server, tool
    return None


def _mcp_units(call: ToolCall, policy_raw: Mapping[str, Any] | None, cwd: str | None) -> CallUnits:
    from ...catalogue import load_catalogue
    from ..mcp import tools

    named = mcp_name(call)
    server, tool = named if named is not None else (None, call.tool)
    section = load_catalogue().section("mcp")
    profile = tools.identify(section, list(call.mcp_command), server)
    if profile is None and server in (section.get("servers") or {}):
        profile = server
    servers = tools.server_map(section, policy_raw or {}, server or "", profile)
    result = CallUnits(server=server, dialect=servers.dialect, mcp=named is not None)
    if not call.arguments:
        return result
    if servers.lookup(tool) is None and not tools.fallback_map(servers, call.arguments, None).args:
        return result   # no argument holds code execgate reads: nothing to check
    found = tools.units_for_call(servers, tool, call.arguments, None, call.cwd or cwd or None)
    result.units, result.problems = list(found.units), list(found.problems)
    return result
