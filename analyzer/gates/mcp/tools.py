"""Which arguments of an MCP tool call hold code, and the units of source a call would run or write.

The knowledge is data: ``rules/mcp.yaml`` (known servers, tool names that mean the same on
any server, fallbacks by argument name and JSON Schema description) and the policy's
``mcp: {servers: {NAME: {tools: {TOOL: {ARG: kind}}}}}``. This module only applies it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import string
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from ...records import Record, field
from ..hooks.core import Unit, apply_edits, current_text

CODE_KINDS = ("sql", "shell", "python")


class ToolMap(Record, frozen=True):
    """What one tool's arguments hold: argument -> kind, or a template of what the server runs."""

    args: Mapping[str, str] = field(default_factory=dict)
    template: tuple[str, str] | None = None     # (language, template text)
    source: str = ""                            # where the mapping came from, for messages


class ServerMap(Record, frozen=True):
    """Everything that says how to read one server's tool calls."""

    name: str                                    # --name, else the command's name
    profile: str | None                          # the known server of rules/mcp.yaml, when identified
    dialect: str | None
    own: Mapping[str, ToolMap]                   # the policy's tools for this server
    known: Mapping[str, ToolMap]                 # the profile's tools
    common: Mapping[str, ToolMap]                # tools that mean the same on any server
    names: Mapping[str, str]                     # fallback: argument name -> kind
    descriptions: tuple[tuple[re.Pattern[str], str], ...]
    file_paths: frozenset[str]
    file_contents: frozenset[str]
    edit_pairs: tuple[tuple[str, str], ...]

    def lookup(self, tool: str) -> ToolMap | None:
        for table in (self.own, self.known, self.common):
            if tool in table:
                return table[tool]
        return None


