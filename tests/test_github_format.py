"""``--format github`` (workflow-command annotations) and the Markdown job summary."""
from __future__ import annotations

import json
import re

import pytest

from analyzer.commands.main import main
from analyzer.model import Report
from analyzer.model import AnalysisError, Decision, Finding, Location, Operation, Suppression
from analyzer.policy.rules import Policy
from analyzer.model import Context
from analyzer.reporters import github, summary


def op(rule: str = "sql.drop-table", path: str = "db/drop.sql", line: int = 2, column: int = 1,
       message: str = "DROP TABLE users removes the table and its data", evidence: str = "DROP TABLE users;",
       **location: object) -> Operation:
    return Operation(rule, "destructive", "high", "sql", Location(path, line, column, **location), message,
                     ("users",), "drop", evidence)


def finding(operation: Operation | None = None, action: str = "block", suppressed: bool = False,
            baselined: bool = False) -> Finding:
    operation = operation or op()
    suppression = Suppression(operation.rule, "reload", operation.location) if suppressed else None
    return Finding(operation, Decision(action, "destructive operations block", "built-in:destructive"),
                   suppression, baselined)


def report(findings: list[Finding], errors: list[AnalysisError] | None = None, fail_closed: bool = True) -> Report:
    return Report(findings, errors or [], [], Policy(sha256="cd" * 32, fail_closed=fail_closed),
                  Context(actor="bot", role="analyst", environment="prod"), ["db/drop.sql", "x.py"])


# What the Actions runner does with a workflow command line (actions/runner ActionCommand.TryParseV2).
COMMAND = re.compile(r"^::(?P<name>\w+)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    props = {}
    for pair in (match.group("props") or "").split(","):
        if pair:
            key, _, value = pair.partition("=")
            props[key] = unescape_property(value)
    return match.group("name"), props, unescape_data(match.group("data"))


def commands(text: str) -> list[tuple[str, dict[str, str], str]]:
    return [parse(line) for line in text.splitlines() if line.startswith("::")]


def test_block_is_an_error_and_warn_a_warning_with_file_line_col_title():
    text = github.render(report([finding(), finding(op(line=9, column=4), action="warn")]), root="/repo",
                         cwd="/repo")
    (name1, props1, data1), (name2, props2, _) = commands(text)
    assert (name1, name2) == ("error", "warning")
    assert props1 == {"file": "db/drop.sql", "line": "2", "col": "1", "title": "execgate sql.drop-table"}
    assert props2["line"] == "9" and props2["col"] == "4"
    assert "DROP TABLE users removes" in data1 and "built-in:destructive" in data1
    assert text.splitlines()[-1] == "execgate: 2 files checked, 1 blocked, 1 warned, 0 allowed, 0 errors: blocked"


def test_allowed_suppressed_and_baselined_findings_are_not_annotated():
    text = github.render(report([finding(action="allow"), finding(suppressed=True), finding(baselined=True)]),
                         root="/repo", cwd="/repo")
    assert commands(text) == []
    assert text.endswith("0 blocked, 0 warned, 3 allowed, 0 errors: passed\n")


@pytest.mark.parametrize("raw, escaped", [("100%", "100%25"), ("a\nb", "a%0Ab"), ("a\r\nb", "a%0D%0Ab"),
                                          ("%0A", "%250A")])
def test_data_escaping(raw, escaped):
    assert github.escape_data(raw) == escaped


def test_property_escaping_also_covers_colon_and_comma():
    assert github.escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_hostile_text_round_trips_and_cannot_inject_commands():
    nasty = op(path="weird:dir,x/50%.sql", message="drop\n::add-mask::secret, 100% sure: yes\r",
               evidence="DROP TABLE t; -- ::stop-commands::x")
    text = github.render(report([finding(nasty)]), root="/repo", cwd="/repo")
    lines = [line for line in text.splitlines() if line.startswith("::")]
    assert len(lines) == 1  # a single line: nothing the runner could read as a second command
    name, props, data = parse(lines[0])
    assert props["file"] == "weird:dir,x/50%.sql"
    assert data.startswith("drop\n::add-mask::secret, 100% sure: yes\r")
    assert data.endswith("DROP TABLE t; -- ::stop-commands::x")


def test_notebook_findings_point_at_the_ipynb_line_without_a_column():
    cell = op("py.fs-delete-tree", "nb/explore.ipynb", 3, 5, cell=2, cell_id="x", file_line=41)
    unknown = op("py.fs-delete-tree", "nb/explore.ipynb", 3, 5, cell=5)
    (_, props, data), (_, props2, _) = commands(github.render(report([finding(cell), finding(unknown)]),
                                                              root="/repo", cwd="/repo"))
    assert props == {"file": "nb/explore.ipynb", "line": "41", "title": "execgate py.fs-delete-tree"}
    assert "(cell 2, line 3)" in data
    assert props2["line"] == "1"


def test_paths_are_relative_to_the_root_and_stdin_has_no_file(tmp_path):
    absolute = finding(op(path=str(tmp_path / "repo" / "db" / "a.sql")))
    stdin = finding(op(path="<stdin>"))
    (_, props, _), (_, props2, _) = commands(github.render(report([absolute, stdin]), root=str(tmp_path / "repo")))
    assert props["file"] == "db/a.sql"
    assert "file" not in props2 and "line" not in props2 and props2["title"] == "execgate sql.drop-table"


def test_errors_are_annotated_on_their_file():
    errors = [AnalysisError("bad.py", "invalid syntax", line=4), AnalysisError("nb.ipynb", "not JSON")]
    closed = commands(github.render(report([], errors), root="/repo", cwd="/repo"))
    assert [c[0] for c in closed] == ["error", "error"]
    assert closed[0][1] == {"file": "bad.py", "line": "4", "title": "execgate could not analyse this file"}
    assert closed[0][2] == "bad.py:4: invalid syntax"
    opened = commands(github.render(report([], errors, fail_closed=False), root="/repo", cwd="/repo"))
    assert [c[0] for c in opened] == ["warning", "warning"]


@pytest.mark.parametrize("name, text, line", [("wipe.sh", "rm -rf /\n", 1),
                                              ("drop.sql", "SELECT 1;\nDROP TABLE users;\n", 2),
                                              ("clean.py", 'import shutil\nshutil.rmtree("/srv/data")\n', 2)])
def test_execgate_check_format_github_end_to_end(name, text, line, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "github", "--no-cache", str(tmp_path / "src")]) == 1
    found = commands(capsys.readouterr().out)
    assert [(c[0], c[1]["file"], c[1]["line"]) for c in found] == [("error", f"src/{name}", str(line))]


