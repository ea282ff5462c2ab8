"""``execgate check``: from a request to an exit code, with the report written and decisions logged.

:func:`execute` does the work and returns what to print, without click, so the lean one-shot path
(:mod:`analyzer.commands.oneshot`) and the click command (:mod:`analyzer.commands.cli`) print the
same bytes.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..records import Record, field
from ..sourcefile import stdin_limit

if TYPE_CHECKING:
    from ..policy.rules import Policy


class CheckRequest(Record):
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


class Printed:
    """What a command prints, kept until it is done: stdout and stderr."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.err: list[str] = []

    def fail(self, message: str) -> int:
        """One line on stderr; the exit status of a usage, policy or input problem."""
        self.err.append(f"execgate: {message}\n")
        return 2

    def result(self, code: int) -> tuple[int, str, str]:
        return code, "".join(self.out), "".join(self.err)


def run_check(request: CheckRequest) -> int:
    """The click command's run: read stdin (when asked) from this process, print with click."""
    import click

    code, out, err = execute(request, read_stdin=_read_stdin)
    if out:
        click.echo(out, nl=False)
    if err:
        click.echo(err, nl=False, err=True)
    return code


def execute(request: CheckRequest, *, read_stdin: Callable[[], bytes], cwd: str | None = None,
            environ: Mapping[str, str] | None = None, load: Callable[..., Policy] | None = None,
            terminal: bool | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of one check. ``read_stdin`` gives the --stdin bytes (read only when
    needed); ``cwd`` and ``environ`` are the caller's (None: this process's); ``load`` loads the policy;
    ``terminal`` says whether stdout is one (the default colour of the text report)."""
    from ..audit.settings import caller_environ
    from ..policy.paths import as_seen_from as at
    from ..prepare import GateRequest, PrepareError, prepare

    printed = Printed()
    if request.from_stdin and request.paths:
        return printed.result(printed.fail("give either paths or --stdin, not both"))
    language = request.language or ""
    if request.from_stdin and not language:
        return printed.result(printed.fail("--stdin needs --lang python|sql|shell|notebook"))
    if not request.from_stdin and not request.paths:
        return printed.result(printed.fail("nothing to check: give paths, or --stdin --lang LANG"))
    start = request.paths[0] if request.paths else cwd
    gate_request = GateRequest(gate=request.gate, start=start, policy_path=at(cwd, request.policy_path),
                               environment=request.environment, role=request.role,
                               actor=request.actor, actor_type=request.actor_type, dialect=request.dialect,
                               baseline_path=at(cwd, request.baseline_path), audit_log=at(cwd, request.audit_log),
                               audit_sink=request.audit_sink, audit_key=at(cwd, request.audit_key),
                               shadow=request.shadow, prefilter=request.prefilter,
                               environ=None if environ is None else caller_environ(environ, cwd), cwd=cwd,
                               workdir=(cwd or os.getcwd()) if request.from_stdin else None)
    try:
        prepared = prepare(gate_request) if load is None else prepare(gate_request, load)
    except PrepareError as exc:
        return printed.result(printed.fail(str(exc)))
    printed.err += [f"execgate: warning: {warning}\n" for warning in prepared.warnings]
    checker = prepared.checker
    if request.from_stdin:
        text = request.stdin_text if request.stdin_text is not None else _decode(read_stdin())
        if isinstance(text, _TooLarge):
            return printed.result(printed.fail(str(text)))
        if text is None:
            return printed.result(printed.fail("standard input is not valid UTF-8"))
        report = checker.check_text(text, language, "<stdin>")
        sources: dict[str, str] | None = None
        if prepared.audit is not None:
            from ..audit.log import text_sha256

            sources = {"<stdin>": text_sha256(text)}
    else:
        report = checker.check_paths(request.paths, jobs=request.jobs, cache=request.cache)
        sources = None

    if request.color is not None:
        color = request.color
    else:
        color = request.output is None and (sys.stdout.isatty() if terminal is None else terminal)
    from ..reporters import render

    rendered = render(report, request.output_format, checker.catalogue, color=color,
                      show_allowed=request.show_allowed, shadow=prepared.shadow, cwd=cwd, environ=environ)
    if request.output:
        try:
            Path(at(cwd, request.output) or request.output).write_text(rendered, encoding="utf-8")
        except OSError as exc:
            return printed.result(printed.fail(f"{request.output}: cannot write the report: {exc.strerror or exc}"))
    else:
        printed.out.append(rendered)
    # Shadow mode decides and records everything and fails nothing (the report says what would have).
    code = 0 if prepared.shadow else report.exit_code()
    if prepared.audit is not None:
        from ..audit.log import AuditError

        try:
            prepared.audit.record(report, gate=request.gate, sources=sources)
        except AuditError as exc:
            printed.err.append(f"execgate: {'warning: ' if not exc.refuse or prepared.shadow else ''}{exc}\n")
            # An unwritable log never turns a refusal into a pass, and fails closed when it must.
            if exc.refuse and not prepared.shadow:
                code = code or 2
    return printed.result(code)


class _TooLarge(str):
    pass


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read(stdin_limit())


def _decode(data: bytes) -> str | None:
    from ..sourcefile import MAX_FILE_BYTES

    if len(data) > MAX_FILE_BYTES:
        return _TooLarge(f"standard input too large to analyse (more than {MAX_FILE_BYTES:,} bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
