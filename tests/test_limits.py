"""Hostile input sizes and file-system oddities: bounded time, one clear error, fail closed.

Each case puts the odd file next to a file with a known destructive operation
and checks the run still blocks that one (exit 1) and names the odd file in
an error (or, when the odd file can be analysed, finds what it holds). Runs
go through the real command in a subprocess with a generous timeout, so a
hang is a test failure and not a stuck CI job. Measured on the 2-core CI
machine: 20,000 `SELECT 1;` statements take ~6 s (100,000 take ~26 s, so they
are left to bench/fuzz.py with the 1,000,000-statement case).
"""
from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.policy.context import resolve_context
from analyzer.engine import Checker
from analyzer.policy.load import load_policy

TIMEOUT = 120
DANGER = 'import shutil\nshutil.rmtree("/srv/data")\n'


def execgate(*args: str, stdin: bytes | None = None, timeout: float = TIMEOUT) -> tuple[int, dict, str]:
    """Run ``execgate check --format json`` in a subprocess; a hang fails the test (TimeoutExpired)."""
    command = [sys.executable, "-m", "analyzer.commands.main", "check", "--format", "json", *args]
    done = subprocess.run(command, input=stdin, capture_output=True, timeout=timeout,
                          stdin=None if stdin is not None else subprocess.DEVNULL)
    assert "Traceback" not in done.stderr.decode("utf-8", "replace"), done.stderr
    report = json.loads(done.stdout) if done.stdout.strip() else {}
    return done.returncode, report, done.stderr.decode("utf-8", "replace")


def _danger(folder: Path) -> Path:
    path = folder / "danger.py"
    path.write_text(DANGER, encoding="utf-8")
    return path


def _rules_in(report: dict, path: Path) -> set[str]:
    return {f["rule"] for f in report.get("findings", []) if Path(f["path"]).name == path.name}


def _errors_for(report: dict, path: Path) -> list[str]:
    return [e["message"] for e in report.get("errors", []) if Path(e["path"]).name == path.name]


def _assert_other_file_blocked(code: int, report: dict, danger: Path) -> None:
    assert code == 1, report
    assert "py.fs-delete-tree" in _rules_in(report, danger), report


# -- deep nesting ---------------------------------------------------------------------------------

