"""The SQL front end: destructive, exfiltrating and privilege operations in SQL text.

Pipeline (one module per step): :mod:`.client` blanks the lines SQL clients
run themselves (psql and mysql commands, SQL*Plus and sqlcmd lines, COPY data)
and says what they do (a file it includes is read where it is included, through
:mod:`..scriptfile`); :mod:`.routine_bodies` takes out ``$$`` function bodies the Spark
tokenizer cannot read, for the front end of their LANGUAGE; :mod:`.text` neutralises
templates and placeholders, tokenizes with sqlglot and splits statements (so every statement has its own
line and one bad statement does not hide the rest); each statement is parsed on
its own, in the explicit dialect, the dialect the context hint names
(``psycopg2`` -> postgres), or else the dialects of ``try_order`` in turn until
one gives a structured tree; :mod:`.tree` classifies structured trees,
:mod:`.tokens` everything else (opaque ``Command`` nodes, parse errors, free
text, procedural code), both into the :mod:`.facts` values, and a statement
nobody can classify is an AnalysisError, so the run fails closed. Then, part by
part (:mod:`.migrations`: the up and down parts of a migration, Liquibase's
``--rollback`` lines included), the :mod:`.ledger` says which destructive
operations lose nothing (scratch, with the reason), :mod:`.variables` follows SQL
built into a variable to the ``EXEC`` that runs it, and :mod:`.magic` hands the
cells of a notebook written in comments to their own front ends. Knowledge
(dialect hints, keywords, client commands, messages) is in ``rules/sql.yaml``.
SQL is never executed.

Marker contract for embedding front ends: a value the embedding code fills in
at run time (an f-string hole, a ``.format`` field) is passed as the
identifier ``__execgate_hole_N__`` (N any digits), e.g.
``f"DROP TABLE {name}"`` -> ``"DROP TABLE __execgate_hole_0__"``. It is a valid
identifier in every dialect, is never taken for a constant by the WHERE
evaluator, and is shown as ``{}`` in targets (``tmp_{}``). Raw ``{name}`` and
``{}`` fields, pyformat ``%s`` / ``%(name)s`` and Jinja/dbt ``{{ }}`` /
``{% %}`` / ``{# #}`` are neutralised here too; ``?``, ``:name``, ``$1`` and
``@p`` are parsed by sqlglot itself as placeholders.
"""
from __future__ import annotations

import bisect
import functools
import logging
import re
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, SqlglotError, TokenError
from sqlglot.tokens import TokenType

from ...catalogue import load_catalogue
from ...model import Analysis, AnalysisError, Comment, Location, Operation, Touch, make_details
from ...records import Record, field, replace
from .. import Options, scriptfile
from .. import analyze as analyze_embedded
from . import client, magic, migrations, routine_bodies, variables
from . import text as sql_text
from .exports import export_calls
from .facts import Facts, Hit, Knowledge, knowledge
from .ledger import LASTING, UNPROVEN, UNTIL_COMMIT, Ledger, Origin, record_into
from .removals import destructive_calls
from .tokens import block_body, is_declaration, is_lone_name, opens_declarations, reads_as_statement, sql_in_strings
from .tokens import classify as classify_tokens
from .tree import classify as classify_tree
from .tree import is_structured

logging.getLogger("sqlglot").setLevel(logging.CRITICAL)

EVIDENCE_CHARS = 200
_SPACE = re.compile(r"\s+")


def validate_dialect(name: str) -> str:
    """The sqlglot dialect for a user-given name (aliases such as ``postgresql`` accepted).

    Raises ValueError naming the valid dialects, for the command line to show."""
    k = knowledge()
    wanted = name.strip().lower()
    wanted = k.dialect_aliases.get(wanted, wanted)
    valid = sorted(d for d in Dialect.classes if d)
    if wanted not in Dialect.classes:
        raise ValueError(f"unknown SQL dialect {name!r}; valid dialects: {', '.join(valid)}")
    return wanted


def dialect_from_hint(hint: str | None, k: Knowledge) -> str | None:
    """The dialect a client module or connection URL speaks, or None when it says nothing."""
    if not hint:
        return None
    hint = hint.strip()
    if hint in k.context_hints:
        return k.context_hints[hint]
    for key, dialect in k.context_hints.items():
        if hint.startswith(key + "."):
            return dialect
    if "://" in hint or hint.count(":") == 1:
        scheme = hint.split(":", 1)[0].split("+", 1)[0].lower()
        scheme = k.dialect_aliases.get(scheme, scheme)
        if scheme in k.context_hints:
            return k.context_hints[scheme]
        if scheme in Dialect.classes and scheme:
            return scheme
    return None


