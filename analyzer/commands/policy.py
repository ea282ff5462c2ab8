"""``execgate policy validate`` and ``execgate policy test``: policies are code, so they have tests.

A cases file (like ``opa test``) holds snippets with the context they run in and
the decision the policy must reach::

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
Each case runs through the real engine with exactly the context it gives (the
caller's EXECGATE_* variables and git do not leak in). Exit 0 when every case
passes, 1 when one fails, 2 when the cases file or the policy is malformed.
"""
from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .check import echo_policy_warnings, fail

from ..policy.rules import Policy, PolicyError, find_policy_file, load_policy
from ..model import Context

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


@dataclass(frozen=True)
class CaseResult:
    name: str
    passed: bool
    detail: list[str]


def load_cases(path: Path) -> dict[str, Any]:
    """The cases file, validated; a malformed one raises PolicyError naming file and line."""
    from ..policy.load import _read, display_name, parse_yaml

    name = display_name(path)
    try:
        text = _read(path, name).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{name}: not UTF-8 (byte {exc.start})") from None
    data, lines = parse_yaml(text, name)
    if not isinstance(data, dict):
        raise PolicyError(f"{name}:1: a policy test file is a mapping with a `cases:` list")
    import jsonschema

    from ..policy.load import _where

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
        raise PolicyError(f"{name}:{line}: {_where(where)}: {message}")
    seen: set[str] = set()
    for i, case in enumerate(data["cases"]):
        if case["name"] in seen:
            raise PolicyError(f"{name}:{lines.get(('cases', i, 'name'), 1)}: cases[{i}].name: "
                              f"{case['name']!r} is used twice")
        seen.add(case["name"])
        case["_line"] = lines.get(("cases", i), 1)
    return data


def outcome(report) -> str:
    """One word for what the gate would do with a case's code."""
    actions = {f.action for f in report.findings}
    if "block" in actions:
        return "block"
    if report.errors and report.policy.fail_closed:
        return "error"
    if "warn" in actions:
        return "warn"
    return "allow" if report.findings else "pass"


def run_case(case: dict[str, Any], policy: Policy) -> CaseResult:
    from ..engine import Checker

    given = case.get("context") or {}
    context = Context(actor=given.get("actor"), role=given.get("role"),
                      environment=given.get("environment") or policy.environment,
                      actor_type=given.get("actor_type"),
                      sources=tuple(sorted((k, "policy test case") for k in given)))
    try:
        report = Checker(policy, context).check_text(case["code"], case["lang"], case.get("path") or "<case>")
    except Exception as exc:
        return CaseResult(case["name"], False, [f"- expected: {_show(case['expected'])}",
                                                f"+ got:      internal error: {type(exc).__name__}: {exc}"])
    got = sorted((f.operation.rule, f.action, f.decision.policy_rule) for f in report.findings)
    errors = [e.display() for e in report.errors]
    expected = case["expected"]
    detail: list[str] = []
    if isinstance(expected, str):
        actual = outcome(report)
        if actual != expected:
            detail.append(f"- expected: {expected}")
            detail.append(f"+ got:      {actual}")
    else:
        unmatched = list(got)
        for entry in expected:
            hit = next((g for g in unmatched if fnmatch.fnmatchcase(g[0], entry["rule"])
                        and g[1] == entry["decision"]), None)
            if hit is None:
                detail.append(f"- expected: {entry['rule']} {entry['decision']}")
            else:
                unmatched.remove(hit)
        detail += [f"+ unexpected: {rule} {action}" for rule, action, _ in unmatched]
    if detail:
        detail += [f"  finding: {rule} -> {action} (by {origin})" for rule, action, origin in got]
        detail += [f"  error: {e}" for e in errors]
    return CaseResult(case["name"], not detail, detail)


def _show(expected: Any) -> str:
    if isinstance(expected, str):
        return expected
    return ", ".join(f"{e['rule']} {e['decision']}" for e in expected)


def run_tests(cases_path: str, policy_path: str | None) -> int:
    path = Path(cases_path)
    try:
        data = load_cases(path)
        if policy_path is None and data.get("policy"):
            policy_path = str(path.parent / data["policy"])
        if policy_path is None:
            found = find_policy_file(path.parent)
            policy_path = str(found) if found else None
        policy = load_policy(policy_path)
    except PolicyError as exc:
        return fail(str(exc))
    echo_policy_warnings(policy)
    click.echo(f"policy: {policy.source}")
    failed = 0
    for case in data["cases"]:
        result = run_case(case, policy)
        if result.passed:
            click.echo(f"PASS  {result.name}")
        else:
            failed += 1
            click.echo(f"FAIL  {result.name}  ({cases_path}:{case['_line']})")
            for line in result.detail:
                click.echo(f"      {line}")
    total = len(data["cases"])
    click.echo(f"{total - failed} passed, {failed} failed")
    return 1 if failed else 0


def validate(policy_path: str | None, strict: bool) -> int:
    try:
        if policy_path is None:
            found = find_policy_file(Path.cwd())
            policy = load_policy(found)
        else:
            policy = load_policy(policy_path)
    except PolicyError as exc:
        return fail(str(exc))
    echo_policy_warnings(policy)
    rules = sum(1 for r in policy.rules if not r.origin.startswith("built-in"))
    click.echo(f"{policy.source}: valid ({rules} rule{'s' if rules != 1 else ''}, "
               f"{len(policy.warnings)} warning{'s' if len(policy.warnings) != 1 else ''})")
    return 2 if strict and policy.warnings else 0


@click.group()
def policy() -> None:
    """Check policy files: validate them, and run their test cases."""


@policy.command("validate")
@click.argument("file", required=False, type=click.Path())
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 2).")
def validate_command(file, strict) -> None:
    """Validate FILE (default: .execgate.yaml found upward, else the built-in policy)."""
    sys.exit(validate(file, strict))


@policy.command("test")
@click.argument("file", type=click.Path())
@click.option("--policy", "policy_path", type=click.Path(), help="Policy under test (default: the file's `policy:`).")
def test_command(file, policy_path) -> None:
    """Run the cases in FILE against the policy; exit 0 all pass, 1 a failure, 2 a malformed file."""
    sys.exit(run_tests(file, policy_path))
