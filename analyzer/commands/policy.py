"""``execgate policy validate`` and ``execgate policy test``: policies are code, so they have tests.

The cases file and how a case passes are described in :mod:`analyzer.policy.cases`.
``test`` exits 0 when every case passes, 1 when one fails, 2 when the cases file
or the policy is malformed; ``validate`` exits 0 for a usable policy, 2 for one
that is not (or, with ``--strict``, that has warnings).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..engine import Checker
from ..policy.cases import load_suite, run_suite
from ..policy.load import find_policy_file, load_policy
from ..policy.rules import PolicyError
from .options import echo_warnings, fail


def run_tests(cases_path: str, policy_path: str | None) -> int:
    try:
        suite = load_suite(Path(cases_path), policy_path)
    except PolicyError as exc:
        return fail(str(exc))
    echo_warnings(suite.policy.warnings)
    click.echo(f"policy: {suite.policy.source}")
    failed = 0
    for result in run_suite(suite, Checker):
        if result.passed:
            click.echo(f"PASS  {result.case.name}")
        else:
            failed += 1
            click.echo(f"FAIL  {result.case.name}  ({cases_path}:{result.case.line})")
            for line in result.detail:
                click.echo(f"      {line}")
    click.echo(f"{len(suite.cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


def validate(policy_path: str | None, strict: bool) -> int:
    try:
        policy = load_policy(policy_path if policy_path is not None else find_policy_file(Path.cwd()))
    except PolicyError as exc:
        for problem in exc.problems[:-1]:   # every problem, one line each, in file order
            fail(problem)
        return fail(exc.problems[-1])
    echo_warnings(policy.warnings)
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