class _Unit(Record):
    """What earlier statements of the same unit established."""

    temp_tables: set[str] = field(default_factory=set)
    external_tables: dict[str, str] = field(default_factory=dict)
    templated: bool = False    # Jinja/dbt: macros hold expression fragments, not only statements
    declaring: bool = False    # inside a DECLARE section (or a PL/SQL header's IS ... BEGIN)
    blocks: int = 0            # procedural blocks (BEGIN ... END) open at this statement
    routines: set[str] = field(default_factory=set)   # routines defined so far with a body that was read
    catalog: str | None = None  # the catalog a loop, cursor or variable above iterates (sys.tables, pg_tables)
    sql_variables: variables.Variables = field(default_factory=dict)   # variable -> SQL assigned to it


class _Reading(Record):
    """One statement, read: its facts, the dialect that parsed it, where it stands."""

    statement: sql_text.Statement
    facts: Facts
    dialect: str | None
    location: Location


class _Lines:
    """Offsets of the analysed text -> positions in the real file."""

    def __init__(self, text: str, origin: Location) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.origin = origin

    def location(self, offset: int) -> Location:
        index = bisect.bisect_right(self.starts, offset) - 1
        column = offset - self.starts[index] + 1
        if index == 0:
            return self.origin.shifted(0, self.origin.column + column - 1)
        return self.origin.shifted(index, column)


def analyze(text: str, origin: Location, options: Options) -> Analysis:
    """Operations, touches, comments and errors of the SQL in ``text``."""
    k = knowledge()
    dialect = validate_dialect(options.dialect) if options.dialect else dialect_from_hint(options.context_hint, k)
    analysis = Analysis()
    if not text.strip():
        return analysis
    found = migrations.parts(text, k.migrations)
    text = migrations.uncomment_downs(text, k.migrations)   # Liquibase --rollback lines are SQL
    cells = magic.magic_cells(text, k.magic_cells)
    text = magic.separated(text, k.magic_cells)             # a notebook cell ends its statement
    prepared = client.prepare(text, dialect, k.tokenizer_order, k.client, options.context_hint)
    text = prepared.text
    lines = _Lines(text, origin)
    for offset, hook_sql in _dbt_hooks(text, k.template_hooks, k.template_runners if "{" in text else ()):
        analysis.extend(analyze_embedded("sql", hook_sql, lines.location(offset), options.deeper(dialect=dialect)))
    _magic_cells(cells, lines, dialect, k, options, analysis)
    marked = _marked_dialect(text, dialect, k)
    text, bodies, unclosed = routine_bodies.taken_out(text, dialect or marked, k.dollar_body_dialects,
                                                      k.routine_body_languages)
    _routine_bodies(bodies, lines, dialect or marked, options, analysis)
    if unclosed is not None:
        analysis.errors.append(_error(lines.location(unclosed), "function body opened with $$ is never closed"))
    parts = sql_text.split(text, dialect or marked, k.tokenizer_order, k.begin, k.placeholders)
    analysis.comments.extend(
        Comment(lines.location(c.offset), c.text,
                standalone=not text[text.rfind("\n", 0, c.offset) + 1:c.offset].strip())
        for c in parts.comments)
    for offset, message in parts.errors:
        analysis.errors.append(_error(lines.location(offset), message))
    for comment in parts.comments:
        _analyze_executable_comment(comment, lines, options, analysis)
    unit = _Unit(templated="{%" in text or "{{" in text)
    if options.shared is not None:
        # Temporary tables made by earlier SQL of the same file or session (execute() calls in turn).
        unit.temp_tables = options.shared.setdefault("sql.temp_tables", set())
    readings = [_read(statement, dialect, parts.dialect, k, unit, lines, options) for statement in parts.statements]
    up_path = migrations.up_file(origin.path, k.migrations)
    if up_path is not None:
        analysis.reads.append(str(up_path))   # what the down file undoes depends on it
    previous_end = 0
    for ledger, part in _ledgers(readings, found, up_path, dialect or marked, k):
        in_transaction = False
        for index, reading in enumerate(part):
            if _GO_LINE.search(text, previous_end, reading.statement.offset):
                # A T-SQL batch ends: its variables and the catalog its loop read are gone.
                unit.catalog = None
                unit.sql_variables.clear()
            previous_end = reading.statement.end_offset
            _iterated_catalog(reading.statement, k, unit)
            variables.record(reading.statement, unit.sql_variables, k.string_builders)
            before = len(analysis.operations)
            _emit(reading, ledger, index, k, unit, lines, options, analysis)
            if unit.catalog:
                analysis.operations[before:] = [_listed(op, unit.catalog) for op in analysis.operations[before:]]
            edge = _transaction_edge(reading.statement, k)
            ledger.record(reading.facts, reading.location.line,
                          proof=_proof(prepared.after_error, reading.statement.offset, in_transaction))
            in_transaction = edge == _BEGINS or (in_transaction and edge != _ENDS)
            if edge in (_ENDS, _RESUMES):
                ledger.end_transaction()
            unit.temp_tables.update(reading.facts.temp_tables)
            unit.routines.update(reading.facts.routines)
    _client_actions(prepared.actions, readings, lines, dialect, options, analysis)
    return analysis


