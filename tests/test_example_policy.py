"""The example policy for an application repository (examples/policies/) and its cases.

`execgate policy test` runs the cases; every case that lets code through has a twin that
must block, so that the example keeps showing both sides of each decision.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from analyzer.commands.main import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "policies"
POLICY = EXAMPLES / "app-repo.execgate.yaml"
CASES = EXAMPLES / "app-repo.cases.yaml"


def cases() -> list[dict]:
    return yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]


def outcome(case: dict) -> str:
    expected = case["expected"]
    if isinstance(expected, str):
        return expected
    decisions = {entry["decision"] for entry in expected}
    return "block" if "block" in decisions else "warn" if "warn" in decisions else "allow"


def test_the_example_policy_is_valid_without_warnings(capsys) -> None:
    assert main(["policy", "validate", "--strict", str(POLICY)]) == 0, capsys.readouterr().out


def test_every_case_of_the_example_passes(capsys) -> None:
    code = main(["policy", "test", str(CASES)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"{len(cases())} passed, 0 failed" in out
    assert f"policy: {POLICY}" in out


def test_every_case_that_lets_code_through_is_followed_by_a_twin_that_blocks() -> None:
    listed = cases()
    let_through = [i for i, case in enumerate(listed) if outcome(case) != "block"]
    assert len(let_through) >= 8
    for i in let_through:
        assert i + 1 < len(listed), f"{listed[i]['name']!r} has no twin after it"
        twin = listed[i + 1]
        assert outcome(twin) == "block", f"{listed[i]['name']!r} is followed by {twin['name']!r}, which does not block"
        assert twin["lang"] == listed[i]["lang"]


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    shutil.copy(POLICY, tmp_path / POLICY.name)
    shutil.copy(CASES, tmp_path / CASES.name)
    return tmp_path


def test_a_broken_case_makes_it_exit_1(copy: Path, capsys) -> None:
    text = (copy / CASES.name).read_text(encoding="utf-8")
    name = "the same report sent to a look-alike host blocks"
    start = text.index(f"name: {name}")
    end = text.index("expected: block", start) + len("expected: block")
    (copy / CASES.name).write_text(text[:start] + text[start:end].replace("expected: block", "expected: allow")
                                   + text[end:], encoding="utf-8")
    assert main(["policy", "test", str(copy / CASES.name)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL  {name}" in out
    assert f"{len(cases()) - 1} passed, 1 failed" in out


def test_loosening_the_policy_fails_the_twin_that_guards_it(copy: Path, capsys) -> None:
    """Without the scheme, plain-http requests to the Slack host would be allowed too."""
    text = (copy / POLICY.name).read_text(encoding="utf-8")
    assert '"https://hooks.slack.com"' in text
    (copy / POLICY.name).write_text(text.replace('"https://hooks.slack.com"', '"hooks.slack.com"'), encoding="utf-8")
    assert main(["policy", "test", str(copy / CASES.name)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  the same message over plain http blocks" in out
    assert "1 failed" in out
