"""Suppressions: ``execgate: allow RULE -- reason`` in a real comment.

A suppression applies to operations on its own line, or, when the comment
stands alone on its line, to the next line that holds code. It must name the
rule and give a reason; one without a reason, one for an unknown rule, and one
that suppresses nothing are findings themselves (``execgate.suppression-*``).
Only comments the front ends saw count, so text inside a string literal never
suppresses anything.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, replace

from .catalogue import Catalogue
from .model import Comment, Finding, Location, Operation, Suppression

_MARKER = re.compile(r"execgate\s*:\s*allow\b(?P<rest>.*)$", re.IGNORECASE)
_BODY = re.compile(r"^\s*(?P<rules>[\w.*\-]+(?:\s*,\s*[\w.*\-]+)*)?\s*(?:--\s*(?P<reason>.*?))?\s*$")


@dataclass(frozen=True)
class ParsedSuppression:
    rules: tuple[str, ...]
    reason: str
    comment: Comment
    applies_to: tuple[int, ...]     # lines (in the comment's cell) it covers


def parse(comments: list[Comment], code_lines: dict[tuple[int | None, int], bool] | None = None,
          next_code_line=None) -> list[ParsedSuppression]:
    """Read the suppression comments; ``next_code_line(location)`` gives the line a standalone
    comment applies to (the front end's knowledge of where code resumes)."""
    result = []
    for comment in comments:
        match = _MARKER.search(comment.text)
        if not match:
            continue
        body = _BODY.match(match.group("rest"))
        rules = tuple(r.strip() for r in (body.group("rules") or "").split(",") if r.strip()) if body else ()
        reason = (body.group("reason") or "").strip() if body else ""
        lines = [comment.location.line]
        if comment.standalone and next_code_line is not None:
            following = next_code_line(comment.location)
            if following is not None:
                lines.append(following)
        result.append(ParsedSuppression(rules, reason, comment, tuple(lines)))
    return result


def _meta(rule_id: str, catalogue: Catalogue, location: Location, detail: str) -> Operation:
    rule = catalogue.get(rule_id)
    return Operation(rule=rule.id, category=rule.category, severity=rule.severity, language="any",
                     location=location, message=rule.format_message(detail=detail), verb="suppress",
                     evidence=detail)


def apply(findings: list[Finding], suppressions: list[ParsedSuppression], catalogue: Catalogue,
          ) -> tuple[list[Finding], list[Operation]]:
    """Mark suppressed findings; return them with the operations the suppressions themselves raise."""
    used: set[int] = set()
    result = []
    for finding in findings:
        loc = finding.operation.location
        for index, sup in enumerate(suppressions):
            s_loc = sup.comment.location
            if (s_loc.path, s_loc.cell) != (loc.path, loc.cell) or loc.line not in sup.applies_to:
                continue
            if not sup.reason or not any(fnmatch.fnmatchcase(finding.operation.rule, r) for r in sup.rules):
                continue
            used.add(index)
            finding = replace(finding, suppression=Suppression(finding.operation.rule, sup.reason, s_loc))
            break
        result.append(finding)
    problems = []
    for index, sup in enumerate(suppressions):
        loc = sup.comment.location
        text = sup.comment.text.strip()
        if not sup.rules:
            problems.append(_meta("execgate.suppression-no-rule", catalogue, loc, text))
        elif not sup.reason:
            problems.append(_meta("execgate.suppression-no-reason", catalogue, loc, text))
        elif any(not any(fnmatch.fnmatchcase(r, pattern) for r in catalogue.rules) for pattern in sup.rules):
            problems.append(_meta("execgate.suppression-unknown-rule", catalogue, loc, text))
        elif index not in used:
            problems.append(_meta("execgate.suppression-unused", catalogue, loc, text))
    return result, problems
