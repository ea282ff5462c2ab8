"""``execgate baseline create``: record today's findings so that ``check --baseline FILE`` gates only on new ones."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ..baseline import baseline_document
from ..prepare import GateRequest, PrepareError, prepare
from .options import context_options, echo_warnings, fail


def create(paths: list[str], output: str, policy_path: str | None, environment: str | None,
           role: str | None, actor: str | None, actor_type: str | None = None) -> int:
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:  # a typo must not record an empty baseline
        return fail(f"{missing[0]}: no such file or directory")
    request = GateRequest(gate="cli", start=paths[0], policy_path=policy_path, environment=environment,
                          role=role, actor=actor, actor_type=actor_type)
    try:
        prepared = prepare(request)
    except PrepareError as exc:
        return fail(str(exc))
    echo_warnings(prepared.warnings)
    report = prepared.checker.check_paths(paths, jobs=1, cache=False)
    target = Path(output)
    document = baseline_document(report.findings, target, prepared.policy.sha256)
    try:
        target.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        return fail(f"{output}: cannot write the baseline: {exc.strerror or exc}")
    for error in report.errors:
        click.echo(f"execgate: not analysed (check will still report it): {error.display()}", err=True)
    click.echo(f"execgate: {len(document['findings'])} finding(s) recorded in {output}", err=True)
    return 0


@click.group()
def baseline() -> None:
    """Record today's findings so that `check --baseline FILE` gates only on new ones."""


@baseline.command("create")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="Baseline file to write.")
@context_options
def create_command(paths, output, policy_path, environment, role, actor, actor_type) -> None:
    """Check PATHS (default: .) and write every finding not suppressed to the baseline file."""
    sys.exit(create(list(paths) or ["."], output, policy_path, environment, role, actor, actor_type))
