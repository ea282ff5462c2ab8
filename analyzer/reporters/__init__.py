"""Reporters: pure functions from a Report to text, one module per format.

Commands and gates call :func:`render` rather than picking a module. The
catalogue is the one the check decided with (built-in rules plus the policy's
team rules, ``Checker.catalogue``): a reporter never loads one of its own, so a
team rule's title, why and alternative reach the report.
"""
from __future__ import annotations

from collections.abc import Mapping

from ..catalogue import Catalogue
from ..model import Report

FORMATS = ("text", "json", "sarif", "github")


def render(report: Report, output_format: str, catalogue: Catalogue, color: bool = False,
           show_allowed: bool = False, shadow: bool = False, cwd: str | None = None,
           environ: Mapping[str, str] | None = None) -> str:
    """``report`` in ``output_format`` (one of :data:`FORMATS`); ``color`` and ``show_allowed``
    only matter to the text format; ``shadow`` (nothing is blocked, the report says what would
    have been) to the text and JSON formats; ``cwd`` and ``environ`` (the caller's; None: this
    process's) to the SARIF and GitHub formats, whose paths are relative to the repository."""
    # Each format's module is imported only when asked for: a check prints one of them.
    if output_format == "text":
        from .text import render as render_text

        return render_text(report, catalogue, color=color, show_allowed=show_allowed, shadow=shadow)
    if output_format == "json":
        from .json_report import render as render_json

        return render_json(report, shadow=shadow)
    if output_format == "sarif":
        from .sarif import render as render_sarif

        return render_sarif(report, catalogue, cwd=cwd, environ=environ)
    if output_format == "github":
        from .github import render as render_github

        return render_github(report, cwd=cwd, environ=environ)
    raise ValueError(f"unknown report format {output_format!r} (one of {', '.join(FORMATS)})")