# -- the Markdown job summary ---------------------------------------------------------------


def test_summary_lists_what_gates_with_counts_policy_and_context():
    findings = [finding(), finding(op(line=7), action="warn"), finding(op(line=9), action="allow"),
                finding(op(line=11), suppressed=True)]
    markdown = summary.render(report(findings, [AnalysisError("bad.py", "invalid syntax", 3)]), root="/repo")
    assert markdown.startswith("## execgate: :no_entry: blocked")
    assert "2 files checked: **1 blocked**, 1 warned, 2 allowed, 1 could not be analysed." in markdown
    assert "Policy: `built-in` (sha256 cdcdcdcdcdcd)" in markdown and "environment: `prod`" in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("| **block**") or line.startswith("| warn")]
    assert len(rows) == 2  # allowed and suppressed findings do not gate
    assert "db/drop.sql:2" in rows[0] and "`sql.drop-table`" in rows[0] and "built-in:destructive" in rows[0]
    assert "bad.py:3" in markdown and "invalid syntax" in markdown


def test_summary_links_to_the_file_and_line_and_escapes_table_text():
    hostile = op(path="/repo/db/a b.sql", line=12, message="drop | <script>alert(1)</script>\nnext")
    nb = op("py.fs-delete-tree", "/repo/nb.ipynb", 2, 1, cell=3, file_line=30)
    markdown = summary.render(report([finding(hostile), finding(nb)]), root="/repo",
                              link_base="https://github.com/o/r/blob/abc123")
    row, nb_row = [line for line in markdown.splitlines() if line.startswith("| **block**")]
    assert "[db/a b.sql:12](https://github.com/o/r/blob/abc123/db/a%20b.sql#L12)" in row
    assert "<script>" not in markdown and "&lt;script&gt;" in row
    assert "drop \\| " in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # the pipe in the message cannot add a column
    assert "[nb.ipynb:cell 3:2](https://github.com/o/r/blob/abc123/nb.ipynb#L30)" in nb_row


def test_a_clean_summary_says_so():
    markdown = summary.render(report([]), root="/repo")
    assert markdown.startswith("## execgate: :white_check_mark: passed") and "Nothing to stop." in markdown
    assert "| Decision" not in markdown


def test_summary_caps_the_table():
    many = [finding(op(line=i + 1)) for i in range(summary.MAX_ROWS + 5)]
    markdown = summary.render(report(many), root="/repo")
    assert sum(1 for line in markdown.splitlines() if line.startswith("| **block**")) == summary.MAX_ROWS
    assert "... and 5 more" in markdown


def test_summary_command_turns_a_json_report_into_markdown(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    (tmp_path / "drop.sql").write_text("DROP TABLE users;\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "json", "--output", "report.json", "--no-cache", "drop.sql"]) == 1
    capsys.readouterr()
    assert summary.main(["report.json", "--output", "summary.md", "--link-base", "https://x/blob/s"]) == 0
    markdown = (tmp_path / "summary.md").read_text()
    assert "## execgate: :no_entry: blocked" in markdown
    assert "[drop.sql:1](https://x/blob/s/drop.sql#L1)" in markdown
    assert summary.main(["report.json", "--link-base", "https://x/blob/s"]) == 0
    assert capsys.readouterr().out.strip() == markdown.strip()


@pytest.mark.parametrize("content, message", [(None, "cannot read"), ("{not json", "not a JSON report"),
                                              (json.dumps({"version": 9, "findings": []}), "not an execgate JSON"),
                                              (json.dumps([1, 2]), "not an execgate JSON"),
                                              (json.dumps({"version": 1, "findings": [{"rule": "x"}]}),
                                               "malformed report")])
def test_summary_command_rejects_bad_input_in_one_line(content, message, tmp_path, capsys):
    path = tmp_path / "r.json"
    if content is not None:
        path.write_text(content)
    assert summary.main([str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_notebook_annotation_points_at_the_real_ipynb_line_end_to_end(tmp_path, monkeypatch, capsys):
    import nbformat

    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell('import shutil\nshutil.rmtree("/srv/data")')]
    text = nbformat.writes(nb)
    (tmp_path / "explore.ipynb").write_text(text)
    [real_line] = [n for n, line in enumerate(text.splitlines(), 1) if "shutil.rmtree" in line]
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "github", "--no-cache", "explore.ipynb"]) == 1
    [(name, props, data)] = commands(capsys.readouterr().out)
    assert (name, props["file"], props["line"]) == ("error", "explore.ipynb", str(real_line))
    assert "col" not in props and "(cell 1, line 2)" in data
