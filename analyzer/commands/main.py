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
    "policy": "analyzer.commands.policy:policy",
    "baseline": "analyzer.baseline:baseline",
    "audit": "analyzer.commands.audit:audit",
    "hook": "analyzer.gates.agent_hook:hook",
    "ipython": "analyzer.gates.ipython.install:ipython",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module, attr = LAZY_COMMANDS[name].split(":")
            try:
                return getattr(importlib.import_module(module), attr)
            except ModuleNotFoundError:
                return None
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="execgate")
def cli() -> None:
    """Stop destructive and exfiltrating code before it runs."""


FORMATS = ("text", "json", "sarif", "github")


def context_options(function):
    """--env/--role/--actor (also EXECGATE_ENV/ROLE/ACTOR) and --policy, shared by the gates."""
    function = click.option("--policy", "policy_path", type=click.Path(dir_okay=False),
                            help="Policy file (default: .execgate.yaml found upward, else built-in).")(function)
    function = click.option("--env", "environment", help="Environment (also EXECGATE_ENV).")(function)
    function = click.option("--role", help="Role of whoever acts (also EXECGATE_ROLE).")(function)
    function = click.option("--actor", help="Who acts (also EXECGATE_ACTOR).")(function)
    return function


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--stdin", "from_stdin", is_flag=True, help="Read one snippet from standard input.")
@click.option("--lang", "language", type=click.Choice(["python", "sql", "shell", "notebook"]),
              help="Language of --stdin input.")
@context_options
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report here instead of stdout.")
@click.option("--dialect", help="SQL dialect (default: policy sql.dialect, else inferred).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Gate only on findings not in this baseline file.")
@click.option("--audit-log", type=click.Path(dir_okay=False), help="Append every decision to this log.")
@click.option("--gate", default="cli", hidden=True, help="Name of the gate for the audit log.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--no-prefilter", is_flag=True, help="Fully parse every file, even without trigger words.")
@click.option("--jobs", "-j", type=int, default=0, help="Parallel workers (default: all cores).")
@click.option("--show-allowed", is_flag=True, help="List allowed findings in the text report too.")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: when a terminal).")
def check(paths, from_stdin, language, policy_path, environment, role, actor, output_format, output, dialect,
          baseline_path, audit_log, gate, no_cache, no_prefilter, jobs, show_allowed, color) -> None:
    """Check files and folders (or --stdin) and exit 0 (pass), 1 (blocked) or 2 (error)."""
    from .check import CheckRequest, run_check

    request = CheckRequest(paths=list(paths), from_stdin=from_stdin, language=language, policy_path=policy_path,
                           environment=environment, role=role, actor=actor, output_format=output_format,
                           output=output, dialect=dialect, baseline_path=baseline_path, audit_log=audit_log,
                           gate=gate, cache=not no_cache, prefilter=not no_prefilter, jobs=jobs,
                           show_allowed=show_allowed, color=color)
    sys.exit(run_check(request))


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False), help="Include this policy's team rules.")
def list_rules(output_format, policy_path) -> None:
    """List the rule catalogue."""
    from .rules import list_rules as run

    sys.exit(run(output_format, policy_path))


@cli.command()
@click.argument("rule_id")
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False), help="Include this policy's team rules.")
def explain(rule_id, policy_path) -> None:
    """Explain a rule: what it finds, why it matters, an example, what to do instead."""
    from .rules import explain as run

    sys.exit(run(rule_id, policy_path))


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
    except Exception as exc:
        if os.environ.get("EXECGATE_DEBUG"):
            raise
        click.echo(f"execgate: internal error: {type(exc).__name__}: {exc} (set EXECGATE_DEBUG=1 for details)",
                   err=True)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
