"""The click command line: every command, for whatever the lean one-shot path does not take.

Subcommands live in their own modules and are imported only when called, so
``execgate --version`` stays fast; ``check`` is here, its work in :mod:`analyzer.commands.check`.
"""
from __future__ import annotations

import importlib
import os
import sys

import click

from ..version import __version__
from .check import CheckRequest, run_check
from .options import internal_error, option

# name -> "module:attribute" of a click command, imported on use.
LAZY_COMMANDS = {
    "check": "analyzer.commands.cli:check",
    "rules": "analyzer.commands.rules:rules_command",
    "explain": "analyzer.commands.rules:explain_command",
    "policy": "analyzer.commands.policy:policy",
    "baseline": "analyzer.commands.baseline:baseline",
    "audit": "analyzer.commands.audit:audit",
    "hook": "analyzer.commands.hook:hook",
    "ipython": "analyzer.commands.ipython:ipython",
    "mcp": "analyzer.commands.mcp:mcp",
    "serve": "analyzer.commands.serve:serve",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module, attr = LAZY_COMMANDS[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="execgate")
def cli() -> None:
    """Stop destructive and exfiltrating code before it runs."""


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@option("--stdin")
@option("--lang")
@option("--actor")
@option("--actor-type")
@option("--role")
@option("--env")
@option("--policy")
@option("--format")
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report here instead of stdout.")
@option("--dialect")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Gate only on findings not in this baseline file.")
@option("--audit-log")
@option("--audit-key")
@option("--audit-sink")
@option("--shadow")
@option("--gate")
@option("--no-cache")
@option("--no-prefilter")
@click.option("--jobs", "-j", type=int, default=0, help="Parallel workers (default: all cores).")
@option("--show-allowed")
@option("--color")
def check(paths, from_stdin, language, policy_path, environment, role, actor, actor_type, output_format, output,
          dialect, baseline_path, audit_log, audit_key, audit_sink, shadow, gate, no_cache, no_prefilter, jobs,
          show_allowed, color) -> None:
    """Check files and folders (or --stdin) and exit 0 (pass), 1 (blocked) or 2 (error)."""
    request = CheckRequest(paths=list(paths), from_stdin=from_stdin, language=language, policy_path=policy_path,
                           environment=environment, role=role, actor=actor, actor_type=actor_type,
                           output_format=output_format,
                           output=output, dialect=dialect, baseline_path=baseline_path, audit_log=audit_log,
                           audit_key=audit_key, audit_sink=audit_sink, shadow=shadow, gate=gate,
                           cache=not no_cache, prefilter=not no_prefilter, jobs=jobs,
                           show_allowed=show_allowed, color=color)
    sys.exit(run_check(request))


def run(argv: list[str] | None) -> int:
    """The click command line; returns the exit code, never a traceback (unless EXECGATE_DEBUG)."""
    try:
        cli.main(args=argv, prog_name="execgate", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except click.exceptions.Abort:
        click.echo("execgate: aborted", err=True)
        return 2
    except click.ClickException as exc:
        exc.show()
        return 2
    except Exception as exc:  # noqa: BLE001 - fail closed with one line, never a traceback
        if os.environ.get("EXECGATE_DEBUG"):
            raise
        click.echo(internal_error(exc), err=True)
        return 2
    return 0
