"""The lean path for one-shot calls: ``execgate hook AGENT`` and ``execgate check --stdin --lang LANG``.

An agent runs one of these before every tool call, so their start-up time is the user's wait.
:func:`parse` recognises exactly those two calls with the options :data:`~analyzer.commands.options.OPTIONS`
defines (the click commands are built from the same table) and nothing else: an unknown option,
``--help``, a path argument, a value click would refuse gives None and the click command line
(:mod:`analyzer.commands.cli`) handles the call, so its errors and help stay click's. :func:`run`
returns what the click command would print, byte for byte, without importing click.

Everything the call depends on is passed in (the caller's working folder, environment and policy
loader), so a long-lived server can run it for a client: nothing here reads ``os.environ`` or the
process's working folder for the call.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ..records import Record
from .options import CHECK_STDIN_OPTIONS, OPTIONS, Spec, hook_options, internal_error

if TYPE_CHECKING:
    from ..policy.rules import Policy

FLAG_KINDS = ("flag", "tristate", "switch")


class OneShot(Record, frozen=True):
    """One recognised call: ``hook`` (with its agent) or ``check`` (of --stdin in ``language``)."""

    command: str                     # "hook" | "check"
    agent: str | None = None         # hook: claude-code, codex, gemini-cli, cursor, copilot
    language: str | None = None      # check: python, sql, shell, notebook
    policy_path: str | None = None
    environment: str | None = None
    role: str | None = None
    actor: str | None = None
    actor_type: str | None = None
    audit_log: str | None = None
    as_json: bool = False            # hook claude-code --json
    output_format: str = "text"
    dialect: str | None = None
    audit_key: str | None = None
    audit_sink: str | None = None
    shadow: bool | None = None
    gate: str = "cli"
    no_cache: bool = False
    no_prefilter: bool = False
    show_allowed: bool = False
    color: bool | None = None


def parse(argv: list[str], cwd: str | None = None) -> OneShot | None:
    """The call ``argv`` makes when it is a one-shot call this module fully understands, else None.

    ``cwd`` is where relative paths are looked at (click refuses a folder as --policy or --audit-log);
    None means this process's working folder."""
    if len(argv) < 2:
        return None
    if argv[0] == "hook":
        from ..gates.hooks import AGENTS

        if argv[1] not in AGENTS:
            return None
        fixed: dict[str, object] = {"command": "hook", "agent": argv[1]}
        allowed, rest = hook_options(argv[1]), argv[2:]
    elif argv[0] == "check":
        fixed, allowed, rest = {"command": "check"}, CHECK_STDIN_OPTIONS, argv[1:]
    else:
        return None
    values = _options(rest, allowed, cwd)
    if values is None:
        return None
    if fixed["command"] == "check":
        if not values.pop("from_stdin", False) or not values.get("language"):
            return None   # paths, or --stdin without a language: click says what is wrong
    return OneShot(**fixed, **values)   # type: ignore[arg-type]


def _options(tokens: list[str], allowed: tuple[str, ...], cwd: str | None) -> dict[str, object] | None:
    """The options in ``tokens`` by parameter name (the last one given wins, as in click); None for
    anything else: a positional argument, a short or unknown option, a value click would refuse."""
    names = {name: OPTIONS[first] for first in allowed for name in OPTIONS[first].names}
    values: dict[str, object] = {}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not token.startswith("--") or token == "--":
            return None
        name, equals, inline = token.partition("=")
        spec = names.get(name)
        if spec is None:
            return None
        if spec.kind in FLAG_KINDS:
            if equals:
                return None
            values[spec.dest] = spec.kind != "switch" or name == spec.names[0]
        else:
            if equals:
                value = inline
            else:
                index += 1
                if index == len(tokens) or tokens[index].startswith("-"):
                    return None   # missing, or a value that looks like an option: click decides
                value = tokens[index]
            if not _acceptable(spec, value, cwd):
                return None
            values[spec.dest] = value
        index += 1
    return values


def _acceptable(spec: Spec, value: str, cwd: str | None) -> bool:
    """Whether click takes ``value`` for ``spec`` as it is (else it prints its own error)."""
    if spec.kind == "choice":
        return value in spec.choices
    if spec.kind == "path" and value:
        return not os.path.isdir(os.path.join(cwd, value) if cwd else value)
    return True


def run(call: OneShot, stdin: bytes, *, cwd: str, environ: Mapping[str, str],
        load_policy: Callable[..., Policy] | None = None, stdout_tty: bool = False,
        stderr_tty: bool = False) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``call`` as the click command prints them; never raises.

    ``stdin`` is the call's standard input, ``cwd`` and ``environ`` the caller's, ``load_policy``
    ``load(path, start=folder) -> Policy`` (default :func:`analyzer.policy.load.load_policy`; a server
    passes a hot-reloading ``PolicyCache().get``). ``stdout_tty``/``stderr_tty`` say whether the caller's
    streams are terminals: click removes colour codes from what goes elsewhere, and so does this."""
    try:
        code, out, err = _run(call, stdin, cwd, environ, load_policy, stdout_tty)
    except Exception as exc:  # noqa: BLE001 - fail closed with one line, never a traceback
        code, out, err = 2, "", internal_error(exc) + "\n"
    return code, out if stdout_tty else strip_ansi(out), err if stderr_tty else strip_ansi(err)


def _run(call: OneShot, stdin: bytes, cwd: str, environ: Mapping[str, str],
         load_policy: Callable[..., Policy] | None, terminal: bool) -> tuple[int, str, str]:
    if call.command == "hook":
        from ..gates.hooks.gate import run_hook

        return run_hook(stdin, call.agent or "", policy_path=call.policy_path, environment=call.environment,
                        role=call.role, actor=call.actor, actor_type=call.actor_type, audit_log=call.audit_log,
                        as_json=call.as_json, cwd=cwd, environ=environ, load=load_policy)
    from ..sourcefile import stdin_limit
    from .check import CheckRequest, execute

    request = CheckRequest(from_stdin=True, language=call.language, policy_path=call.policy_path,
                           environment=call.environment, role=call.role, actor=call.actor,
                           actor_type=call.actor_type, output_format=call.output_format, dialect=call.dialect,
                           audit_log=call.audit_log, audit_key=call.audit_key, audit_sink=call.audit_sink,
                           shadow=call.shadow, gate=call.gate, cache=not call.no_cache,
                           prefilter=not call.no_prefilter, show_allowed=call.show_allowed, color=call.color)
    return execute(request, read_stdin=lambda: stdin[:stdin_limit()], cwd=cwd, environ=environ,
                   load=load_policy, terminal=terminal)


def strip_ansi(text: str) -> str:
    """``text`` without colour and style codes, as click.echo writes to what is not a terminal."""
    if "\033" not in text:
        return text
    import re

    return re.sub(r"\033\[[0-?]*[ -/]*[@-~]", "", text)
