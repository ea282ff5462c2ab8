"""``execgate mcp proxy -- COMMAND``: the MCP gateway in front of a stdio server (analyzer/gates/mcp/)."""
from __future__ import annotations

import sys
from pathlib import PurePath

import click

from ..gates.mcp.proxy import MAX_MESSAGE_BYTES
from .options import context_options, echo_warnings, fail


@click.group()
def mcp() -> None:
    """Gates for MCP servers: every tools/call is checked before the server sees it."""


@mcp.command("proxy", context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@context_options
@click.option("--name", "server_name", metavar="SERVER",
              help="The server's name for the policy (when: {server: [...]}, mcp.servers) and the audit log "
                   "(default: the command's name).")
@click.option("--audit-log", type=click.Path(dir_okay=False), help="Append every decision to this log.")
@click.option("--max-message-bytes", type=click.IntRange(min=1024), default=MAX_MESSAGE_BYTES, show_default=True,
              help="Largest JSON-RPC message relayed either way; a larger one ends the session.")
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def proxy(policy_path, environment, role, actor, server_name, audit_log, max_message_bytes, command,
          actor_type=None) -> None:
    """Start the MCP server COMMAND and relay its stdio, refusing tool calls the policy blocks.

    \b
    Put it in front of a server in the agent's MCP settings, e.g.
      execgate mcp proxy --name prod-db -- mcp-server-sqlite --db-path app.db
    Exit status: 0 the client ended the session, 1 the server did, 2 a usage, policy or protocol error.
    """
    from ..gates.mcp.gate import McpGate
    from ..gates.mcp.proxy import run_proxy
    from ..prepare import GateRequest, PrepareError, prepare

    name = server_name or PurePath(command[0]).name
    request = GateRequest(gate="mcp", policy_path=policy_path, environment=environment, role=role, actor=actor,
                          actor_type=actor_type, audit_log=audit_log, server=name)
    try:
        prepared = prepare(request)
        gate = McpGate(request, prepared, command, name)
        gate.checker()   # a dialect the policy names for this server is checked before the server starts
    except PrepareError as exc:
        sys.exit(fail(str(exc)))
    echo_warnings([*prepared.warnings, *gate.warnings()])
    sys.exit(run_proxy(gate, command, limit=max_message_bytes))
