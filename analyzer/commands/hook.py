"""``execgate hook AGENT``: gates for AI agents' tool calls, answering in each agent's hook protocol."""
from __future__ import annotations

import sys

import click

from .options import context_options


@click.group()
def hook() -> None:
    """Gates for AI agents' tool calls."""


@hook.command("claude-code")
@context_options
@click.option("--audit-log", type=click.Path(dir_okay=False), help="Append every decision to this log.")
@click.option("--json", "as_json", is_flag=True,
              help="Answer with a hookSpecificOutput JSON object (deny/ask) instead of exit code 2.")
def claude_code(policy_path, environment, role, actor, audit_log, as_json) -> None:
    """Gate one Claude Code PreToolUse event read from stdin (exit 2 refuses the call)."""
    from ..gates.agent_hook import BLOCKED_EXIT, run_hook

    try:
        code, out, err = run_hook(sys.stdin.buffer.read(), policy_path, environment, role, actor, audit_log,
                                  as_json)
    except Exception as exc:  # noqa: BLE001 - a crashing guard must refuse, not let the call through
        code, out, err = BLOCKED_EXIT, "", f"execgate: refused: internal error: {type(exc).__name__}: {exc}\n"
    if out:
        click.echo(out, nl=False)
    if err:
        click.echo(err, nl=False, err=True)
    sys.exit(code)
