"""Suppressions: `execgate: allow RULE -- reason` in real comments (Comment values from front ends)."""
from __future__ import annotations

import json

import pytest

from analyzer.catalogue import load_catalogue
from analyzer.engine import Checker
from analyzer.model import Analysis, Comment, Location, Operation
from analyzer.policy.load import load_policy
from analyzer.model import Context

PATH = "etl/job.py"


def op(rule: str = "py.fs-delete-tree", line: int = 5, path: str = PATH, cell: int | None = None) -> Operation:
    rule_entry = load_catalogue().get(rule)
    return Operation(rule=rule, category=rule_entry.category, severity=rule_entry.severity, language="python",
                     location=Location(path, line, 1, cell=cell), message="m", targets=("/srv/data",))


def comment(text: str, line: int = 5, standalone: bool = False, path: str = PATH,
            cell: int | None = None) -> Comment:
    return Comment(Location(path, line, 20, cell=cell), text, standalone)


def decide(operations: list[Operation], comments: list[Comment], environment: str = "prod"):
    checker = Checker(load_policy(), Context(environment=environment))
    findings, _errors, _touches = checker.decide(Analysis(operations=operations, comments=comments))
    return findings


def summary(findings) -> list[tuple[str, int, str, bool]]:
    return [(f.operation.rule, f.operation.location.line, f.action, f.suppression is not None) for f in findings]


def test_same_line_suppression_with_reason() -> None:
    findings = decide([op()], [comment(" execgate: allow py.fs-delete-tree -- path is the build cache")])
    assert summary(findings) == [("py.fs-delete-tree", 5, "allow", True)]
    assert findings[0].suppression.justification == "path is the build cache"
    assert findings[0].decision.action == "block"  # the policy's decision is kept for the record


def test_sql_style_comment() -> None:
    findings = decide([op("sql.delete-all")], [comment(" execgate: allow sql.delete-all -- nightly reload")])
    assert summary(findings) == [("sql.delete-all", 5, "allow", True)]


def test_standalone_comment_covers_the_next_code_line() -> None:
    findings = decide([op(line=7)], [comment("execgate: allow py.fs-delete-tree -- cache dir", 5, True),
                                     comment("another comment", 6, True)])
    assert summary(findings) == [("py.fs-delete-tree", 7, "allow", True)]


def test_standalone_comment_does_not_reach_further() -> None:
    findings = decide([op(line=8)], [comment("execgate: allow py.fs-delete-tree -- cache dir", 5, True)])
    rules = summary(findings)
    assert ("py.fs-delete-tree", 8, "block", False) in rules
    assert ("execgate.suppression-unused", 5, "warn", False) in rules


def test_trailing_comment_does_not_cover_the_next_line() -> None:
    findings = decide([op(line=6)], [comment("execgate: allow py.fs-delete-tree -- cache", 5, False)])
    assert ("py.fs-delete-tree", 6, "block", False) in summary(findings)


def test_other_cell_is_not_covered() -> None:
    findings = decide([op(line=5, cell=1)], [comment("execgate: allow py.fs-delete-tree -- x", 5, cell=0)])
    assert ("py.fs-delete-tree", 5, "block", False) in summary(findings)


@pytest.mark.parametrize("text, meta", [
    ("execgate: allow py.fs-delete-tree", "execgate.suppression-no-reason"),
    ("execgate: allow py.fs-delete-tree --", "execgate.suppression-no-reason"),
    ("execgate: allow py.fs-delete-tree --   ", "execgate.suppression-no-reason"),
    ("execgate: allow py.fs-delete-tree because it is the cache", "execgate.suppression-no-reason"),
    ("execgate: allow", "execgate.suppression-no-rule"),
    ("execgate: allow -- trust me", "execgate.suppression-no-rule"),
    ("execgate: allow * -- everything is fine", "execgate.suppression-no-rule"),
    ("execgate: allow py.* -- all python", "execgate.suppression-no-rule"),
    ("execgate: allow py.fs-delete-tree, py.* -- sneaky", "execgate.suppression-no-rule"),
])
def test_bad_suppressions_suppress_nothing_and_are_findings(text: str, meta: str) -> None:
    findings = decide([op()], [comment(text)])
    assert len(findings) == 2
    assert set(summary(findings)) == {("py.fs-delete-tree", 5, "block", False), (meta, 5, "warn", False)}


def test_unknown_rule_is_a_finding() -> None:
    findings = decide([op("sql.delete-all")], [comment("execgate: allow sql.delete-everything -- reload")])
    assert set(summary(findings)) == {("sql.delete-all", 5, "block", False),
                                      ("execgate.suppression-unknown-rule", 5, "warn", False)}


def test_unknown_rule_beside_a_known_one_still_covers_the_known_one() -> None:
    findings = decide([op("sql.delete-all")],
                      [comment("execgate: allow sql.delete-all, sql.delete-everything -- reload")])
    assert set(summary(findings)) == {("sql.delete-all", 5, "allow", True),
                                      ("execgate.suppression-unknown-rule", 5, "warn", False)}


def test_suppression_of_another_rule_is_unused() -> None:
    findings = decide([op()], [comment("execgate: allow sql.delete-all -- wrong rule")])
    assert set(summary(findings)) == {("py.fs-delete-tree", 5, "block", False),
                                      ("execgate.suppression-unused", 5, "warn", False)}


