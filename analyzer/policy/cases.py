"""Policy tests: snippets with the context they run in and the decision the policy must reach.

A cases file (like ``opa test``), run by ``execgate policy test``::

    policy: .execgate.yaml            # relative to this file (or --policy)
    cases:
      - name: agents cannot drop tables in prod
        lang: sql                     # python | sql | shell | notebook
        code: DROP TABLE users;
        path: migrations/001.sql      # optional: for `when: {path: ...}` rules
        context: {environment: prod, actor_type: agent}
        expected: block               # block | warn | allow | pass | error
      - name: ...
        expected:                     # or every finding, exactly
          - {rule: sql.drop-table, decision: warn}

The overall outcome is ``block`` when anything blocks, else ``error`` when some
input could not be analysed under fail_closed, else ``warn`` when anything
warns, else ``allow`` when there were findings (all allowed, suppressed or
baselined), else ``pass`` (nothing found). A list names every finding: each
entry must match one (``rule`` may be a glob) and every finding must be listed.
Each case runs through the checker it is given with exactly the context the
case gives (the caller's EXECGATE_* variables and git do not leak in).
"""
from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from ..model import Context, Report
from ..records import Record
from .load import display_name, find_policy_file, key_path, load_policy, parse_yaml, read_bytes
from .rules import Policy, PolicyError

OUTCOMES = ("block", "error", "warn", "allow", "pass")

_CASES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["cases"],
    "properties": {
        "policy": {"type": "string", "minLength": 1},
        "cases": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object", "additionalProperties": False,
                "required": ["name", "code", "lang", "expected"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "code": {"type": "string"},
                    "lang": {"enum": ["python", "sql", "shell", "notebook"]},
                    "path": {"type": "string", "minLength": 1},
                    "context": {
                        "type": "object", "additionalProperties": False,
                        "properties": {k: {"type": "string", "minLength": 1}
                                       for k in ("environment", "role", "actor", "actor_type")},
                    },
                    "expected": {
                        "anyOf": [
                            {"enum": list(OUTCOMES)},
                            {"type": "array", "items": {
                                "type": "object", "additionalProperties": False,
                                "required": ["rule", "decision"],
                                "properties": {"rule": {"type": "string", "minLength": 1},
                                               "decision": {"enum": ["block", "warn", "allow"]}}}},
                        ]
                    },
                },
            },
        },
    },
}


class TextChecker(Protocol):
    def check_text(self, text: str, language: str, path: str = ...) -> Report: ...


# What runs a case: the engine's Checker (passed in, so that the policy package never imports the engine).
MakeChecker = Callable[[Policy, Context], TextChecker]


class Case(Record, frozen=True):
    name: str
    lang: str
    code: str
    expected: str | list[dict[str, str]]
    line: int                                    # where the case starts in the cases file
    path: str = "<case>"
    context: tuple[tuple[str, str], ...] = ()


class CaseResult(Record, frozen=True):
    case: Case
    passed: bool
    detail: tuple[str, ...]   # expected/got lines, then every finding and error, when it failed


class Suite(Record, frozen=True):
    policy: Policy
    cases: tuple[Case, ...]


def load_suite(path: Path, policy_path: str | None = None) -> Suite:
    """The cases in ``path`` and the policy they test: ``policy_path``, else the file's ``policy:``
    (relative to it), else the policy found upward from its folder, else the built-in one."""
    data, lines = _read_cases(path)
    if policy_path is None and data.get("policy"):
        policy_path = str(path.parent / data["policy"])
    if policy_path is None:
        found = find_policy_file(path.parent)
        policy_path = str(found) if found else None
    policy = load_policy(policy_path)
    cases = tuple(Case(name=entry["name"], lang=entry["lang"], code=entry["code"], expected=entry["expected"],
                       line=lines.get(("cases", i), 1), path=entry.get("path") or "<case>",
                       context=tuple(sorted((entry.get("context") or {}).items())))
                  for i, entry in enumerate(data["cases"]))
    return Suite(policy, cases)


