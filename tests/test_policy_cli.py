"""`execgate policy validate` and `execgate policy test`: exit codes and what they print."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.commands.main import cli, main

EXAMPLE = Path(__file__).parent.parent / "examples" / "team-policy"
FIXTURES = Path(__file__).parent / "fixtures" / "policy"

POLICY = """\
environment: dev
rules:
  - id: "sql.drop-*"
    action: warn
    when: {environment: [dev]}
  - id: "sql.delete-all"
    action: allow
    when: {role: [dba]}
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / ".execgate.yaml").write_text(POLICY)
    return tmp_path


def cases(project: Path, body: str, name: str = "cases.yaml") -> Path:
    path = project / name
    path.write_text(body)
    return path


# -- validate -------------------------------------------------------------------------


def test_validate_a_good_policy(project: Path) -> None:
    result = run("policy", "validate", str(project / ".execgate.yaml"))
    assert result.exit_code == 0, result.output
    assert "valid (2 rules, 0 warnings)" in result.output


def test_validate_finds_the_policy_upward(project: Path, monkeypatch) -> None:
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    assert main(["policy", "validate"]) == 0


@pytest.mark.parametrize("fixture", ["unknown_when_key", "conflict", "malformed", "python_tag", "alias"])
def test_validate_a_bad_policy_exits_2_with_one_line(fixture: str, capsys) -> None:
    assert main(["policy", "validate", str(FIXTURES / "invalid" / f"{fixture}.yaml")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("execgate: ") and f"{fixture}.yaml:" in err
    assert "\n" not in err and "Traceback" not in err


def test_validate_prints_warnings_and_strict_fails_on_them(capsys) -> None:
    path = str(FIXTURES / "valid" / "shadowed.yaml")
    assert main(["policy", "validate", path]) == 0
    assert "warning:" in capsys.readouterr().err
    assert main(["policy", "validate", "--strict", path]) == 2


def test_validate_reports_every_problem_one_line_each(capsys) -> None:
    path = FIXTURES / "invalid" / "many_problems.yaml"
    assert main(["policy", "validate", str(path)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    wanted = [line.split("expect-error: ", 1)[1] for line in path.read_text().splitlines() if "expect-error: " in line]
    assert len(lines) == len(wanted) == 6
    for line, expected in zip(lines, wanted, strict=True):
        number, text = expected.split(": ", 1)
        assert line.startswith("execgate: ") and f"many_problems.yaml:{number}: " in line and text in line, line


@pytest.mark.parametrize("fixture, code", [("unknown_rule_glob", 2), ("unknown_team_rule", 2)])
def test_a_rule_id_that_matches_no_rule_is_an_error(fixture: str, code: int, capsys) -> None:
    assert main(["policy", "validate", str(FIXTURES / "invalid" / f"{fixture}.yaml")]) == code
    assert "matches no rule" in capsys.readouterr().err
    # the near miss: an id glob naming a team rule of the policy's semgrep.rules
    assert main(["policy", "validate", str(FIXTURES / "valid" / "team_rule_ids.yaml")]) == 0


def test_check_under_each_profile(tmp_path: Path, capsys) -> None:
    script = tmp_path / "notify.sh"
    script.write_text("curl -X POST -d 'deploy finished' https://hooks.example.net/notify\nrm -rf build\n")
    for profile, code in (("default", 0), ("strict", 1)):
        policy = tmp_path / f"{profile}.yaml"
        policy.write_text(f"extends: {profile}\n")
        assert main(["check", str(script), "--policy", str(policy)]) == code, profile
    capsys.readouterr()


def test_validate_a_directory_or_missing_file(tmp_path: Path, capsys) -> None:
    assert main(["policy", "validate", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert main(["policy", "validate", str(tmp_path / "nope.yaml")]) == 2


def test_check_with_a_bad_policy_exits_2(project: Path, capsys) -> None:
    (project / "bad.yaml").write_text("rules:\n  - id: x\n    action: maybe\n")
    (project / "a.sql").write_text("DROP TABLE users;\n")
    assert main(["check", str(project / "a.sql"), "--policy", str(project / "bad.yaml")]) == 2
    assert "bad.yaml:3: rules[0].action" in capsys.readouterr().err


# -- test -------------------------------------------------------------------------------


def test_passing_cases(project: Path) -> None:
    path = cases(project, """\
policy: .execgate.yaml
cases:
  - name: drop warns in dev
    lang: sql
    code: DROP TABLE users;
    expected: warn
  - name: drop blocks in prod
    lang: sql
    code: DROP TABLE users;
    context: {environment: prod}
    expected: [{rule: sql.drop-table, decision: block}]
  - name: dba may empty a table
    lang: sql
    code: DELETE FROM events;
    context: {environment: prod, role: dba}
    expected: allow
  - name: a real predicate is nothing
    lang: sql
    code: DELETE FROM events WHERE id = 3;
    expected: pass
""")
    result = run("policy", "test", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.count("PASS") == 4 and "4 passed, 0 failed" in result.output


def test_failing_case_prints_a_diff_and_exits_1(project: Path) -> None:
    path = cases(project, """\
policy: .execgate.yaml
cases:
  - name: wrong expectation
    lang: sql
    code: DROP TABLE users;
    context: {environment: prod}
    expected: allow
  - name: wrong list
    lang: sql
    code: DROP TABLE users;
    expected: [{rule: sql.truncate, decision: warn}]
  - name: right
    lang: sql
    code: DROP TABLE users;
    expected: [{rule: "sql.drop-*", decision: warn}]
""")
    result = run("policy", "test", str(path))
    assert result.exit_code == 1
    assert "FAIL  wrong expectation" in result.output
    assert "- expected: allow" in result.output and "+ got:      block" in result.output
    assert "- expected: sql.truncate warn" in result.output
    assert "+ unexpected: sql.drop-table warn" in result.output
    assert "PASS  right" in result.output and "1 passed, 2 failed" in result.output


def test_policy_option_overrides_the_cases_file(project: Path, tmp_path: Path) -> None:
    strict = tmp_path / "strict.yaml"
    strict.write_text("extends: default\n")
    path = cases(project, """\
policy: .execgate.yaml
cases:
  - name: drop warns in dev
    lang: sql
    code: DROP TABLE users;
    expected: warn
""")
    assert run("policy", "test", str(path)).exit_code == 0
    assert run("policy", "test", str(path), "--policy", str(strict)).exit_code == 1


def test_the_callers_environment_does_not_leak_into_cases(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("EXECGATE_ENV", "prod")
    monkeypatch.setenv("EXECGATE_ROLE", "dba")
    path = cases(project, "cases:\n  - {name: dev, lang: sql, code: DROP TABLE users;, expected: warn}\n")
    assert run("policy", "test", str(path)).exit_code == 0


@pytest.mark.parametrize("body, message", [
    ("cases: [\n", "cases.yaml:2: not valid YAML"),
    ("- 1\n", "cases.yaml:1: a policy test file is a mapping"),
    ("cases: []\n", "cases"),
    ("cases:\n  - {name: a, lang: cobol, code: x, expected: block}\n", "cases.yaml:2: cases[0].lang"),
    ("cases:\n  - {name: a, lang: sql, code: x, expected: maybe}\n", "cases.yaml:2: cases[0].expected"),
    ("cases:\n  - {name: a, lang: sql, code: x}\n", "'expected' is a required property"),
    ("cases:\n  - {name: a, lang: sql, code: x, expected: pass, contxt: {}}\n", "cases[0].contxt: unknown key"),
    ("cases:\n  - {name: a, lang: sql, code: x, expected: pass}\n  - {name: a, lang: sql, code: y, expected: pass}\n",
     "cases.yaml:3: cases[1].name: 'a' is used twice"),
    ("policy: missing.yaml\ncases:\n  - {name: a, lang: sql, code: x, expected: pass}\n", "no such policy file"),
])
def test_malformed_cases_file_exits_2(project: Path, capsys, body: str, message: str) -> None:
    path = cases(project, body)
    assert main(["policy", "test", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_missing_cases_file_exits_2(tmp_path: Path, capsys) -> None:
    assert main(["policy", "test", str(tmp_path / "nope.yaml")]) == 2
    assert "no such" in capsys.readouterr().err


def test_example_team_policy_is_valid() -> None:
    result = run("policy", "validate", str(EXAMPLE / ".execgate.yaml"))
    assert result.exit_code == 0, result.output
    assert "0 warnings" in result.output


def test_example_team_policy_tests_pass(tmp_path: Path) -> None:
    # Copied so that nothing the test run writes lands in the example folder.
    folder = tmp_path / "team"
    shutil.copytree(EXAMPLE, folder)
    result = run("policy", "test", str(folder / "policy-tests.yaml"))
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output
