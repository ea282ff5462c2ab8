"""``execgate check``: from a request to an exit code, with the report written and decisions logged."""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from ..policy.context import resolve_context
from ..frontends import Options
from ..policy.rules import PolicyError, load_policy


@dataclass
class CheckRequest:
    paths: list[str] = field(default_factory=list)
    from_stdin: bool = False
    language: str | None = None
    policy_path: str | None = None
    environment: str | None = None
    role: str | None = None
    actor: str | None = None
    output_format: str = "text"
    output: str | None = None
    dialect: str | None = None
    baseline_path: str | None = None
    audit_log: str | None = None
    gate: str = "cli"
    cache: bool = True
    prefilter: bool = True
    jobs: int = 0
    show_allowed: bool = False
    color: bool | None = None
    stdin_text: str | None = None   # for callers that already hold the text


def fail(message: str) -> int:
    click.echo(f"execgate: {message}", err=True)
    return 2


def echo_policy_warnings(policy) -> None:
    for warning in policy.warnings:
        click.echo(f"execgate: warning: {warning}", err=True)


class CheckError(Exception):
    """A usage, policy or baseline problem: one line for the user, exit status 2."""


def build_checker(request: CheckRequest):
    """Policy, dialect, context and baseline for a request: the steps every gate shares."""
    from ..engine import Checker

    try:
        start = Path(request.paths[0]) if request.paths else Path.cwd()
        policy = load_policy(request.policy_path, start=start)
    except PolicyError as exc:
        raise CheckError(str(exc)) from None
    echo_policy_warnings(policy)
    dialect = request.dialect or policy.dialect
    if dialect:
        from ..frontends.sql.statements import validate_dialect

        try:
            dialect = validate_dialect(dialect)
        except ValueError as exc:
            raise CheckError(str(exc)) from None
    context = resolve_context(policy, request.environment, request.role, request.actor, request.gate)
    baseline = None
    if request.baseline_path:
        from ..baseline import Baseline, BaselineError

        try:
            baseline = Baseline.load(request.baseline_path)
        except BaselineError as exc:
            raise CheckError(str(exc)) from None
    return Checker(policy, context, Options(dialect=dialect, prefilter=request.prefilter), baseline=baseline)


def run_check(request: CheckRequest) -> int:
    logging.getLogger("sqlglot").setLevel(logging.CRITICAL)
    if request.from_stdin and request.paths:
        return fail("give either paths or --stdin, not both")
    if request.from_stdin and not request.language:
        return fail("--stdin needs --lang python|sql|shell|notebook")
    if not request.from_stdin and not request.paths:
        return fail("nothing to check: give paths, or --stdin --lang LANG")
    try:
        checker = build_checker(request)
    except CheckError as exc:
        return fail(str(exc))
    policy = checker.policy
    if request.from_stdin:
        try:
            text = request.stdin_text if request.stdin_text is not None else _read_stdin()
        except _TooLarge as exc:
            return fail(str(exc))
        if text is None:
            return fail("standard input is not valid UTF-8")
        report = checker.check_text(text, request.language, "<stdin>")
        from ..audit.log import text_sha256

        sources = {"<stdin>": text_sha256(text)}
    else:
        report = checker.check_paths(request.paths, jobs=request.jobs, cache=request.cache)
        sources = None

    rendered = render(report, request.output_format, request.color if request.color is not None
                      else (request.output is None and sys.stdout.isatty()), request.show_allowed)
    if request.output:
        try:
            Path(request.output).write_text(rendered, encoding="utf-8")
        except OSError as exc:
            return fail(f"{request.output}: cannot write the report: {exc.strerror or exc}")
    else:
        click.echo(rendered, nl=False)
    code = report.exit_code()
    log_path = request.audit_log or _env_audit_log() or policy.audit_log
    if log_path:
        from ..audit.log import AuditError, record_report

        try:
            record_report(log_path, report, gate=request.gate, sources=sources)
        except AuditError as exc:
            click.echo(f"execgate: {exc}", err=True)
            # An unwritable log never turns a refusal into a pass, and fails closed otherwise.
            code = code or (2 if policy.fail_closed else 0)
    return code


def _env_audit_log() -> str | None:
    import os

    return os.environ.get("EXECGATE_AUDIT_LOG") or None


class _TooLarge(Exception):
    pass


def _read_stdin() -> str | None:
    from ..sourcefile import MAX_FILE_BYTES

    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _TooLarge(f"standard input too large to analyse (more than {MAX_FILE_BYTES:,} bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def render(report, output_format: str, color: bool, show_allowed: bool = False) -> str:
    if output_format == "json":
        from ..reporters.json_report import render as render_json

        return render_json(report)
    if output_format == "sarif":
        from ..reporters.sarif import render as render_sarif

        return render_sarif(report)
    if output_format == "github":
        from ..reporters.github import render as render_github

        return render_github(report)
    from ..reporters.text import render as render_text

    return render_text(report, color=color, show_allowed=show_allowed)