_BEGINS, _ENDS, _RESUMES = "begins", "ends", "resumes"
_GO_LINE = re.compile(r"^[ \t]*GO[ \t]*;?[ \t]*$", re.IGNORECASE | re.MULTILINE)


def _transaction_edge(statement: sql_text.Statement, k: Knowledge) -> str | None:
    """Whether the statement opens a transaction block (``BEGIN``, ``START TRANSACTION``), ends
    one (``COMMIT``, ``END``, ``ROLLBACK``, ``ABORT``) or lets an aborted one go on (``ROLLBACK TO``
    a savepoint: the statements after it run again)."""
    words = [t.text.upper() for t in statement.tokens[:2]]
    if not words:
        return None
    if (words[0] == "BEGIN" and sql_text.block_opening(statement.tokens, 0, k.begin) == 0) or \
            words == ["START", "TRANSACTION"]:
        return _BEGINS
    if words == ["ROLLBACK", "TO"]:
        return _RESUMES
    if words[0] in ("COMMIT", "ABORT", "ROLLBACK") or \
            (words[0] == "END" and words[1:] in ([], ["TRANSACTION"], ["WORK"])):
        return _ENDS
    return None


def _proof(after_error: client.AfterError, offset: int, in_transaction: bool) -> str:
    """How long what the statement at ``offset`` makes counts as made here (the rule is in
    :mod:`.ledger`): for good, unless its client goes on after a failed statement; then only
    inside the transaction block it is made in, if a failure aborts that block."""
    if not after_error.goes_on(offset):
        return LASTING
    return UNTIL_COMMIT if in_transaction and not after_error.keeps_transactions(offset) else UNPROVEN


def _routine_bodies(bodies: list[routine_bodies.Body], lines: _Lines, dialect: str | None, options: Options,
                    analysis: Analysis) -> None:
    """The ``$$`` bodies taken out before tokenizing, each read by the front end of its LANGUAGE."""
    for body in bodies:
        at = lines.location(body.offset)
        if body.language == "python":
            module = routine_bodies.as_module(body)
            if module is not None:   # its def sits on the line before the body's first line
                analysis.extend(analyze_embedded("python", module, replace(at, line=at.line - 1, column=1),
                                                 options.deeper()))
        else:
            analysis.extend(analyze_embedded(body.language, body.text, at, options.deeper(dialect=dialect)))


def _magic_cells(cells: list[magic.Cell], lines: _Lines, dialect: str | None, k: Knowledge, options: Options,
                 analysis: Analysis) -> None:
    """The cells of a Databricks notebook source file written in ``-- MAGIC`` comment lines run
    when the notebook runs: each goes to the front end of its language (:mod:`.magic`)."""
    for cell in cells:
        location = lines.location(cell.offset)
        if cell.language == magic.NOT_ANALYSED:
            analysis.errors.append(_error(location, f"notebook cell in {cell.code or 'an unknown language'} "
                                                    "is not analysed"))
        else:
            analysis.extend(analyze_embedded(cell.language, cell.code, location,
                                             options.deeper(dialect=dialect or k.magic_cells.dialect)
                                             if cell.language == "sql" else options.deeper()))


def _marked_dialect(text: str, dialect: str | None, k: Knowledge) -> str | None:
    """Text only one dialect writes (T-SQL's #temp tables, GO lines): tokenise with it first.
    A marked dialect decides how the text is tokenised (and is tried first), not how it must parse."""
    if dialect is not None:
        return None
    return next((name for name, pattern in k.dialect_markers if pattern.search(text)), None)


def _ledgers(readings: list[_Reading], found: list[migrations.Part], up_path: Path | None, dialect: str | None,
             k: Knowledge) -> list[tuple[Ledger, list[_Reading]]]:
    """The statements of each part of the text (one part, or the up and down parts of migrations),
    each with the ledger that says what was made before it; a down part knows what the up parts of
    its group (or its up file beside it) made."""
    if up_path is not None and found == [(0, migrations.WHOLE, 0)]:
        found = [(0, migrations.DOWN, 0)]
    grouped: list[list[_Reading]] = [[] for _ in found]
    for reading in readings:
        grouped[migrations.part_of(reading.statement.offset, found)].append(reading)
    ups: dict[int, Origin] = {}
    if any(role == migrations.DOWN for _, role, _ in found):
        for (_, role, group), part in zip(found, grouped, strict=True):
            up = ups.setdefault(group, Origin())
            for reading in part if role == migrations.UP else ():
                record_into(up, reading.facts, k, f"line {reading.location.line}")
        if up_path is not None:
            _made_by_file(up_path, dialect, ups.setdefault(0, Origin()))
    return [(Ledger(k, [(r.location.line, r.facts) for r in part], ups.get(group) if role == migrations.DOWN else None),
             part) for (_, role, group), part in zip(found, grouped, strict=True)]


