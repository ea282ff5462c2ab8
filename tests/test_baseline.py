"""Baselines: record today's findings, then gate only on new ones, even after lines move."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.baseline import Baseline, BaselineError, baseline_document
from analyzer.commands.main import main
from analyzer.model import Decision, Finding, Location, Operation
from analyzer.policy.load import load_policy
from analyzer.model import Context

OLD = "SELECT 1;\nDROP TABLE users;\nDELETE FROM events;\n"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("EXECGATE_ENV", "EXECGATE_ROLE", "EXECGATE_ACTOR", "EXECGATE_AUDIT_LOG", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".execgate.yaml").write_text("environment: prod\n")
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "cleanup.sql").write_text(OLD)
    return tmp_path


def check_json(*args: str, capsys) -> tuple[int, dict]:
    code = main(["check", "--format", "json", "--no-cache", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_create_then_gate_only_on_new_findings(project: Path, capsys) -> None:
    assert main(["baseline", "create", "db", "--output", "baseline.json"]) == 0
    document = json.loads((project / "baseline.json").read_text())
    assert sorted(e["rule"] for e in document["findings"]) == ["sql.delete-all", "sql.drop-table"]
    assert all(e["path"] == "db/cleanup.sql" for e in document["findings"])
    capsys.readouterr()

    # Unchanged code: everything is known, nothing blocks.
    code, data = check_json("db", "--baseline", "baseline.json", capsys=capsys)
    assert code == 0
    assert all(f["baselined"] for f in data["findings"]) and len(data["findings"]) == 2

    # Lines move (new lines above) and a new drop appears: only the new one gates.
    (project / "db" / "cleanup.sql").write_text("-- moved\n\n" + OLD + "DROP TABLE orders;\n")
    code, data = check_json("db", "--baseline", "baseline.json", capsys=capsys)
    assert code == 1
    new = [(f["rule"], f["targets"], f["line"]) for f in data["findings"] if not f["baselined"]]
    assert new == [("sql.drop-table", ["orders"], 6)]
    assert sorted(f["line"] for f in data["findings"] if f["baselined"]) == [4, 5]

    # Without the baseline everything blocks again.
    code, _ = check_json("db", capsys=capsys)
    assert code == 1


def test_a_second_copy_of_a_known_line_is_new(project: Path, capsys) -> None:
    assert main(["baseline", "create", "db", "-o", "baseline.json"]) == 0
    (project / "db" / "cleanup.sql").write_text(OLD + "DROP TABLE users;\n")
    code, data = check_json("db", "--baseline", "baseline.json", capsys=capsys)
    assert code == 1
    assert [(f["rule"], f["baselined"]) for f in data["findings"] if f["rule"] == "sql.drop-table"] == \
        [("sql.drop-table", True), ("sql.drop-table", False)]


def test_baseline_paths_are_relative_to_the_baseline_file(project: Path, capsys, monkeypatch) -> None:
    (project / "ci").mkdir()
    assert main(["baseline", "create", "db", "-o", "ci/baseline.json"]) == 0
    assert json.loads((project / "ci" / "baseline.json").read_text())["findings"][0]["path"] == "../db/cleanup.sql"
    monkeypatch.chdir(project / "db")
    code, data = check_json("cleanup.sql", "--baseline", "../ci/baseline.json", capsys=capsys)
    assert code == 0 and all(f["baselined"] for f in data["findings"])


@pytest.mark.parametrize("content, message", [
    ("{not json", "baseline.json:1: not a baseline file (invalid JSON"),
    ('{"version": 2, "findings": []}', "not a baseline file: version"),
    ('{"version": 1, "findings": [{"rule": "x", "path": "y"}]}', "'fingerprint' is a required property"),
    ('{"version": 1, "findings": [{"rule": "x", "path": "y", "fingerprint": "abc"}]}', "does not match"),
    ("[]", "not a baseline file"),
])
def test_malformed_baseline_is_a_clear_error(project: Path, capsys, content: str, message: str) -> None:
    (project / "baseline.json").write_text(content)
    with pytest.raises(BaselineError, match=None) as info:
        Baseline.load(project / "baseline.json")
    assert message in str(info.value) and "\n" not in str(info.value)
    assert main(["check", "db", "--baseline", "baseline.json"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_and_directory_baselines(project: Path) -> None:
    with pytest.raises(BaselineError, match="no such baseline file"):
        Baseline.load(project / "nope.json")
    with pytest.raises(BaselineError, match="is a directory"):
        Baseline.load(project / "db")


def test_create_with_a_bad_policy_exits_2(project: Path, capsys) -> None:
    (project / "bad.yaml").write_text("nonsense: 1\n")
    assert main(["baseline", "create", "db", "-o", "b.json", "--policy", "bad.yaml"]) == 2
    assert "bad.yaml:1: unknown key 'nonsense'" in capsys.readouterr().err
    assert not (project / "b.json").exists()


def test_fingerprint_ignores_whitespace_and_line_but_not_the_code(tmp_path: Path) -> None:
    def finding(line: int, evidence: str, rule: str = "py.fs-delete-tree") -> Finding:
        operation = Operation(rule, "destructive", "high", "python", Location("src/a.py", line), "m",
                              evidence=evidence)
        return Finding(operation, Decision("block", "r", "built-in:destructive"))

    document = baseline_document([finding(3, "shutil.rmtree(p)")], tmp_path / "b.json")
    (tmp_path / "b.json").write_text(json.dumps(document))
    baseline = Baseline.load(tmp_path / "b.json")
    assert baseline.mark([finding(40, "shutil.rmtree( p )")])[0].baselined is False  # different code
    assert baseline.mark([finding(40, "  shutil.rmtree(p)   ")])[0].baselined is True
    assert baseline.mark([finding(3, "shutil.rmtree(p)", "py.fs-delete")])[0].baselined is False
    marked = baseline.mark([finding(3, "shutil.rmtree(p)")])[0]
    assert marked.baselined and marked.action == "allow" and marked.decision.action == "block"


def test_engine_marks_through_the_baseline(tmp_path: Path) -> None:
    from analyzer.engine import Checker

    policy = load_policy()
    report = Checker(policy, Context()).check_text("DROP TABLE users;\n", "sql", "<stdin>")
    (tmp_path / "b.json").write_text(json.dumps(baseline_document(report.findings, tmp_path / "b.json")))
    checker = Checker(policy, Context(), baseline=Baseline.load(tmp_path / "b.json"))
    again = checker.check_text("\n\nDROP TABLE users;\n", "sql", "<stdin>")
    assert [f.baselined for f in again.findings] == [True] and again.exit_code() == 0


def test_create_for_a_missing_path_exits_2(project: Path, capsys) -> None:
    assert main(["baseline", "create", "dbb", "-o", "b.json"]) == 2
    assert "dbb: no such file or directory" in capsys.readouterr().err
    assert not (project / "b.json").exists()
