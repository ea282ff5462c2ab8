"""``execgate check``: from a request to an exit code, with the report written and decisions logged."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from ..prepare import GateRequest, PrepareError, prepare
from ..reporters import render
from .options import FORMATS, audit_options, context_options, echo_warnings, fail


@dataclass
class CheckRequest:
    paths: list[str] = field(default_factory=list)
    from_stdin: bool = False
    language: str | None = None
    policy_path: str | None = None
    environment: str | None = None
    role: str | None = None
    actor: str | None = None
    actor_type: str | None = None
    output_format: str = "text"
    output: str | None = None
    dialect: str | None = None
    baseline_path: str | None = None
    audit_log: str | None = None
    audit_sink: str | None = None
    audit_key: str | None = None
    shadow: bool | None = None
    gate: str = "cli"
    cache: bool = True
    prefilter: bool = True
    jobs: int = 0
    show_allowed: bool = False
    color: bool | None = None
    stdin_text: str | None = None   # for callers that already hold the text


def run_check(request: CheckRequest) -> int:
    if request.from_stdin and request.paths:
        return fail("give either paths or --stdin, not both")
    language = request.language or ""
    if request.from_stdin and not language:
        return fail("--stdin needs --lang python|sql|shell|notebook")
    if not request.from_stdin and not request.paths:
        return fail("nothing to check: give paths, or --stdin --lang LANG")
    gate_request = GateRequest(gate=request.gate, start=request.paths[0] if request.paths else None,
                               policy_path=request.policy_path, environment=request.environment, role=request.role,
                               actor=request.actor, actor_type=request.actor_type, dialect=request.dialect,
                               baseline_path=request.baseline_path, audit_log=request.audit_log,
                               audit_sink=request.audit_sink, audit_key=request.audit_key, shadow=request.shadow,
                               prefilter=request.prefilter)
    try:
        prepared = prepare(gate_request)
    except PrepareError as exc:
        return fail(str(exc))
    echo_warnings(prepared.warnings)
    checker = prepared.checker
    if request.from_stdin:
        try:
            text = request.stdin_text if request.stdin_text is not None else _read_stdin()
        except _TooLarge as exc:
            return fail(str(exc))
        if text is None:
            return fail("standard input is not valid UTF-8")
        report = checker.check_text(text, language, "<stdin>")
        from ..audit.log import text_sha256

        sources = {"<stdin>": text_sha256(text)}
    else:
        report = checker.check_paths(request.paths, jobs=request.jobs, cache=request.cache)
        sources = None

    color = request.color if request.color is not None else (request.output is None and sys.stdout.isatty())
    rendered = render(report, request.output_format, checker.catalogue, color=color,
                      show_allowed=request.show_allowed, shadow=prepared.shadow)
    if request.output:
        try:
            Path(request.output).write_text(rendered, encoding="utf-8")
        except OSError as exc:
            return fail(f"{request.output}: cannot write the report: {exc.strerror or exc}")
    else:
        click.echo(rendered, nl=False)
    # Shadow mode decides and records everything and fails nothing (the report says what would have).
    code = 0 if prepared.shadow else report.exit_code()
    if prepared.audit is not None:
        from ..audit.log import AuditError

        try:
            prepared.audit.record(report, gate=request.gate, sources=sources)
        except AuditError as exc:
            click.echo(f"execgate: {'warning: ' if not exc.refuse or prepared.shadow else ''}{exc}", err=True)
            # An unwritable log never turns a refusal into a pass, and fails closed when it must.
            if exc.refuse and not prepared.shadow:
                code = code or 2
    return code


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


@click.command()
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
@audit_options
@click.option("--gate", default="cli", hidden=True, help="Name of the gate for the audit log.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--no-prefilter", is_flag=True, help="Fully parse every file, even without trigger words.")
@click.option("--jobs", "-j", type=int, default=0, help="Parallel workers (default: all cores).")
@click.option("--show-allowed", is_flag=True, help="List allowed findings in the text report too.")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: when a terminal).")
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