def _made_by_file(path: Path, dialect: str | None, origin: Origin) -> None:
    """Add what the statements of an up file make (read, never run; a file that cannot be read makes nothing)."""
    try:
        status = path.stat()
    except OSError:
        return
    made, renamed = _made_by_file_cached(str(path), status.st_mtime_ns, status.st_size, dialect)
    for key, where in made:
        origin.made.setdefault(key, where)
    origin.renamed.update(renamed)


@functools.lru_cache(maxsize=16)
def _made_by_file_cached(path: str, mtime_ns: int, size: int, dialect: str | None) -> tuple[
        tuple[tuple[tuple[str, str], str], ...], frozenset[tuple[str, str, str]]]:
    """What an up file makes, read once per version of the file (every SQL text of its down file,
    embedded bodies included, asks)."""
    k = knowledge()
    origin = Origin()
    text = migrations.read_up(Path(path))
    if text is not None:
        prepared = client.prepare(text, dialect, k.tokenizer_order, k.client)
        name = Path(path).name
        lines = _Lines(prepared.text, Location(name))
        marked = dialect or _marked_dialect(prepared.text, dialect, k)
        bare, _, _ = routine_bodies.taken_out(prepared.text, marked, k.dollar_body_dialects, k.routine_body_languages)
        parts = sql_text.split(bare, marked, k.tokenizer_order, k.begin, k.placeholders)
        unit = _Unit()
        for statement in parts.statements:
            reading = _read(statement, dialect, parts.dialect, k, unit, lines, Options(dialect=dialect))
            record_into(origin, reading.facts, k, f"{name} line {reading.location.line}")
    return tuple(origin.made.items()), frozenset(origin.renamed)


_EXECUTABLE_COMMENT = re.compile(r"!\d*")


def _analyze_executable_comment(comment: sql_text.FoundComment, lines: _Lines, options: Options,
                                analysis: Analysis) -> None:
    """MySQL runs the body of ``/*! ... */`` (and ``/*!50000 ... */``): it is code, not a comment.
    The body is often a fragment of the statement around it (mysqldump writes
    ``) /*!50100 PARTITION BY ... */``), so only what it does is kept, not parse errors."""
    match = _EXECUTABLE_COMMENT.match(comment.text)
    if match and lines.text.startswith("/*!", comment.offset):
        inner = analyze_embedded("sql", comment.text[match.end():], lines.location(comment.offset),
                                 options.deeper(dialect=options.dialect or "mysql"))
        analysis.operations.extend(inner.operations)
        analysis.touches.extend(inner.touches)


_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'')
_MAX_HOOK_CHARS = 20_000   # a hook's or run_query()'s SQL is a few lines: the read of one stops here


@functools.lru_cache(maxsize=4)
def _hook_assignment(names: tuple[str, ...], runners: tuple[str, ...]) -> re.Pattern[str]:
    """``post_hook =``, ``run_query(``: where the value of a hook config or the argument of a
    function that runs SQL starts."""
    hooks = r"\b(?:" + "|".join(map(re.escape, names)) + r")\s*=\s*"
    called = r"(?<![\w.])(?:" + "|".join(map(re.escape, runners)) + r")\s*\(\s*" if runners else ""
    # {% set q = "delete from " ~ relation %}: a macro builds the SQL it hands to run_query(q).
    assigned = r"(?P<assigned>\{%-?\s*set\s+\w+\s*=\s*)" if runners else ""
    return re.compile("|".join(p for p in (hooks, called, assigned) if p))


