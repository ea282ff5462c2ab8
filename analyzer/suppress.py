"""Suppressions: ``execgate: allow RULE -- reason`` in a real comment.

A suppression applies to operations on its own line, or, when the comment
stands alone on its line, to the next line that holds code. It must name the
rule (exact ids, comma-separated; a glob such as ``*`` names no rule) and give
a reason after ``--``. One without a reason, one naming no rule or an unknown
rule, and one that suppresses nothing are findings themselves
(``execgate.suppression-*``) and suppress nothing (except that a suppression
naming one unknown rule among known ones still covers the known ones).
Only comments the front ends saw count, so text inside a string literal never
suppresses anything.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from .catalogue import Catalogue
from .model import Comment, Finding, Location, Operation, Suppression
from .records import Record, replace

# Patterns as text: re compiles each on first use and keeps it (nothing compiled at import).
_MARKER = r"\bexecgate\s*:\s*allow\b(?P<rest>.*)$"
# The reason starts at the first "--" that stands apart (rule ids may contain single dashes).
_REASON_SPLIT = r"(?:^|\s)--(?=\s|$)"
_RULE_ID = r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$"


class ParsedSuppression(Record, frozen=True):
    """A suppression comment as written: the rules it names and its reason."""

    rules: tuple[str, ...]          # exact rule ids it names
    reason: str
    comment: Comment
    applies_to: tuple[int, ...]     # lines (in the comment's cell) it covers
    # Words where rule ids belong that are not rule ids (globs, a reason without "--").
    junk: tuple[str, ...] = ()


def parse(comments: list[Comment],
          next_code_line: Callable[[Location], int | None] | None = None) -> list[ParsedSuppression]:
    """Read the suppression comments; ``next_code_line(location)`` gives the line a standalone
    comment applies to (the front end's knowledge of where code resumes)."""
    result = []
    for comment in comments:
        match = re.search(_MARKER, comment.text, re.IGNORECASE | re.DOTALL)
        if not match:
            continue
        rest = match.group("rest").strip()
        parts = re.split(_REASON_SPLIT, rest, maxsplit=1)
        head = parts[0]
        reason = parts[1].strip() if len(parts) > 1 else ""
        words = [w for w in re.split(r"[\s,]+", head) if w]
        rules = tuple(w for w in words if re.match(_RULE_ID, w, re.IGNORECASE))
        junk = tuple(w for w in words if not re.match(_RULE_ID, w, re.IGNORECASE))
        lines = [comment.location.line]
        if comment.standalone and next_code_line is not None:
            following = next_code_line(comment.location)
            if following is not None:
                lines.append(following)
        result.append(ParsedSuppression(rules, reason, comment, tuple(lines), junk))
    return result


def _meta(rule_id: str, catalogue: Catalogue, location: Location, detail: str) -> Operation:
    rule = catalogue.get(rule_id)
    return Operation(rule=rule.id, category=rule.category, severity=rule.severity, language="any",
                     location=location, message=rule.format_message(detail=detail), verb="suppress",
                     evidence=detail)


def _valid(sup: ParsedSuppression, catalogue: Catalogue) -> bool:
    """Only a suppression that names exact rules, gives a reason and says nothing else counts."""
    return bool(sup.rules) and bool(sup.reason) and not sup.junk


def apply(findings: list[Finding], suppressions: list[ParsedSuppression], catalogue: Catalogue,
          ) -> tuple[list[Finding], list[Operation]]:
    """Mark suppressed findings; return them with the operations the suppressions themselves raise."""
    used: set[tuple[int, str]] = set()
    result = []
    for finding in findings:
        loc = finding.operation.location
        for index, sup in enumerate(suppressions):
            s_loc = sup.comment.location
            if (s_loc.path, s_loc.cell) != (loc.path, loc.cell) or loc.line not in sup.applies_to:
                continue
            if not _valid(sup, catalogue) or finding.operation.rule not in sup.rules:
                continue
            used.add((index, finding.operation.rule))
            finding = replace(finding, suppression=Suppression(finding.operation.rule, sup.reason, s_loc))
            break
        result.append(finding)
    problems = []
    for index, sup in enumerate(suppressions):
        loc = sup.comment.location
        text = sup.comment.text.strip()
        unknown = [r for r in sup.rules if r not in catalogue.rules]
        if not sup.rules or any(_is_glob(w) for w in sup.junk):
            problems.append(_meta("execgate.suppression-no-rule", catalogue, loc, text))
        elif not sup.reason or sup.junk:
            problems.append(_meta("execgate.suppression-no-reason", catalogue, loc, text))
        elif unknown:
            problems.append(_meta("execgate.suppression-unknown-rule", catalogue, loc, text))
        elif any((index, rule) not in used for rule in sup.rules):
            problems.append(_meta("execgate.suppression-unused", catalogue, loc, text))
    return result, problems


def _is_glob(word: str) -> bool:
    return any(c in word for c in "*?[")
