"""``execgate hook AGENT``: gates for AI agents' tool calls, answering in each agent's hook protocol;
``execgate hook install AGENT`` writes the agent's settings."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .options import context_options, fail


@click.group()
def hook() -> None:
    """Gates for AI agents' tool calls."""


@hook.command("claude-code")
@context_options
@click.option("--audit-log", type=click.Path(dir_okay=False), help="Append every decision to this log.")
@click.option("--json", "as_json", is_flag=True,
              help="Answer with a hookSpecificOutput JSON object (deny/ask) instead of exit code 2.")
def claude_code(policy_path, environment, role, actor, actor_type, audit_log, as_json) -> None:
    """Gate one Claude Code PreToolUse event read from stdin (exit 2 refuses the call)."""
    from ..gates.agent_hook import BLOCKED_EXIT, run_hook

    try:
        code, out, err = run_hook(sys.stdin.buffer.read(), policy_path, environment, role, actor, audit_log,
                                  as_json, actor_type=actor_type)
    except Exception as exc:  # noqa: BLE001 - a crashing guard must refuse, not let the call through
        code, out, err = BLOCKED_EXIT, "", f"execgate: refused: internal error: {type(exc).__name__}: {exc}\n"
    if out:
        click.echo(out, nl=False)
    if err:
        click.echo(err, nl=False, err=True)
    sys.exit(code)


@hook.command("install")
@click.argument("agent", type=click.Choice(["claude-code"]))
@click.option("--settings", "settings", type=click.Path(dir_okay=False),
              help="The settings file to write (default: chosen by --project, --local or --user).")
@click.option("--project", "scope", flag_value="project", default=True,
              help="The project's .claude/settings.json, shared through git (default).")
@click.option("--local", "scope", flag_value="local", help="The project's .claude/settings.local.json (this machine).")
@click.option("--user", "scope", flag_value="user", help="~/.claude/settings.json: every project of this user.")
def install(agent, settings, scope) -> None:
    """Add the execgate hook, by its absolute path and with --json, to the agent's settings."""
    from ..gates.agent_install import InstallError, execgate_path, install as install_hook, settings_path

    path = Path(settings) if settings else settings_path(scope, Path.cwd(), os.environ)
    try:
        click.echo(install_hook(path, execgate_path()))
    except InstallError as exc:
        sys.exit(fail(str(exc).removeprefix("execgate: ")))
    sys.exit(0)
