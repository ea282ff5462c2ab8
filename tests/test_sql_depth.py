"""Issue 15, depth of the SQL front end, end to end: agent-style SQL files (migrations, maintenance
scripts, procedures, dbt models, psql scripts) and probe statements of each family, run through
``execgate check --no-cache --format json`` in-process with the built-in policy.

Fixtures live in tests/fixtures/sql_depth/. ``-- ruleid: RULE`` above a line: a finding of RULE on
that line is *blocked*; ``-- ok: RULE``: nothing of RULE is blocked there. ``-- dialect: NAME``
passes ``--dialect NAME``. Every file must be read without errors (a statement nobody can read
fails closed, which would hide a quiet twin behind exit 2).
"""
from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from annotations import check, expectations

FIXTURES = Path(__file__).parent / "fixtures" / "sql_depth"
FIXTURE_FILES = sorted(FIXTURES.rglob("*.sql"))
DIALECT_LINE = re.compile(r"^--\s*dialect:\s*(\w+)", re.MULTILINE)


def check_file(path: Path) -> tuple[int, dict]:
    """``execgate check PATH`` in-process: (exit code, the JSON report)."""
    from analyzer.commands.main import main

    arguments = ["check", str(path), "--format", "json", "--no-cache", "--jobs", "1"]
    declared = DIALECT_LINE.search(path.read_text(encoding="utf-8"))
    if declared:
        arguments += ["--dialect", declared.group(1)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(arguments)
    return code, json.loads(out.getvalue())


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_blocked_on_the_right_line_and_quiet_twins(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = expectations(text)
    assert any(e.kind == "ruleid" for e in expected) and any(e.kind == "ok" for e in expected)
    code, report = check_file(path)
    blocked = {(f["rule"], f["line"], None) for f in report["findings"] if f["decision"] == "block"}
    assert check(expected, blocked) == []
    assert report["errors"] == []
    assert code == 1
