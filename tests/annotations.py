"""Expectations written inside fixture files, the way semgrep annotates its tests.

A comment ``ruleid: RULE`` (after the language's comment marker: ``#`` or
``--``) says the next non-annotation line must produce an operation of RULE;
``ok: RULE`` says the next line must not. Several rules are separated by
commas. Notebooks carry the same comments inside their cells.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ANNOTATION = re.compile(r"(?:#|--|//)\s*(ruleid|ok)\s*:\s*([\w.*,\s-]+?)\s*$")


@dataclass(frozen=True)
class Expectation:
    kind: str   # ruleid | ok
    rule: str
    line: int   # 1-based line the expectation is about
    cell: int | None = None


def expectations(text: str, cell: int | None = None) -> list[Expectation]:
    lines = text.splitlines()
    found: list[Expectation] = []
    pending: list[tuple[str, str]] = []
    for number, line in enumerate(lines, start=1):
        match = ANNOTATION.search(line.strip())
        if match and line.strip().startswith(("#", "--", "//")):
            pending.extend((match.group(1), rule.strip()) for rule in match.group(2).split(",") if rule.strip())
            continue
        if pending and line.strip():
            found.extend(Expectation(kind, rule, number, cell) for kind, rule in pending)
            pending = []
    return found


def check(expected: list[Expectation], actual: set[tuple[str, int, int | None]]) -> list[str]:
    """Compare expectations with (rule, line, cell) triples; return human-readable problems."""
    problems = []
    for exp in expected:
        hit = (exp.rule, exp.line, exp.cell) in actual
        where = f" of cell {exp.cell}" if exp.cell is not None else ""
        if exp.kind == "ruleid" and not hit:
            problems.append(f"missed {exp.rule} at line {exp.line}" + where)
        if exp.kind == "ok" and any(rule == exp.rule or exp.rule == "*"
                                    for rule, line, cell in actual if line == exp.line and cell == exp.cell):
            problems.append(f"false positive {exp.rule} at line {exp.line}" + where)
    return problems