class CallUnits(Record):
    """The units a call would run or write, and why (part of) it could not be checked."""

    units: list[Unit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# -- the mapping ---------------------------------------------------------------------------------


def _tool_table(entries: Any, source: str) -> dict[str, ToolMap]:
    table: dict[str, ToolMap] = {}
    for tool, entry in (entries or {}).items():
        entry = dict(entry or {})
        template = entry.pop("as", None)
        if template:
            ((language, text),) = dict(template).items()
            table[str(tool)] = ToolMap({}, (str(language), str(text)), source)
        else:
            table[str(tool)] = ToolMap({str(k): str(v) for k, v in entry.items()}, None, source)
    return table


def identify(section: Mapping[str, Any], command: Sequence[str], server_info: str | None = None) -> str | None:
    """The known server a command line (or, failing that, the server's own name) says this is."""
    servers = section.get("servers") or {}
    for word in command:
        base = _package_name(word)
        for name, entry in servers.items():
            if base in (entry.get("commands") or []):
                return str(name)
    if server_info:
        for name, entry in servers.items():
            if server_info in (entry.get("server_info") or []):
                return str(name)
    return None


def _package_name(word: str) -> str:
    """``/usr/bin/mcp-server-sqlite`` -> its name; ``@scope/pkg@1.2`` and ``mcp/sqlite:latest`` without versions."""
    if word.startswith("@"):
        scope, _, rest = word.partition("/")
        return f"{scope}/{rest.split('@', 1)[0]}" if rest else word
    if "/" in word and not word.startswith(("/", ".")) and word.count("/") == 1:
        return word.split(":", 1)[0]      # a container image: mcp/sqlite:latest
    return PurePosixPath(word.replace("\\", "/")).name.split("@", 1)[0]


def server_map(section: Mapping[str, Any], policy_raw: Mapping[str, Any], name: str,
               profile: str | None) -> ServerMap:
    """The mapping for server ``name``: the policy's entry, the known profile, the common tools, the fallbacks."""
    own_entry = ((policy_raw.get("mcp") or {}).get("servers") or {}).get(name) or {}
    profile = own_entry.get("profile") or profile
    servers = section.get("servers") or {}
    known_entry = servers.get(profile) or {} if profile else {}
    fallbacks = section.get("fallbacks") or {}
    names = {str(arg).lower(): kind for kind, args in (fallbacks.get("names") or {}).items() for arg in args}
    descriptions = tuple((re.compile(pattern, re.IGNORECASE), kind)
                         for kind, patterns in (fallbacks.get("descriptions") or {}).items() for pattern in patterns)
    return ServerMap(
        name=name, profile=profile if profile in servers else None,
        dialect=own_entry.get("dialect") or known_entry.get("dialect"),
        own=_tool_table(own_entry.get("tools"), f"the policy's mcp.servers.{name}"),
        known=_tool_table(known_entry.get("tools"), f"rules/mcp.yaml servers.{profile}"),
        common=_tool_table(section.get("tools"), "rules/mcp.yaml tools"),
        names=names, descriptions=descriptions,
        file_paths=frozenset(str(a).lower() for a in fallbacks.get("file_paths") or []),
        file_contents=frozenset(str(a).lower() for a in fallbacks.get("file_contents") or []),
        edit_pairs=tuple((str(a), str(b)) for a, b in section.get("edit_pairs") or []))


def unknown_profile(section: Mapping[str, Any], policy_raw: Mapping[str, Any], name: str) -> str | None:
    """The policy names a profile that rules/mcp.yaml does not know: say so once at start."""
    own = ((policy_raw.get("mcp") or {}).get("servers") or {}).get(name) or {}
    wanted = own.get("profile")
    if wanted and wanted not in (section.get("servers") or {}):
        known = ", ".join(sorted(section.get("servers") or {}))
        return f"mcp.servers.{name}.profile {wanted!r} is not a known server (known: {known})"
    return None


def fallback_map(servers: ServerMap, arguments: Mapping[str, Any], schema: Mapping[str, Any] | None) -> ToolMap:
    """Kinds from argument names, then from the words of each argument's schema description."""
    properties = (schema or {}).get("properties") if isinstance(schema, Mapping) else None
    properties = properties if isinstance(properties, Mapping) else {}
    kinds: dict[str, str] = {}
    for arg in list(arguments) + [p for p in properties if p not in arguments]:
        kind = servers.names.get(str(arg).lower())
        if kind is None:
            described = properties.get(arg)
            text = described.get("description") if isinstance(described, Mapping) else None
            if isinstance(text, str):
                kind = next((k for pattern, k in servers.descriptions if pattern.search(text)), None)
        if kind is not None:
            kinds[str(arg)] = kind
    paths = [a for a in arguments if str(a).lower() in servers.file_paths and a not in kinds]
    contents = [a for a in arguments if str(a).lower() in servers.file_contents and a not in kinds]
    if paths and contents:
        kinds[paths[0]] = "file-path"
        kinds[contents[0]] = "file-content"
    return ToolMap(kinds, None, "the fallbacks of rules/mcp.yaml")


# -- units ----------------------------------------------------------------------------------------


def units_for_call(servers: ServerMap, tool: str, arguments: Mapping[str, Any],
                   schema: Mapping[str, Any] | None = None, cwd: str | None = None) -> CallUnits:
    """What a call would run or write, as units for the checker; problems when it cannot be read."""
    mapping = servers.lookup(tool)
    generic = mapping is None
    if mapping is None:
        mapping = fallback_map(servers, arguments, schema)
    result = CallUnits()
    label = f"<mcp {servers.name} {tool}"
    if mapping.template is not None:
        language, template = mapping.template
        try:
            text = _fill(template, language, arguments)
        except ValueError as exc:
            result.problems.append(f"{tool}: {exc}")
            return result
        result.units.append(Unit(text, language, label + ">"))
        return result
    write_path = content = edits = None
    for arg, kind in mapping.args.items():
        if arg not in arguments:
            continue
        value = arguments[arg]
        if kind in CODE_KINDS:
            try:
                texts = _code_texts(value, kind)
            except ValueError as exc:
                result.problems.append(f"{tool} argument {arg!r}: {exc}")
                continue
            result.units += [Unit(t, kind, f"{label} {arg}>") for t in texts]
        elif kind == "file-path":
            write_path = value
        elif kind == "file-content":
            content = value
        elif kind == "file-edits":
            edits = value
        elif kind != "text":
            result.problems.append(f"{tool} argument {arg!r}: unknown kind {kind!r} ({mapping.source})")
    if write_path is not None and (content is not None or edits is not None):
        _file_units(result, servers, tool, write_path, content, edits, cwd)
    if generic:
        unmapped = [a for a, v in arguments.items() if a not in mapping.args and _may_hold_code(v)]
        if unmapped and not any(a in mapping.args for a in arguments):
            names = ", ".join(repr(a) for a in sorted(unmapped))
            result.problems.append(
                f"no mapping says what the arguments of tool {tool!r} hold ({names}), so nothing in them could be "
                f"checked; declare them in the policy: mcp: {{servers: {{{servers.name}: {{tools: {{{tool}: "
                f"{{ARG: sql|shell|python|text}}}}}}}}}}")
    return result


def unmapped_tool(servers: ServerMap, tool: str, schema: Any) -> list[str]:
    """The arguments of a listed tool that could hold code when nothing maps any of them (else [])."""
    if servers.lookup(tool) is not None or not isinstance(schema, Mapping):
        return []
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return []
    free = [name for name, spec in properties.items()
            if not (isinstance(spec, Mapping) and spec.get("type") in ("integer", "number", "boolean", "null"))]
    example = {name: "x" for name in free}
    return [] if fallback_map(servers, example, schema).args else sorted(free)


def _may_hold_code(value: Any) -> bool:
    return isinstance(value, (str, list, dict)) and value not in ("", [], {})


def _code_texts(value: Any, kind: str) -> list[str]:
    if value is None or isinstance(value, (bool, int, float)):
        return []   # a number's text is never code
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        if kind == "shell":
            return [shlex.join(value)] if value else []
        return list(value)
    raise ValueError(f"expected {kind} text, got {type(value).__name__}")


def _fill(template: str, language: str, arguments: Mapping[str, Any]) -> str:
    """The template with each ``{arg}``: shell words quoted, SQL and Python pasted as the server does."""
    values: dict[str, str] = {}
    for _, name, _, _ in string.Formatter().parse(template):
        if not name or name in values:
            continue
        value = arguments.get(name)
        if isinstance(value, dict) or (isinstance(value, list) and not all(isinstance(v, str) for v in value)):
            raise ValueError(f"argument {name!r} is not text")
        items = [] if value is None else value if isinstance(value, list) else [str(value)]
        if language == "shell":
            values[name] = " ".join(shlex.quote(v) for v in items)
        else:
            values[name] = " ".join(items)
    return template.format_map(values)


def _file_units(result: CallUnits, servers: ServerMap, tool: str, path: Any, content: Any, edits: Any,
                cwd: str | None) -> None:
    from ...frontends import language_for_path

    if not isinstance(path, str) or not path:
        result.problems.append(f"{tool}: the file's path is not text")
        return
    full = Path(cwd or os.getcwd(), os.path.expanduser(path))
    current = current_text(full, language_for_path(str(full)) or "")
    if content is not None:
        if not isinstance(content, str):
            result.problems.append(f"{tool}: the file's content is not text")
            return
        language = language_for_path(str(full), content[:128])
        if language:
            result.units.append(Unit(content, language, str(full), current))
        return
    pairs = _edit_pairs(edits, servers.edit_pairs)
    if pairs is None:
        result.problems.append(f"{tool}: the edits are not a list of replacements execgate knows")
        return
    language = language_for_path(str(full), (current or (pairs[0][1] if pairs else ""))[:128])
    if language is None or not pairs:
        return
    after = apply_edits(current, [(old, new, False) for old, new in pairs])
    if after is not None:
        result.units.append(Unit(after, language, str(full), current))
    else:   # an edit that does not apply as written: each new text is judged alone
        result.units += [Unit(new, language, str(full)) for _, new in pairs]


def _edit_pairs(edits: Any, keys: Sequence[tuple[str, str]]) -> list[tuple[str, str]] | None:
    if not isinstance(edits, list):
        return None
    pairs = []
    for edit in edits:
        if not isinstance(edit, Mapping):
            return None
        pair = next(((edit[old], edit[new]) for old, new in keys if old in edit and new in edit), None)
        if pair is None or not all(isinstance(p, str) for p in pair):
            return None
        pairs.append(pair)
    return pairs


# -- pinning -------------------------------------------------------------------------------------


def tool_digest(tool: Mapping[str, Any]) -> str:
    """sha256 over a tool's name, description and input schema (canonical JSON)."""
    pinned = {key: tool.get(key) for key in ("name", "description", "inputSchema")}
    return hashlib.sha256(canonical(pinned).encode("utf-8")).hexdigest()


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def arguments_digest(arguments: Any) -> str:
    return hashlib.sha256(canonical(arguments).encode("utf-8", "surrogatepass")).hexdigest()
