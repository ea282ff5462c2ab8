"""GitHub Actions workflow commands: an annotation for every blocked or warned finding.

``::error file=F,line=L,col=C,title=T::MESSAGE`` for a block, ``::warning`` for a
warn; files that could not be analysed are ``::error`` (fail closed) or ``::warning``.
Allowed, suppressed and baselined findings are not annotated: they do not gate.
Data is escaped the way the Actions runner unescapes it (``%``, CR, LF), and
property values also escape ``:`` and ``,``. Notebook findings point at the
line of the ``.ipynb`` file, with the cell named in the message.
"""
from __future__ import annotations

from collections.abc import Mapping

from ..model import AnalysisError, Finding, Report
from .json_report import summary
from .paths import STDIN, default_root, relative_path
from .sarif import file_line

COMMANDS = {"block": "error", "warn": "warning"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items()
                     if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def finding_command(finding: Finding, root: str, cwd: str | None = None) -> str | None:
    name = COMMANDS.get(finding.action)
    if name is None:
        return None
    op = finding.operation
    loc = op.location
    path = relative_path(loc.path, root, cwd) if loc.path != STDIN else None
    message = op.message.rstrip(". ")
    if loc.cell is not None:
        message += f" (cell {loc.cell}, line {loc.line})"
    message += f". {finding.decision.reason} (policy rule {finding.decision.policy_rule})"
    if op.evidence.strip():
        message += f"\n{op.evidence.splitlines()[0].strip()}"
    properties: dict[str, object] = {"file": path}
    if path is not None:
        properties["line"] = file_line(loc)
        if loc.cell is None:
            properties["col"] = max(loc.column, 1)
    properties["title"] = f"execgate {op.rule}"
    return command(name, message, **properties)


def error_command(error: AnalysisError, root: str, fail_closed: bool, cwd: str | None = None) -> str:
    path = relative_path(error.path, root, cwd) if error.path != STDIN else None
    properties: dict[str, object] = {"file": path}
    if path is not None and error.line is not None and error.cell is None:
        properties["line"] = error.line
    properties["title"] = "execgate could not analyse this file"
    return command("error" if fail_closed else "warning", error.display(), **properties)


def render(report: Report, root: str | None = None, cwd: str | None = None,
           environ: Mapping[str, str] | None = None) -> str:
    root = root or default_root(cwd, environ)
    lines = [c for c in (finding_command(f, root, cwd) for f in report.findings) if c is not None]
    lines += [error_command(e, root, report.policy.fail_closed, cwd) for e in report.errors]
    counts = summary(report)
    verdict = {0: "passed", 1: "blocked", 2: "failed closed"}[counts["exit_code"]]
    lines.append(f"execgate: {counts['files']} files checked, {counts['block']} blocked, {counts['warn']} warned, "
                 f"{counts['allow']} allowed, {counts['errors']} errors: {verdict}")
    return "\n".join(lines) + "\n"
