"""``execgate hook AGENT``: gates for AI agents' tool calls, answering in each agent's hook protocol;
``execgate hook install|uninstall AGENT`` writes the agent's settings."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from ..gates.hooks import AGENTS
from .options import fail, hook_options, option

HELP = {
    "claude-code": "Gate one Claude Code PreToolUse event read from stdin (exit 2, or with --json "
                   "permissionDecision \"deny\", refuses the call).",
    "codex": "Gate one Codex CLI PreToolUse event read from stdin (permissionDecision \"deny\" refuses the call).",
    "gemini-cli": "Gate one Gemini CLI BeforeTool event read from stdin (decision \"deny\" refuses the call).",
    "cursor": "Gate one Cursor beforeShellExecution, beforeMCPExecution or preToolUse event read from stdin "
              "(permission \"deny\" refuses the call).",
    "copilot": "Gate one GitHub Copilot preToolUse event read from stdin (permissionDecision \"deny\" refuses "
               "the call).",
}


@click.group()
def hook() -> None:
    """Gates for AI agents' tool calls."""


def _gate(agent: str) -> Callable[..., None]:
    def command(policy_path, environment, role, actor, actor_type, audit_log, as_json=False) -> None:
        from ..gates.hooks.gate import run_hook

        code, out, err = run_hook(sys.stdin.buffer.read(), agent, policy_path=policy_path, environment=environment,
                                  role=role, actor=actor, actor_type=actor_type, audit_log=audit_log,
                                  as_json=as_json)
        if out:
            click.echo(out, nl=False)
        if err:
            click.echo(err, nl=False, err=True)
        sys.exit(code)

    command.__doc__ = HELP[agent]
    for name in reversed(hook_options(agent)):
        command = option(name)(command)
    return command


for _agent in AGENTS:
    hook.command(_agent)(_gate(_agent))


def _settings_options(function: Callable[..., None]) -> Callable[..., None]:
    function = click.option("--user", "scope", flag_value="user",
                            help="The user's settings: every project of this user.")(function)
    function = click.option("--local", "scope", flag_value="local",
                            help="Claude Code only: the project's .claude/settings.local.json (this "
                                 "machine).")(function)
    function = click.option("--project", "scope", flag_value="project", default=True,
                            help="The project's settings, shared through git (default).")(function)
    function = click.option("--settings", "settings", type=click.Path(dir_okay=False),
                            help="The settings file to write (default: chosen by --project, --local or "
                                 "--user).")(function)
    return click.argument("agent", type=click.Choice(AGENTS))(function)


@hook.command("install")
@_settings_options
def install(agent, settings, scope) -> None:
    """Add the execgate hook, by its absolute path, to the agent's settings (existing hooks are kept)."""
    from ..gates.hooks.install import InstallError, execgate_path, install as install_hook, settings_path

    try:
        path = Path(settings) if settings else settings_path(agent, scope, Path.cwd(), os.environ)
        click.echo(install_hook(path, agent, execgate_path()))
    except InstallError as exc:
        sys.exit(fail(str(exc).removeprefix("execgate: ")))
    sys.exit(0)


@hook.command("uninstall")
@_settings_options
def uninstall(agent, settings, scope) -> None:
    """Remove exactly the execgate hooks install added to the agent's settings."""
    from ..gates.hooks.install import InstallError, settings_path, uninstall as uninstall_hook

    try:
        path = Path(settings) if settings else settings_path(agent, scope, Path.cwd(), os.environ)
        click.echo(uninstall_hook(path, agent))
    except InstallError as exc:
        sys.exit(fail(str(exc).removeprefix("execgate: ")))
    sys.exit(0)
