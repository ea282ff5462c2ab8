"""``execgate audit``: verify the hash chain of an audit log and summarise it.

Exit codes of ``verify`` (contract): 0 the chain is intact, 1 it is broken (the
first bad record is named), 2 the file is missing or unreadable.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..audit.log import AuditError, verify


@click.group()
def audit() -> None:
    """Verify and summarise the audit log of gate decisions."""


@audit.command("verify")
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("--head", "expected_head", metavar="SHA256",
              help="A head hash noted earlier: the log must still contain it (catches records cut from the end).")
def verify_command(file: str, expected_head: str | None) -> None:
    """Check that no record of FILE was edited, removed, inserted or reordered."""
    try:
        result = verify(file, expected_head=expected_head)
    except AuditError as exc:
        click.echo(f"execgate: {exc}", err=True)
        sys.exit(2)
    if result.ok:
        click.echo(f"{file}: intact, {result.records} records, head {result.head}")
        sys.exit(0)
    click.echo(f"{file}: BROKEN: {result.problem}", err=True)
    click.echo(f"{file}: {result.records} records verified before it", err=True)
    sys.exit(1)


@audit.command("report")
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("--format", "output_format", type=click.Choice(["markdown", "html"]), default="markdown",
              show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report here instead of stdout.")
def report_command(file: str, output_format: str, output: str | None) -> None:
    """Summarise FILE: who or what touched which data, and what was blocked."""
    from ..audit.report import render_html, render_markdown, summarise

    try:
        summary = summarise(file)
    except AuditError as exc:
        click.echo(f"execgate: {exc}", err=True)
        sys.exit(2)
    text = render_html(summary) if output_format == "html" else render_markdown(summary)
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            click.echo(f"execgate: {output}: cannot write the report: {exc.strerror or exc}", err=True)
            sys.exit(2)
    else:
        click.echo(text, nl=False)
    sys.exit(0)
