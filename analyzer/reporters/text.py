"""The text report: each finding with its line highlighted, why, the policy's decision, and what to do instead.

The lines under a finding are :func:`analyzer.catalogue.finding_texts`, the same the agent
hook and the IPython refusal print. Why and instead come from the catalogue the check used
(built-in rules plus the policy's team rules), which the caller passes in: a reporter never
loads a catalogue of its own.
"""
from __future__ import annotations

from functools import lru_cache

from ..catalogue import Catalogue, finding_texts
from ..model import Finding, Report

_MARKS = {"block": "BLOCK", "warn": "WARN ", "allow": "allow"}
_LEXERS = {"python": "python", "sql": "sql", "shell": "bash", "notebook": "python"}


@lru_cache(maxsize=8)
def _formatter(color: bool):
    if not color:
        return None
    from pygments.formatters import TerminalFormatter

    return TerminalFormatter()


def highlight(code: str, language: str, color: bool) -> str:
    formatter = _formatter(color)
    if formatter is None:
        return code
    from pygments import highlight as pyg_highlight
    from pygments.lexers import get_lexer_by_name

    return pyg_highlight(code, get_lexer_by_name(_LEXERS.get(language, "text")), formatter).rstrip("\n")


def _style(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def render_finding(finding: Finding, catalogue: Catalogue, color: bool = False) -> str:
    op = finding.operation
    action = finding.action
    colour = {"block": "1;31", "warn": "1;33", "allow": "32"}[action]
    mark = _style(_MARKS[action], colour, color)
    head = f"{op.location.display()}:{op.location.column}: {mark} {op.rule} {op.message}"
    lines = [head]
    if op.evidence:
        snippet = op.evidence.splitlines()[0][:160]
        lines.append(f"    {op.location.line:>5} | {highlight(snippet, op.language, color)}")
    lines += [f"    {line}" for line in finding_texts(finding, catalogue).lines()]
    return "\n".join(lines)


def render(report: Report, catalogue: Catalogue, color: bool = False, show_allowed: bool = False,
           shadow: bool = False) -> str:
    """The report as text; ``catalogue`` is the one the check decided with (team rules included).
    In shadow mode the last line says what enforcing would have done, and that nothing was blocked."""
    out = []
    for finding in report.findings:
        if finding.action == "allow" and not show_allowed:
            continue
        out.append(render_finding(finding, catalogue, color))
    for error in report.errors:
        label = "ERROR" if report.policy.fail_closed else "note "
        out.append(f"{_style(label, '1;35', color)} {error.display()}")
    out += [f"{_style('note ', '1;36', color)} {note.display()}" for note in report.notes]
    counts = {"block": 0, "warn": 0, "allow": 0}
    for finding in report.findings:
        counts[finding.action] += 1
    files = len(report.paths)
    verdict = {0: "passed", 1: "blocked", 2: "failed closed"}[report.exit_code()]
    if shadow:
        would = {0: "passed", 1: "would have been blocked", 2: "would have failed closed"}[report.exit_code()]
        verdict = f"shadow mode: {would}" + (", nothing was blocked" if report.exit_code() else "")
    out.append(f"execgate: {files} file{'s' if files != 1 else ''} checked, {counts['block']} blocked, "
               f"{counts['warn']} warned, {counts['allow']} allowed, {len(report.errors)} "
               f"error{'s' if len(report.errors) != 1 else ''}: {verdict}")
    return "\n".join(out) + "\n"