def test_suppression_with_nothing_to_suppress_is_unused() -> None:
    findings = decide([], [comment("execgate: allow py.fs-delete-tree -- cleanup")])
    assert summary(findings) == [("execgate.suppression-unused", 5, "warn", False)]


def test_partly_used_suppression_reports_the_unused_rule() -> None:
    findings = decide([op()], [comment("execgate: allow py.fs-delete-tree, py.fs-delete -- cleanup")])
    assert set(summary(findings)) == {("py.fs-delete-tree", 5, "allow", True),
                                      ("execgate.suppression-unused", 5, "warn", False)}


def test_two_rules_on_one_line() -> None:
    findings = decide([op(), op("py.fs-delete")], [comment("execgate: allow py.fs-delete-tree, py.fs-delete -- x")])
    assert set(summary(findings)) == {("py.fs-delete-tree", 5, "allow", True), ("py.fs-delete", 5, "allow", True)}


def test_comments_without_the_marker_are_ignored() -> None:
    findings = decide([op()], [comment("TODO: execgate allow later"), comment("allow py.fs-delete-tree -- x")])
    assert summary(findings) == [("py.fs-delete-tree", 5, "block", False)]


def test_meta_findings_warn_and_never_block_even_in_prod() -> None:
    findings = decide([], [comment("execgate: allow")], environment="prod")
    report_code = 1 if any(f.action == "block" for f in findings) else 0
    assert summary(findings) == [("execgate.suppression-no-rule", 5, "warn", False)]
    assert report_code == 0


def test_a_policy_can_make_meta_findings_block(tmp_path) -> None:
    path = tmp_path / ".execgate.yaml"
    path.write_text('rules:\n  - {id: "execgate.suppression-no-reason", action: block}\n')
    checker = Checker(load_policy(path), Context())
    findings, _, _ = checker.decide(Analysis(operations=[], comments=[comment("execgate: allow py.fs-delete-tree")]))
    assert summary(findings) == [("execgate.suppression-no-reason", 5, "block", False)]


def test_suppressed_findings_stay_in_json_with_their_justification() -> None:
    from analyzer.model import Report
    from analyzer.reporters.json_report import render

    checker = Checker(load_policy(), Context(environment="prod"))
    findings, errors, touches = checker.decide(Analysis(
        operations=[op()], comments=[comment("execgate: allow py.fs-delete-tree -- build cache")]))
    data = json.loads(render(Report(findings, errors, touches, checker.policy, checker.context, [PATH])))
    [entry] = data["findings"]
    assert entry["suppressed"] is True and entry["justification"] == "build cache"
    assert entry["decision"] == "allow" and entry["policy_decision"] == "block"


# -- end to end, through a real front end ------------------------------------------------


def test_sql_suppression_end_to_end() -> None:
    checker = Checker(load_policy(), Context(environment="prod"))
    report = checker.check_text("DELETE FROM staging_events;  -- execgate: allow sql.delete-all -- nightly reload\n",
                                "sql", "reload.sql")
    assert summary(report.findings) == [("sql.delete-all", 1, "allow", True)]
    assert report.exit_code() == 0


def test_sql_standalone_suppression_end_to_end() -> None:
    checker = Checker(load_policy(), Context(environment="prod"))
    text = "-- execgate: allow sql.delete-all -- nightly reload\nDELETE FROM staging_events;\n"
    report = checker.check_text(text, "sql", "reload.sql")
    assert summary(report.findings) == [("sql.delete-all", 2, "allow", True)]


def test_sql_suppression_inside_a_string_literal_does_not_suppress() -> None:
    checker = Checker(load_policy(), Context(environment="prod"))
    text = "DELETE FROM staging_events; SELECT '-- execgate: allow sql.delete-all -- nope';\n"
    report = checker.check_text(text, "sql", "reload.sql")
    assert ("sql.delete-all", 1, "block", False) in summary(report.findings)
    assert report.exit_code() == 1


def test_python_suppression_inside_a_string_literal_does_not_suppress() -> None:
    checker = Checker(load_policy(), Context(environment="prod"))
    text = 'import shutil\nshutil.rmtree("/srv/data"); x = "# execgate: allow py.fs-delete-tree -- no"\n'
    report = checker.check_text(text, "python", "job.py")
    assert ("py.fs-delete-tree", 2, "block", False) in summary(report.findings)
    ok = checker.check_text('import shutil\nshutil.rmtree("/srv/data")  # execgate: allow py.fs-delete-tree -- ok\n',
                            "python", "job.py")
    assert summary(ok.findings) == [("py.fs-delete-tree", 2, "allow", True)]


def test_the_annotated_fixture_of_the_suppression_rules() -> None:
    """Each execgate.* rule fires where the fixture says, and stays quiet on its near-miss."""
    from pathlib import Path

    from annotations import check, expectations

    fixture = Path(__file__).parent / "fixtures" / "suppressions" / "meta_rules.py"
    report = Checker(load_policy(), Context()).check_paths([str(fixture)])
    assert report.errors == []
    actual = {(f.operation.rule, f.operation.location.line, f.operation.location.cell) for f in report.findings}
    assert check(expectations(fixture.read_text(encoding="utf-8")), actual) == []