DEEP = {
    "deep.py": "x = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n",
    "deep_list.py": "x = " + "[" * 10_000 + "]" * 10_000 + "\n",
    "deep.sql": "SELECT " + "(" * 10_000 + "1" + ")" * 10_000 + ";\n",
    "deep.sh": "echo " + "$(" * 10_000 + "x" + ")" * 10_000 + "\n",
    "deep_sub.sh": "(" * 10_000 + "true" + ")" * 10_000 + "\n",
    "deep.ipynb": '{"cells": ' + "[" * 10_000 + "]" * 10_000 + ', "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_nesting_fails_closed_and_other_files_still_checked(name: str, tmp_path: Path) -> None:
    bad = tmp_path / name
    bad.write_text(DEEP[name], encoding="utf-8")
    danger = _danger(tmp_path)
    code, report, _ = execgate("--no-cache", str(bad), str(danger))
    _assert_other_file_blocked(code, report, danger)
    errors = _errors_for(report, bad)
    assert errors, f"{name} could not be analysed but no error says so: {report}"
    assert all("\n" not in message and "internal error" not in message for message in errors), errors


def test_deep_nesting_alone_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "deep.py"
    bad.write_text(DEEP["deep.py"], encoding="utf-8")
    code, report, _ = execgate("--no-cache", str(bad))
    assert code == 2 and _errors_for(report, bad), report


def test_deep_binary_chain_fails_closed(tmp_path: Path) -> None:
    """100,000 `+` in one expression: the resolver may not recurse that deep; it must say so."""
    bad = tmp_path / "chain.py"
    bad.write_text("x = " + "+".join(["1"] * 100_000) + "\n" + DANGER, encoding="utf-8")
    code, report, _ = execgate("--no-cache", str(bad))
    assert code in (1, 2)
    assert code == 1 or _errors_for(report, bad), report


# -- size -----------------------------------------------------------------------------------------


def test_100_mb_file_is_refused_quickly(tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    with open(big, "wb") as handle:     # sparse: costs no disk and no time to make
        handle.truncate(100 * 1024 * 1024)
    danger = _danger(tmp_path)
    code, report, _ = execgate("--no-cache", str(big), str(danger), timeout=60)
    _assert_other_file_blocked(code, report, danger)
    assert any("too large" in message for message in _errors_for(report, big)), report


def test_100_mb_file_alone_fails_closed(tmp_path: Path) -> None:
    big = tmp_path / "big.sql"
    with open(big, "wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    code, report, _ = execgate(str(big), timeout=60)    # with the cache on, as users run it
    assert code == 2 and any("too large" in m for m in _errors_for(report, big)), report


def test_large_stdin_is_refused_quickly() -> None:
    """--stdin must have the same size limit as files: 12 MB of Python is refused, not analysed for minutes."""
    text = "x = 1\n" * 2_000_000 + DANGER
    try:
        code, report, err = execgate("--stdin", "--lang", "python", "--no-cache", stdin=text.encode(), timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("12 MB on --stdin was analysed for more than 30 s instead of being refused")
    assert code == 2, report
    assert "too large" in (err + json.dumps(report)), (err, report)


ONE_LINE = {
    "line.py": "import shutil;x=\"" + "a" * 1_000_000 + "\";shutil.rmtree(\"/srv\")\n",
    "stmts.py": "x='aaaaaaaaaaaaaaaa';" * 50_000 + "import shutil;shutil.rmtree(\"/srv\")\n",
    "line.sql": "SELECT '" + "a" * 1_000_000 + "'; DROP TABLE t;",
    "line.sh": "echo " + "a" * 1_000_000 + "; rm -rf /srv\n",
}
ONE_LINE_RULES = {"line.py": "py.fs-delete-tree", "stmts.py": "py.fs-delete-tree", "line.sql": "sql.drop-table",
                  "line.sh": "shell.rm-recursive"}


@pytest.mark.parametrize("name", sorted(ONE_LINE))
def test_one_megabyte_single_line_file_is_analysed(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(ONE_LINE[name], encoding="utf-8")
    code, report, _ = execgate("--no-cache", str(path))
    assert code == 1 and ONE_LINE_RULES[name] in _rules_in(report, path), report
    finding = next(f for f in report["findings"] if f["rule"] == ONE_LINE_RULES[name])
    assert finding["line"] == 1 and finding["column"] > 1_000_000 - 1


def test_twenty_thousand_sql_statements(tmp_path: Path) -> None:
    path = tmp_path / "many.sql"
    path.write_text("SELECT 1;\n" * 20_000 + "DROP TABLE analytics.events;\n", encoding="utf-8")
    code, report, _ = execgate("--no-cache", str(path))
    assert code == 1, report
    assert [f["line"] for f in report["findings"] if f["rule"] == "sql.drop-table"] == [20_001]


def test_adjacent_string_literals(tmp_path: Path) -> None:
    """FACTS: 2,215 adjacent literals crashed libcst metadata; 3,000 here, also inside an exec payload."""
    path = tmp_path / "adjacent.py"
    path.write_text("x = " + " ".join(['"a"'] * 3_000) + "\n" + DANGER, encoding="utf-8")
    payload = tmp_path / "payload.py"
    payload.write_text('exec("import shutil;" ' + " ".join(['""'] * 3_000) + ' "shutil.rmtree(\'/srv\')")\n',
                       encoding="utf-8")
    code, report, _ = execgate("--no-cache", str(path), str(payload))
    assert code == 1
    assert "py.fs-delete-tree" in _rules_in(report, path), report
    assert "py.fs-delete-tree" in _rules_in(report, payload), report


def _notebook_with_output(size: int) -> str:
    cell = {"cell_type": "code", "execution_count": 1, "id": "a1", "metadata": {},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "x" * size}],
            "source": ["import shutil\n", "shutil.rmtree('/srv')\n"]}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_fifty_megabyte_notebook_output_fails_closed(tmp_path: Path) -> None:
    big = tmp_path / "big.ipynb"
    big.write_text(_notebook_with_output(50 * 1024 * 1024), encoding="utf-8")
    danger = _danger(tmp_path)
    code, report, _ = execgate("--no-cache", str(big), str(danger))
    _assert_other_file_blocked(code, report, danger)
    assert _errors_for(report, big) or "py.fs-delete-tree" in _rules_in(report, big), report


def test_three_megabyte_notebook_output_is_analysed(tmp_path: Path) -> None:
    nb = tmp_path / "mid.ipynb"
    nb.write_text(_notebook_with_output(3 * 1024 * 1024), encoding="utf-8")
    code, report, _ = execgate("--no-cache", str(nb))
    assert code == 1 and "py.fs-delete-tree" in _rules_in(report, nb), report


# -- the file system ------------------------------------------------------------------------------


def test_symlink_loops_end(tmp_path: Path) -> None:
    tree = tmp_path / "loop"
    (tree / "a").mkdir(parents=True)
    (tree / "a" / "up").symlink_to("..")
    (tree / "self").symlink_to("../loop")
    (tree / "x.py").symlink_to("x.py")      # a link to itself
    danger = _danger(tree / "a")
    code, report, _ = execgate("--no-cache", str(tree))
    _assert_other_file_blocked(code, report, danger)


def test_self_link_given_explicitly_is_an_error(tmp_path: Path) -> None:
    link = tmp_path / "x.py"
    link.symlink_to("x.py")
    danger = _danger(tmp_path)
    code, report, _ = execgate("--no-cache", str(link), str(danger))
    _assert_other_file_blocked(code, report, danger)
    assert _errors_for(report, link), report


@pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "cache"])
def test_fifo_is_refused_without_hanging(cache: bool, tmp_path: Path) -> None:
    """Reading a FIFO blocks until a writer comes: the guard must not open it for reading."""
    fifo = tmp_path / "x.sh"
    os.mkfifo(fifo)
    danger = _danger(tmp_path)
    args = ([] if cache else ["--no-cache"]) + [str(fifo), str(danger)]
    try:
        code, report, _ = execgate(*args, timeout=15)
    except subprocess.TimeoutExpired:
        pytest.fail("execgate hung on a FIFO named x.sh")
    _assert_other_file_blocked(code, report, danger)
    assert _errors_for(report, fifo), report


def test_fifo_inside_a_folder_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.sh")
    danger = _danger(tmp_path)
    try:
        code, report, _ = execgate("--no-cache", str(tmp_path), timeout=15)
    except subprocess.TimeoutExpired:
        pytest.fail("execgate hung on a FIFO inside the checked folder")
    _assert_other_file_blocked(code, report, danger)


def test_directory_named_like_a_source_file(tmp_path: Path) -> None:
    (tmp_path / "x.py").mkdir()
    (tmp_path / "x.py" / "inner.py").write_text(DANGER, encoding="utf-8")
    code, report, _ = execgate("--no-cache", str(tmp_path))
    assert code == 1 and "py.fs-delete-tree" in _rules_in(report, tmp_path / "inner.py"), report


def _checker() -> Checker:
    policy = load_policy(None)
    return Checker(policy, resolve_context(policy, None, None, None, "cli"))


@pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "cache"])
def test_file_that_vanishes_while_scanning(cache: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listed, then deleted before it is read: an error for that file, the others still decided."""
    import analyzer.scan as scan

    gone = tmp_path / "gone.py"
    gone.write_text(DANGER, encoding="utf-8")
    danger = _danger(tmp_path)
    original = scan.analyze_files

    def delete_then_analyse(checker, files, jobs=1, cache=False):
        gone.unlink()
        return original(checker, files, jobs=jobs, cache=cache)

    monkeypatch.setattr(scan, "analyze_files", delete_then_analyse)
    report = _checker().check_paths([str(tmp_path)], cache=cache)
    assert {e.path for e in report.errors} == {str(gone)}
    assert report.exit_code() == 1
    assert [f.operation.location.path for f in report.blocked] == [str(danger)]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 where it works; as root (CI) reads cannot be blocked that way, so open() is made to refuse."""
    locked = tmp_path / "locked.sql"
    locked.write_text("DROP TABLE t;\n", encoding="utf-8")
    danger = _danger(tmp_path)
    if os.geteuid() != 0:
        locked.chmod(0)
    else:
        real_open = builtins.open

        def refusing_open(file, *args, **kwargs):
            if os.fspath(file) == str(locked):
                raise PermissionError(13, "Permission denied", str(locked))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", refusing_open)
    try:
        report = _checker().check_paths([str(locked), str(danger)])
    finally:
        locked.chmod(0o644)
    messages = [e.message for e in report.errors if e.path == str(locked)]
    assert messages and all("\n" not in m for m in messages), report.errors
    assert "cannot read" in messages[0]
    assert report.exit_code() == 1
    assert [f.operation.location.path for f in report.blocked] == [str(danger)]


def test_dangling_symlink_given_explicitly(tmp_path: Path) -> None:
    link = tmp_path / "gone.sh"
    link.symlink_to(tmp_path / "nowhere.sh")
    code, report, _ = execgate("--no-cache", str(link))
    assert code == 2 and _errors_for(report, link), report