def _read_cases(path: Path) -> tuple[dict[str, Any], dict[tuple, int]]:
    """The cases file, validated; a malformed one raises PolicyError naming file and line."""
    name = display_name(path)
    try:
        text = read_bytes(path, name).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{name}: not UTF-8 (byte {exc.start})") from None
    data, lines = parse_yaml(text, name)
    if not isinstance(data, dict):
        raise PolicyError(f"{name}:1: a policy test file is a mapping with a `cases:` list")
    import jsonschema

    errors = list(jsonschema.Draft202012Validator(_CASES_SCHEMA).iter_errors(data))
    if errors:
        errors.sort(key=lambda e: lines.get(tuple(e.absolute_path), 1))
        error = errors[0]
        if error.context:
            error = jsonschema.exceptions.best_match(error.context)
        where = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})), key=str)
            where = where + (extra[0],) if extra else where
            message = "unknown key"
        else:
            message = error.message
        line = lines.get(where, lines.get(tuple(error.absolute_path), 1))
        raise PolicyError(f"{name}:{line}: {key_path(where)}: {message}")
    seen: set[str] = set()
    for i, case in enumerate(data["cases"]):
        if case["name"] in seen:
            raise PolicyError(f"{name}:{lines.get(('cases', i, 'name'), 1)}: cases[{i}].name: "
                              f"{case['name']!r} is used twice")
        seen.add(case["name"])
    return data, lines


def outcome(report: Report) -> str:
    """One word for what the gate would do with a case's code."""
    actions = {f.action for f in report.findings}
    if "block" in actions:
        return "block"
    if report.errors and report.policy.fail_closed:
        return "error"
    if "warn" in actions:
        return "warn"
    return "allow" if report.findings else "pass"


def run_suite(suite: Suite, make_checker: MakeChecker) -> Iterator[CaseResult]:
    """Each case's result, in file order, as it is known."""
    for case in suite.cases:
        yield run_case(case, suite.policy, make_checker)


def run_case(case: Case, policy: Policy, make_checker: MakeChecker) -> CaseResult:
    given = dict(case.context)
    context = Context(actor=given.get("actor"), role=given.get("role"),
                      environment=given.get("environment") or policy.environment,
                      actor_type=given.get("actor_type"),
                      sources=tuple((k, "policy test case") for k in sorted(given)))
    try:
        report = make_checker(policy, context).check_text(case.code, case.lang, case.path)
    except Exception as exc:  # noqa: BLE001 - a crash is this case's failure; the other cases still run
        return CaseResult(case, False, (f"- expected: {_show(case.expected)}",
                                        f"+ got:      internal error: {type(exc).__name__}: {exc}"))
    got = sorted((f.operation.rule, f.action, f.decision.policy_rule) for f in report.findings)
    detail: list[str] = []
    if isinstance(case.expected, str):
        actual = outcome(report)
        if actual != case.expected:
            detail.append(f"- expected: {case.expected}")
            detail.append(f"+ got:      {actual}")
    else:
        unmatched = list(got)
        for entry in case.expected:
            hit = next((g for g in unmatched if fnmatch.fnmatchcase(g[0], entry["rule"])
                        and g[1] == entry["decision"]), None)
            if hit is None:
                detail.append(f"- expected: {entry['rule']} {entry['decision']}")
            else:
                unmatched.remove(hit)
        detail += [f"+ unexpected: {rule} {action}" for rule, action, _ in unmatched]
    if detail:
        detail += [f"  finding: {rule} -> {action} (by {origin})" for rule, action, origin in got]
        detail += [f"  error: {e.display()}" for e in report.errors]
    return CaseResult(case, not detail, tuple(detail))


def _show(expected: str | list[dict[str, str]]) -> str:
    if isinstance(expected, str):
        return expected
    return ", ".join(f"{e['rule']} {e['decision']}" for e in expected)
