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
    dangerous = any(e.kind == "ruleid" for e in expected)
    assert any(e.kind == "ok" for e in expected), "every file holds harmless twins"
    assert dangerous or path.name.startswith("harmless_"), "a file without ruleid lines is named harmless_*"
    code, report = check_file(path)
    blocked = {(f["rule"], f["line"], None) for f in report["findings"] if f["decision"] == "block"}
    assert check(expected, blocked) == []
    assert report["errors"] == []
    assert code == (1 if dangerous else 0)


# --- psql that goes on after errors, known from the caller ------------------------------------------

MADE_THEN_DROPPED = "CREATE TABLE work_batch (id bigint PRIMARY KEY);\nDROP TABLE work_batch;\n"


@pytest.mark.parametrize(("hint", "prefix", "scratch"), [
    ("psql-script", "", False),                          # psql < file: a failed CREATE does not stop the DROP
    ("psql-script", "\\set ON_ERROR_STOP on\n", True),   # ... unless the script stops at the first error
    ("psql-script", "BEGIN;\n", True),                   # ... or the failure aborts the block the DROP is in
    ("psql", "", True),                                  # psql -c: one string, one transaction
    (None, "", True),                                    # a file nobody says how it runs: a migration tool
])
def test_a_caller_can_say_psql_runs_the_text_as_a_script(hint: str | None, prefix: str, scratch: bool) -> None:
    from analyzer.frontends import Options
    from analyzer.frontends.sql.statements import analyze
    from analyzer.model import Location

    analysis = analyze(prefix + MADE_THEN_DROPPED, Location("stdin.sql"), Options(context_hint=hint))
    (drop,) = [op for op in analysis.operations if op.rule == "sql.drop-table"]
    assert drop.scratch == scratch


# --- Databricks notebook source: cells in comment lines ---------------------------------------------

NOTEBOOK_SOURCE = ("-- Databricks notebook source\nSELECT 1\n\n-- COMMAND ----------\n\n"
                   "-- MAGIC %{magic}\n-- MAGIC {code}\n")


@pytest.mark.parametrize(("magic", "code", "rule"), [
    ("sh", "rm -rf /dbfs/mnt/raw", "shell.rm-recursive"),
    ("sql", "DROP TABLE bronze.events", "sql.drop-table"),
    ("md", "rm -rf /dbfs/mnt/raw is only documentation", None),
    ("sh", "ls /dbfs/mnt/raw", None),
])
def test_a_notebook_cell_written_in_comments_runs_in_its_language(magic: str, code: str, rule: str | None) -> None:
    from analyzer.frontends import Options
    from analyzer.frontends.sql.statements import analyze
    from analyzer.model import Location

    analysis = analyze(NOTEBOOK_SOURCE.format(magic=magic, code=code), Location("nb.sql"), Options())
    assert [(op.rule, op.location.line) for op in analysis.operations] == ([(rule, 7)] if rule else [])
    assert analysis.errors == []


def test_a_notebook_cell_no_front_end_reads_fails_closed_and_plain_magic_comments_are_comments() -> None:
    from analyzer.frontends import Options
    from analyzer.frontends.sql.statements import analyze
    from analyzer.model import Location

    scala = analyze(NOTEBOOK_SOURCE.format(magic="scala", code='dbutils.fs.rm("/mnt/raw", true)'),
                    Location("nb.sql"), Options())
    assert [(e.line, "not analysed" in e.message) for e in scala.errors] == [(6, True)]
    plain = NOTEBOOK_SOURCE.format(magic="sh", code="rm -rf /dbfs/mnt/raw").replace("-- Databricks notebook source",
                                                                                      "-- notes")
    assert analyze(plain, Location("plain.sql"), Options()).operations == []


# --- hostile input stays linear ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "{{ x }}\n" + "run_query(" * 20000,                            # unclosed calls inside each other
    "--liquibase formatted sql\n" + "/* liquibase rollback\nSELECT 1;\n" * 3000,   # unclosed blocks
    "SELECT @a = (" + "'x', @a = (" * 5000,                        # assignments nested in one value
], ids=["nested-run-query", "unclosed-rollback-blocks", "nested-assignments"])
def test_unclosed_template_calls_and_rollback_blocks_are_read_in_linear_time(text: str) -> None:
    import time

    from analyzer.frontends import Options
    from analyzer.frontends.sql.statements import analyze
    from analyzer.model import Location

    started = time.perf_counter()
    analyze(text, Location("hostile.sql"), Options())
    assert time.perf_counter() - started < 30   # was minutes (quadratic scans)


# --- Liquibase formatted SQL: --rollback lines are the down part of their own changeset ------------

LIQUIBASE = Path(__file__).parent / "fixtures" / "sql" / "migrations" / "liquibase" / "db.changelog-orders.sql"


def line_in_changeset(text: str, changeset: str, code: str) -> int:
    """The 1-based line of ``code`` after the line ``--changeset ana:<changeset>``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"--changeset ana:{changeset}"))
    return next(i for i in range(start, len(lines)) if lines[i].startswith(code)) + 1


@pytest.mark.parametrize(("changeset", "code", "undoes"), [
    ("1", "--rollback DROP INDEX shop.orders_customer_idx", "index shop.orders_customer_idx was created by the up"),
    ("1", "--rollback DROP TABLE shop.orders", "table shop.orders was created by the up-migration"),
    ("2", "--rollback ALTER TABLE shop.orders DROP COLUMN note", "column shop.orders.note was added by the up"),
    ("4", "--rollback DROP TABLE", "table shop.refunds was created by the up-migration"),
    ("8", "DROP TABLE shop.gift_cards", "table shop.gift_cards was created by the up-migration"),   # a block
    ("8", "DELETE FROM shop.orders", None),
    # near-misses: what an earlier changeset made is not undone by this one's rollback or SQL
    ("3", "--rollback DROP TABLE shop.orders", None),
    ("5", "DROP TABLE shop.refunds", None),
    ("7", "--rollback TRUNCATE shop.orders", None),
])
def test_a_liquibase_rollback_undoes_only_its_own_changeset(changeset: str, code: str, undoes: str | None) -> None:
    from analyzer.frontends import Options
    from analyzer.frontends.sql.statements import analyze
    from analyzer.model import Location

    text = LIQUIBASE.read_text(encoding="utf-8")
    line = line_in_changeset(text, changeset, code)
    analysis = analyze(text, Location(str(LIQUIBASE)), Options(dialect="postgres"))
    (op,) = [op for op in analysis.operations if op.location.line == line]
    assert op.scratch == (undoes is not None)
    assert undoes is None or undoes in (op.detail("scratch") or "")


def test_rollback_lines_are_comments_outside_liquibase_files() -> None:
    from analyzer.frontends import Options
    from analyzer.frontends.sql.statements import analyze
    from analyzer.model import Location

    text = LIQUIBASE.read_text(encoding="utf-8").replace("--liquibase formatted sql", "-- orders changelog", 1)
    analysis = analyze(text, Location("plain.sql"), Options(dialect="postgres"))
    rollback_lines = {i + 1 for i, line in enumerate(text.splitlines()) if line.startswith("--rollback")}
    assert rollback_lines and not {op.location.line for op in analysis.operations} & rollback_lines
