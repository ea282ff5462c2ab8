"""The ``execgate`` command line.

Subcommands live in their own modules and are imported only when called, so
``execgate --version`` and a one-command ``check --stdin`` stay fast.
"""
from __future__ import annotations

import importlib
import os
import sys

import click

from ..version import __version__

# name -> "module:attribute" of a click command, imported on use.
LAZY_COMMANDS = {
    "check": "analyzer.commands.check:check",
    "rules": "analyzer.commands.rules:rules_command",
    "explain": "analyzer.commands.rules:explain_command",
    "policy": "analyzer.commands.policy:policy",
    "baseline": "analyzer.commands.baseline:baseline",
    "audit": "analyzer.commands.audit:audit",
    "hook": "analyzer.commands.hook:hook",
    "ipython": "analyzer.commands.ipython:ipython",
    "mcp": "analyzer.commands.mcp:mcp",
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


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code instead of exiting when called from tests."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
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
        click.echo(f"execgate: internal error: {type(exc).__name__}: {exc} (set EXECGATE_DEBUG=1 for details)",
                   err=True)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