def _dbt_hooks(text: str, names: tuple[str, ...], runners: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """The SQL of dbt hook configs (``pre_hook``/``post_hook`` in rules/sql.yaml), which runs
    before/after the model, and of the Jinja functions that run SQL (``run_query(...)``,
    ``adapter.execute(...)``: ``template_runners``), and the SQL statements a macro assigns to a
    variable to hand to one (``{% set q = "truncate " ~ this %}``: a string that starts a statement).

    String literals joined by ``~`` make one statement (a Jinja value between them becomes a
    marker identifier); literals separated by commas (a list of hooks) are separate statements."""
    if not any(name in text for name in names + runners):
        return []
    hooks: list[tuple[int, str]] = []
    scanned = 0   # the end of the last expression read: a match inside it is part of it
    for match in _hook_assignment(names, runners).finditer(text):
        if match.start() < scanned:
            continue
        depth, end = 0, match.end()
        limit = min(len(text), end + _MAX_HOOK_CHARS)
        while end < limit:
            char = text[end]
            if char in "([{":
                depth += 1
            elif char in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif char == "," and depth == 0:
                break
            elif char in "\"'":
                literal = _STRING.match(text, end)
                end = literal.end() - 1 if literal else end
            end += 1
        expression, scanned = text[match.end():end], end
        statements, current, previous = [], "", 0
        for literal in _STRING.finditer(expression):
            between = expression[previous:literal.start()]
            if current and "," in between:
                statements.append(current)
                current = ""
            elif current and "~" in between and between.replace("~", "").strip():
                current += f" {sql_text.TEMPLATE_PREFIX}hook__ "
            current += literal.group(1) if literal.group(1) is not None else literal.group(2)
            previous = literal.end()
        if current and expression[previous:].replace("~", "").strip(" \n\t])-%"):
            current += f" {sql_text.TEMPLATE_PREFIX}hook__"
        statements.append(current)
        hooks.extend((match.start(), statement) for statement in statements if statement.strip() and (
            not match.groupdict().get("assigned") or reads_as_statement(statement)))
    return hooks


def _keyword_location(hit: Hit, statement: sql_text.Statement, lines: _Lines, location: Location) -> Location:
    """Where the hit's own keyword stands (``IF ... \\n DROP TABLE``: the DROP line), else the statement's start."""
    keyword = hit.rule.split(".", 1)[-1].split("-", 1)[0].upper()
    if not statement.tokens or statement.tokens[0].text.upper() == keyword:
        return location
    called = re.split(r"[. ]", hit.verb)[-1].upper() if hit.verb else ""   # a routine's call: its name
    for word in (keyword, called):
        for token in statement.tokens:
            if word and token.text.upper() == word and token.token_type != TokenType.STRING:
                return lines.location(statement.offset + max(0, token.start - statement.tokens[0].start))
    return location


def _error(location: Location, message: str) -> AnalysisError:
    return AnalysisError(location.path, message, location.line, location.cell)


def _read(statement: sql_text.Statement, dialect: str | None, token_dialect: str | None, k: Knowledge,
          unit: _Unit, lines: _Lines, options: Options) -> _Reading:
    """What one statement does, in the context of the statements before it."""
    try:
        facts, used = statement_facts(statement, dialect, token_dialect, k, unit.external_tables, options.prefilter)
    except RecursionError:
        facts, used = Facts(error="SQL statement nested too deeply to analyse"), dialect
    except Exception as exc:  # noqa: BLE001 - one statement's failure must not lose the others
        facts, used = Facts(error=f"internal error in the SQL front end: {type(exc).__name__}: {exc}"), dialect
    if statement.opens_block:
        unit.declaring = False
        unit.blocks += 1
    unreadable = bool(facts.error) and (facts.error or "").startswith("could not classify")
    if unreadable and unit.declaring and is_declaration(statement.tokens, k):
        facts.error = None   # r record; c1 CURSOR FOR SELECT ...; res RESULTSET: a declaration
    elif unreadable and unit.blocks and is_lone_name(statement.tokens):
        facts = block_body(statement.tokens, statement.source, used, k, unit.external_tables)
    if unit.blocks and statement.tokens and statement.tokens[0].text.upper() == "END" and (
            len(statement.tokens) == 1 or statement.tokens[1].text.upper() not in _CLOSES_NO_BLOCK):
        unit.blocks -= 1
    unit.declaring = unit.declaring or facts.declares or opens_declarations(statement.tokens)
    if facts.error and unit.templated and facts.error.startswith("could not classify"):
        first = statement.tokens[0].text if statement.tokens else ""
        if first.startswith(sql_text.TEMPLATE_PREFIX):
            # `{{ verb }} TABLE x`: what runs is decided by the template at run time.
            facts.hits.append(Hit("sql.dynamic-sql", (), "template", {"verb": "a template"}))
        facts.error = None   # else an expression fragment of a macro (round(...), limit 10), not a statement
    unit.external_tables.update(facts.external_tables)
    return _Reading(statement, facts, used, lines.location(statement.offset))


# Hits that may run SQL text a variable holds (EXEC @sql; MySQL's EXECUTE stmt reads as a call).
_RUNS_SQL_TEXT = frozenset({"sql.dynamic-sql", "sql.opaque-call"})

# END <word> that closes a statement, not a BEGIN ... END block.
_CLOSES_NO_BLOCK = frozenset({"LOOP", "IF", "CASE", "WHILE", "FOR", "REPEAT", "TRY", "CATCH", "TRANSACTION", "WORK"})


def _emit(reading: _Reading, ledger: Ledger, index: int, k: Knowledge, unit: _Unit, lines: _Lines,
          options: Options, analysis: Analysis) -> None:
    """The operations, touches, errors and embedded code of one read statement."""
    statement, facts, location = reading.statement, reading.facts, reading.location
    if facts.error:
        analysis.errors.append(_error(location, facts.error))
    evidence = _evidence(lines, statement)
    for hit in facts.hits:
        assigned = variables.executed(statement, k.exec_sql_procedures, unit.sql_variables) \
            if hit.rule in _RUNS_SQL_TEXT else None
        if assigned is not None:
            # SET @sql = 'DROP TABLE ' + @name; EXEC sp_executesql @sql: the SQL assigned is what runs.
            # Reported on the EXEC line: the texts joined on one line, empty ones (N'') left out.
            analysis.extend(analyze_embedded("sql", "; ".join(a for a in assigned if a.strip()), location,
                                             options.deeper(dialect=reading.dialect)))
            continue
        if hit.rule == "sql.opaque-call" and hit.details.get("routine") in unit.routines:
            continue   # a routine defined above, whose body was read: not stored code nobody can see
        if hit.joined and all(t in unit.temp_tables for t in hit.joined):
            continue   # joined only to temporary tables made above: they hold the chosen rows
        why = ledger.reason(hit, index) if load_catalogue().get(hit.rule).category == "destructive" else None
        analysis.operations.append(_operation(hit, _keyword_location(hit, statement, lines, location), evidence,
                                              unit, why))
        if hit.embedded is not None:
            analysis.extend(analyze_embedded(hit.embedded[0], hit.embedded[1], location, options.deeper()))
    for command in facts.embedded_shell:
        analysis.extend(analyze_embedded("shell", command, location, options.deeper()))
    for name in facts.shell_variables:
        held = unit.sql_variables.get(name)
        for command in held or ():
            analysis.extend(analyze_embedded("shell", sql_text.MARKER.sub("$EXECGATE_VALUE", command), location,
                                             options.deeper()))
        if not held:
            analysis.operations.append(_operation(Hit("sql.dynamic-sql", (), f"shell command {name}",
                                                      {"verb": f"EXEC ... {name}"}), location, evidence, unit, None))
    for body, source_offset in facts.embedded_sql:
        if source_offset < 0:
            found = lines.text.find(body, statement.offset)
            inner = lines.location(found if found >= 0 else statement.offset)
        else:
            inner = lines.location(statement.offset + max(0, source_offset - statement.tokens[0].start))
        analysis.extend(analyze_embedded("sql", body, inner, options.deeper(dialect=reading.dialect)))
    for language, code in facts.embedded_code:
        found = lines.text.find(code, statement.offset)
        analysis.extend(analyze_embedded(language, code, lines.location(found if found >= 0 else statement.offset),
                                         options.deeper()))
    for kind, target, access in facts.touches:
        analysis.touches.append(Touch(kind, sql_text.shown(target), access, "sql", location))


# A statement that iterates rows: a cursor, a FOR ... IN query loop, a query assigning variables.
_ITERATES = re.compile(r"\bCURSOR\b|\bFOR\s+\w+\s+IN\b|\bLOOP\b|\bRESULTSET\b|@\w+\s*[-+|]?=|\bINTO\b",
                       re.IGNORECASE)


def _iterated_catalog(statement: sql_text.Statement, k: Knowledge, unit: _Unit) -> None:
    """Remember the catalog (pg_tables, sys.tables) a loop, cursor or variable-building query reads."""
    if k.catalog_listings is None or not _ITERATES.search(statement.sql):
        return
    found = k.catalog_listings.findall(statement.sql)
    if found:
        unit.catalog = re.sub(r"[\s\"`\[\]]", "", found[0]).lower()


def _listed(op: Operation, catalog: str) -> Operation:
    """A destructive operation whose target is filled in from a catalog's rows: the catalog describes it."""
    if op.category != "destructive" or op.scratch or (op.targets and op.detail("resolved") not in ("no", "partial")):
        return op
    description = f"each name from {catalog}"
    shown = ", ".join(op.targets)
    message = op.message.replace(shown, description, 1) if shown else op.message.replace("  ", f" {description} ", 1)
    details = dict(op.details) | {"listed_by": catalog, "resolved": "no"}
    return replace(op, targets=(description,), message=message, details=tuple(sorted(details.items())))


def _client_actions(actions: tuple[client.ClientAction, ...], readings: list[_Reading], lines: _Lines,
                    dialect: str | None, options: Options, analysis: Analysis) -> None:
    """What the client commands do: shell commands go to the shell front end, files are touched,
    the rows of a ``\\gexec`` query run as SQL, and so do the rows a script writes to a file
    (``\\o f`` / ``\\g f``) and then runs (``\\i f``)."""
    written: dict[str, tuple[int, bool]] = {}   # file -> where query output started going there, by \\g
    offsets = [r.statement.offset for r in readings]   # in order: the statements between two places
    for action in actions:
        location = lines.location(action.offset)
        if action.what == client.SHELL:
            analysis.extend(analyze_embedded("shell", action.text, location, options.deeper()))
        elif action.what == "sql":
            inner = analyze_embedded("sql", action.text, location, options.deeper(dialect=dialect))
            analysis.touches.extend(inner.touches)
            analysis.operations.extend(inner.operations)
            analysis.errors.extend(inner.errors)
        elif action.what == "touch":
            analysis.touches.append(Touch(action.kind, action.text, action.access, "sql", location))
            if action.access == "write" and action.kind == "file":
                written[action.text] = (action.offset, action.ends_query)
            elif action.access == "execute" and action.text not in written:
                _included(action.text, location, lines, options, analysis)
            elif action.access == "execute":
                # The rows the queries wrote there (the one \\g ends, those after \\o) run as SQL.
                start, by_g = written[action.text]
                ended = _query_before(start, readings, offsets)
                queries = ([ended] if ended else []) if by_g else readings[
                    bisect.bisect_left(offsets, start):bisect.bisect_left(offsets, action.offset)]
                _run_rows(queries, location, lines, options, analysis, f"\\i {action.text}", prose=not by_g)
        elif action.what == client.RUN_ROWS:
            query = _query_before(action.offset, readings, offsets)
            _run_rows([query] if query else [], location, lines, options, analysis, "\\gexec")


def _included(name: str, location: Location, lines: _Lines, options: Options, analysis: Analysis) -> None:
    """A file of SQL the script runs (``\\i f``, ``\\ir f``, ``:r f``, ``@f``, ``source f``), read where
    it is included and reported at the include line (``via f:line``); a missing one keeps the
    decision it had and is recorded among the reads, so a cached result is dropped once it appears."""
    included = scriptfile.run("sql", name, lines.origin, location, options)
    if included is not None:
        analysis.extend(included)
        return
    absent = scriptfile.missing(name, lines.origin, options)
    if absent is not None:
        analysis.reads.append(absent)


def _query_before(offset: int, readings: list[_Reading], offsets: list[int]) -> _Reading | None:
    """The statement that ends last before ``offset`` (the query a ``\\gexec`` or ``\\g`` ends);
    statements are in order (``offsets``, where each starts), so the last one that starts before it."""
    index = bisect.bisect_left(offsets, offset) - 1
    while index >= 0 and readings[index].statement.end_offset > offset:
        index -= 1
    return readings[index] if index >= 0 else None


def _run_rows(queries: list[_Reading], location: Location, lines: _Lines, options: Options,
              analysis: Analysis, verb: str, prose: bool = False) -> None:
    """Each row of the queries runs as a statement (psql's ``\\gexec``, a written file run with
    ``\\i``): the statement templates written in them (``format('DROP TABLE %I', t)``,
    ``'VACUUM ' || t``) are read as SQL; queries with none build SQL nobody can read. ``prose``:
    the queries were not all written to make statements (whatever ran after ``\\o file``)."""
    k = knowledge()
    found = False
    for query in queries:
        for template in sql_in_strings(lines.text[query.statement.offset:query.statement.end_offset],
                                       prose=prose):
            found = True
            for holes in k.template_functions.values():
                template = holes.sub("__execgate_hole_0__", template)
            analysis.extend(analyze_embedded("sql", template, query.location, options.deeper(dialect=query.dialect)))
    if not found:
        analysis.operations.append(_operation(Hit("sql.dynamic-sql", (), verb, {"verb": verb}),
                                              location, verb, _Unit(), None))


def _evidence(lines: _Lines, statement: sql_text.Statement) -> str:
    original = lines.text[statement.offset:statement.end_offset]
    flat = sql_text.MARKER.sub("{}", _SPACE.sub(" ", original).strip())
    return flat if len(flat) <= EVIDENCE_CHARS else flat[:EVIDENCE_CHARS - 1] + "\u2026"


def _operation(hit: Hit, location: Location, evidence: str, unit: _Unit, why: str | None) -> Operation:
    """The operation of a hit; a destructive one is scratch when its targets are temporary or the
    ledger says why it loses nothing (``why``, kept as the ``scratch`` detail)."""
    rule = load_catalogue().get(hit.rule)
    named = tuple(t for t in hit.targets if t)
    targets = tuple(sql_text.shown(t) for t in named)
    details = {key: sql_text.shown(value) for key, value in hit.details.items()}
    if rule.category == "destructive":
        if hit.scratch:
            why = "a temporary table"
        elif named and all(t in unit.temp_tables for t in named):
            why = "a temporary table created earlier"
        elif named and hit.verb in ("delete", "update") and all(t.startswith("@") for t in named):
            why = "a table variable (T-SQL: it lives only in its batch)"   # DELETE FROM @ids
    else:
        why = None
    if why:
        details["scratch"] = sql_text.shown(why)
    if rule.category == "destructive" and targets:
        resolution = _resolution(targets)
        if resolution:
            details["resolved"] = resolution   # the policy never takes a variable's name for scratch
    message = rule.format_message(target=", ".join(targets),
                                  **{key: sql_text.shown(value) for key, value in hit.fields.items()})
    return Operation(rule.id, rule.category, "critical" if hit.critical else rule.severity, "sql", location,
                     message, targets, hit.verb, evidence, bool(why), make_details(**details))


# A part of a name filled in at run time: a template or embedding hole ({}), a T-SQL / Snowflake
# variable (@x, and $x as sqlglot reads it), a psql variable (:x), a SQL*Plus substitution (&x).
_VARIABLE_PART = re.compile(r"^(?:[@:&$]\w*|\{\})$")


def _resolution(targets: tuple[str, ...]) -> str | None:
    """``no`` when every target is a variable (``DROP DATABASE $DB``, ``DROP TABLE {{ target }}``),
    ``partial`` when a name has a variable in it (``tmp_{}``, ``{}.events``), None when all are known."""
    parts = [part for target in targets for part in target.split(".")]
    variable = [part for part in parts if _VARIABLE_PART.match(part) or "{}" in part]
    if not variable:
        return None
    return "no" if all(any(_VARIABLE_PART.match(p) for p in t.split(".")) for t in targets) \
        and len(variable) == len(parts) else "partial"


def statement_facts(statement: sql_text.Statement, dialect: str | None, token_dialect: str | None,
                    k: Knowledge, external: dict[str, str], prefilter: bool = True) -> tuple[Facts, str | None]:
    """Facts of one statement: a structured parse when one exists, else its tokens."""
    def by_tokens() -> Facts:
        return classify_tokens(statement.tokens, statement.source, dialect or token_dialect, k, external)

    if len(statement.sql) > k.max_parse_chars or (prefilter and _plain_insert(statement)):
        return by_tokens(), dialect
    if _procedural_start(statement, k):
        # END / BEGIN / WHILE ... running into the next statement: the tokens say what runs
        # (a parser reads `END WHILE ... DELETE` as COMMIT).
        return _with_exports(by_tokens(), statement, k), dialect
    root, used = _parse(statement, dialect, token_dialect, k)
    if root is not None and not _routine_with_inline_body(root):
        return _with_exports(classify_tree(root, k, external, used), statement, k), used
    return _with_exports(by_tokens(), statement, k), dialect


def _with_exports(facts: Facts, statement: sql_text.Statement, k: Knowledge) -> Facts:
    """Add the calls that send data out (sp_send_dbmail, UTL_HTTP, INSERT INTO FUNCTION s3(...)) or
    destroy something (lo_unlink, xp_delete_file); such a call is known, not stored code nobody can
    see; the query an export sends is read as SQL too."""
    hits, queries = export_calls(statement.tokens, k.export_routines, k.insert_table_functions,
                                 k.insert_rowset_functions)
    hits += destructive_calls(statement.tokens, k.destructive_routines)
    if not hits:
        return facts
    routines = {hit.verb for hit in hits}
    facts.hits = [h for h in facts.hits if h.rule != "sql.opaque-call" or not any(
        str(h.details.get("routine", "")).endswith(r.rsplit(".", 1)[-1]) for r in routines)] + hits
    facts.embedded_sql.extend((query, -1) for query in queries)
    facts.error = None if facts.error and facts.error.startswith("could not classify") else facts.error
    return facts


def _procedural_start(statement: sql_text.Statement, k: Knowledge) -> bool:
    tokens = statement.tokens
    if len(tokens) < 2:
        return False
    first = tokens[0].text.upper()
    if first == "BEGIN":
        return sql_text.block_opening(tokens, 0, k.begin) > 0
    return first in ("END", "WHILE", "LOOP", "ELSE", "ELSIF", "REPEAT")


def _routine_with_inline_body(root: exp.Expr) -> bool:
    """CREATE PROCEDURE p() BEGIN <statement> (MySQL, T-SQL): the tree drops the body the tokens keep."""
    return isinstance(root, exp.Create) and str(root.args.get("kind") or "").upper() in ("PROCEDURE", "FUNCTION",
                                                                                        "TRIGGER") \
        and not isinstance(root.expression, exp.Heredoc)


def _plain_insert(statement: sql_text.Statement) -> bool:
    """``INSERT INTO t ... VALUES (...)`` with no query in it: the tokens say all (dump files are full of them)."""
    tokens = statement.tokens
    if not tokens or tokens[0].text.upper() != "INSERT" or len(tokens) < 3 or tokens[1].text.upper() != "INTO":
        return False
    return not any(t.text.upper() in ("SELECT", "OVERWRITE", "DIRECTORY", "TABLE", "WITH") for t in tokens)


def _parse(statement: sql_text.Statement, dialect: str | None, token_dialect: str | None,
           k: Knowledge) -> tuple[exp.Expr | None, str | None]:
    """The first structured tree among the candidate dialects, and the dialect that gave it."""
    candidates = [dialect] if dialect is not None else _ordered(token_dialect, k.try_order)
    for name in candidates:
        root = _parse_one(statement, name, reuse_tokens=not statement.reparse and name == (dialect or token_dialect))
        if is_structured(root, k):
            return root, name
    return None, None


def _ordered(first: str | None, order: tuple[str, ...]) -> list[str]:
    return ([first] if first else []) + [d for d in order if d != first]


def _parse_one(statement: sql_text.Statement, dialect: str, reuse_tokens: bool) -> exp.Expr | None:
    try:
        if reuse_tokens:
            trees = Dialect.get_or_raise(dialect).parser().parse(list(statement.tokens), statement.source)
        else:
            trees = sqlglot.parse(statement.sql, read=dialect)
    except (ParseError, TokenError, SqlglotError, ValueError, KeyError, IndexError, AttributeError, TypeError):
        return None
    trees = [t for t in trees if t is not None]
    return trees[0] if len(trees) == 1 else None
