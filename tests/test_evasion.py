"""The evasion suite: every way code hides an operation, and what execgate makes of it.

Cases live in tests/fixtures/evasion/ (one file per family and language, a
``case:`` line before each snippet saying which outcomes count as seeing
through it): *resolved* (reported as the real operation), *flagged* (an
``evasion`` finding: warns by default, blocks under ``fail_closed`` in prod)
or *closed* (refused as unanalysable, exit 2). *Missed* is never acceptable.
bench/evasion_report.py turns the same cases into docs/evasion.md.
"""
from __future__ import annotations

import pytest

from fuzz_strategies import (STATUSES, EvasionCase, assert_clean_decision, evasion_cases, evasion_document,
                             evasion_report, evasion_status, run_cli)

CASES = evasion_cases()
IDS = [f"{case.path}::{case.name}" for case in CASES]


def test_the_suite_covers_every_language_and_declares_real_outcomes() -> None:
    assert {case.language for case in CASES} == {"python", "sql", "shell", "notebook"}
    assert len({(case.path, case.name) for case in CASES}) == len(CASES), "case names repeat"
    for case in CASES:
        assert case.source.strip(), case
        assert set(case.expect) <= set(STATUSES) - {"missed"}, case
        assert ("resolved" in case.expect) == bool(case.rules), case


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_evasion_is_seen_through(case: EvasionCase) -> None:
    report = evasion_report(case)
    status = evasion_status(case, report)
    found = sorted({f.operation.rule for f in report.findings})
    assert status in case.expect, f"{case.family} / {case.name}: {status} (found {found}, errors {report.errors})"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_prod_with_fail_closed_stops_every_evasion(case: EvasionCase) -> None:
    """The built-in policy is fail_closed: in prod, whatever hides an operation does not pass."""
    report = evasion_report(case, environment="prod")
    assert report.exit_code() != 0, f"{case.name} passes in prod: {report.findings} {report.errors}"
    for finding in report.findings:
        if finding.operation.category == "evasion":
            assert finding.action == "block", finding


FLAGGED_ONLY = [case for case in CASES if case.expect == ("flagged",)]


@pytest.mark.parametrize("case", FLAGGED_ONLY, ids=[f"{c.path}::{c.name}" for c in FLAGGED_ONLY])
def test_evasion_findings_warn_outside_prod_and_block_in_prod_through_the_cli(case: EvasionCase) -> None:
    text, language = evasion_document(case)
    dev = run_cli(["check", "--stdin", "--lang", language, "--no-cache", "--env", "dev", "--format", "json"],
                  stdin=text.encode())
    prod = run_cli(["check", "--stdin", "--lang", language, "--no-cache", "--env", "prod", "--format", "json"],
                   stdin=text.encode())
    assert_clean_decision(dev)
    assert_clean_decision(prod)
    assert '"decision": "warn"' in dev.out and dev.code == 0, dev.out
    assert prod.code == 1, prod.out
