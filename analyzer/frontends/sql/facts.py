"""What one SQL statement does, as plain values shared by the AST and token classifiers.

Both the structured classifier (sqlglot trees) and the token-stream fallback
produce :class:`Facts`; the front end turns them into Operations and Touches.
:class:`Knowledge` is the ``sql:`` section of the catalogue, read once.
"""
from __future__ import annotations

import functools
import re
from typing import Any

from ...catalogue import load_catalogue
from ...records import Record, field
from .client import ClientCommands
from .magic import MagicCells
from .migrations import Migrations
from .text import ANONYMOUS_MARKER, BeginWords


class Made(Record, frozen=True):
    """An object a statement creates, or adds to a table (``column`` ``t.c``, ``constraint`` ``t.name``).

    ``kind`` is the object's class (``object_classes`` in rules/sql.yaml: table, view, index, routine ...).
    ``proven`` is False for ``CREATE ... IF NOT EXISTS``: one may have been there already."""

    kind: str
    name: str
    proven: bool = True


class ExportRoutine(Record, frozen=True):
    """Where a routine sends data: the argument (1-based position or ``@name``) naming the destination,
    what kind of destination it is (url, host, file, mail), the arguments joined for a file path,
    the argument whose value must be a write mode, and the argument holding a query that is sent."""

    destination: tuple[str, ...]
    kind: str = "url"
    write_mode: str = ""
    query: str = ""
    # When listed: the arguments that carry what is sent. All constant (or absent), and no argument
    # of ``sources`` given, the call sends a constant payload (egress, not data leaving).
    payload: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)   # argument -> what data it sends (``query results``)

    @staticmethod
    def from_entry(entry: dict) -> ExportRoutine:
        destination = entry.get("destination", 1)
        parts = destination if isinstance(destination, list) else [destination]
        return ExportRoutine(tuple(str(p).lower() for p in parts), str(entry.get("kind") or "url"),
                             str(entry.get("write_mode") or "").lower(), str(entry.get("query") or "").lower(),
                             tuple(str(p).lower() for p in entry.get("payload") or ()),
                             {str(k).lower(): str(v) for k, v in (entry.get("sources") or {}).items()})


class Hit(Record):
    """One dangerous operation in a statement, before it becomes an Operation."""

    rule: str
    targets: tuple[str, ...] = ()
    verb: str = ""
    fields: dict[str, str] = field(default_factory=dict)   # message fields: kind, column, reason ...
    details: dict[str, str] = field(default_factory=dict)  # Operation.details: host, destination ...
    critical: bool = False     # CASCADE / PURGE / ALL: raise the severity to critical
    scratch: bool = False      # provably temporary (DROP TEMPORARY TABLE)
    embedded: tuple[str, str] | None = None  # (language, text) to hand to another front end
    # What the operation destroys, as (class, name): the objects dropped, the columns an UPDATE
    # overwrites. Empty: the rows of its targets (tables).
    removes: tuple[tuple[str, str], ...] = ()
    renames: tuple[str, str, str] | None = None   # (class, old name, new name)
    # The tables an unfiltered DELETE/UPDATE is only joined to: if all are temporary, they hold chosen rows.
    joined: tuple[str, ...] = ()

    def removed(self) -> tuple[tuple[str, str], ...]:
        return self.removes or tuple(("table", t) for t in self.targets if t)


class Facts(Record):
    """Everything the front end needs from one statement."""

    hits: list[Hit] = field(default_factory=list)
    touches: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, target, access)
    temp_tables: list[str] = field(default_factory=list)      # CREATE TEMPORARY TABLE names
    made: list[Made] = field(default_factory=list)             # what the statement creates or adds
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (class, old, new): the old's rows move
    routines: list[str] = field(default_factory=list)          # routines defined here with their body
    declares: bool = False     # opens a declaration section (DECLARE, a PL/SQL routine header ending in IS / AS)
    embedded_code: list[tuple[str, str]] = field(default_factory=list)  # (language, text): a routine body in Python
    external_tables: dict[str, str] = field(default_factory=dict)  # name -> LOCATION
    # EXECUTE IMMEDIATE '<sql>', DO $$ <sql> $$: (text, offset of the text in the statement's source)
    embedded_sql: list[tuple[str, int]] = field(default_factory=list)
    embedded_shell: list[str] = field(default_factory=list)  # COPY t FROM PROGRAM '<cmd>' runs cmd
    shell_variables: list[str] = field(default_factory=list)  # EXEC xp_cmdshell @cmd: the command @cmd holds
    error: str | None = None   # could not classify: fails closed

    def touch(self, kind: str, target: str, access: str) -> None:
        if target and (kind, target, access) not in self.touches:
            self.touches.append((kind, target, access))

    def touch_all(self, kind: str, targets: tuple[str, ...], access: str) -> None:
        for target in targets:
            self.touch(kind, target, access)


class StatementArguments(Record, frozen=True):
    """A procedure that runs a string argument as SQL (``statement_arguments`` in rules/sql.yaml)."""

    arguments: frozenset[str]     # 1-based positions and @names of the arguments holding the command
    switch: str                   # the argument naming the command's language ("" when there is none)
    sql: frozenset[str]           # its values under which the command is SQL (also when it is absent)
    shell: frozenset[str]         # its values under which the command goes to the server's shell


class Knowledge(Record, frozen=True):
    """The ``sql`` section of the rule catalogue, in the shapes the classifiers use."""

    dialect_aliases: dict[str, str]
    context_hints: dict[str, str]
    try_order: tuple[str, ...]
    dialect_markers: tuple[tuple[str, re.Pattern[str]], ...]
    sql_string_functions: frozenset[str]
    template_hooks: tuple[str, ...]
    template_runners: tuple[str, ...]   # Jinja functions that run their argument as SQL (run_query)
    placeholders: re.Pattern[str] | None          # ${...} a migration tool or client fills in
    string_builders: dict[str, str]               # CONCAT -> every (argument), STRING_AGG -> first
    replaced_containers: dict[str, str]           # CREATE OR REPLACE SCHEMA -> sql.drop-schema (Snowflake)
    dollar_body_dialects: frozenset[str]          # dialects whose tokenizer reads no $$ strings (spark)
    routine_body_languages: dict[str, str]        # LANGUAGE PYTHON -> the python front end reads the body
    shell_procedures: frozenset[str]              # EXEC xp_cmdshell '<cmd>': the server's shell runs cmd
    foreach_procedures: dict[str, frozenset[str]]  # SP_MSFOREACHTABLE -> the arguments holding commands
    template_functions: dict[str, re.Pattern[str]]
    exec_sql_procedures: frozenset[str]
    statement_arguments: dict[str, StatementArguments]   # SP_ADD_JOBSTEP: @command is SQL (subsystem TSQL)
    cte_targets: frozenset[str]                   # dialects whose DELETE may name a CTE (T-SQL)
    rename_procedures: dict[str, dict[str, str]]  # SP_RENAME -> object type -> the rename rule
    purge_everyone: frozenset[str]
    owner_privileges: frozenset[str]
    harmless_procedures: frozenset[str]
    tokenizer_order: tuple[str, ...]
    max_parse_chars: int
    structured_nodes: frozenset[str]
    harmless_keywords: tuple[tuple[str, ...], ...]
    opaque_keywords: frozenset[str]
    begin: BeginWords
    drop_kinds: dict[str, str]
    database_kinds: frozenset[str]
    alter_drop_kinds: dict[str, str]
    alter_drop_harmless: frozenset[str]
    harmless_drop_kinds: frozenset[str]
    public_principals: frozenset[str]
    superuser_options: frozenset[str]
    retention_settings: frozenset[str]
    vacuum_min_retain_hours: float
    volatile_functions: frozenset[str]
    export_routines: dict[str, ExportRoutine]   # lower-case routine name -> where it sends data
    destructive_routines: dict[str, str]        # lower-case routine name -> what its call removes
    insert_table_functions: frozenset[str]      # INSERT INTO FUNCTION <name>(destination, ...) (ClickHouse)
    insert_rowset_functions: dict[str, ExportRoutine]   # INSERT INTO OPENROWSET(...) (T-SQL)
    location_properties: frozenset[str]         # CREATE TABLE ... WITH (<name> = 'location')
    catalog_listings: re.Pattern[str] | None   # a catalog that lists tables, schemas or databases
    chosen_row_sources: frozenset[str]   # lower case: tables that hold chosen rows (trigger pseudo-tables)
    partition_removals: frozenset[str]
    object_classes: dict[str, str]
    rowless_classes: frozenset[str]
    unqualified_classes: frozenset[str]
    procedural_harmless: frozenset[str]
    declaration_words: frozenset[str]
    declaring_routines: frozenset[str]
    bodies: dict[str, tuple[tuple[tuple[str, ...], ...], frozenset[str]]]   # kind -> (after, calls)
    languages: dict[str, str]      # LANGUAGE of a routine body -> the front end that reads it (sql, python)
    client: ClientCommands
    migrations: Migrations
    magic_cells: MagicCells
    creatable_kinds: frozenset[str]   # the last words of the kinds of object CREATE makes (TABLE, VIEW, EVENT ...)

    def drop_rule(self, kind: str) -> str:
        """The rule for ``DROP <kind>``: the kind as written, else its last word
        (``SECURE MATERIALIZED VIEW`` -> ``VIEW``), else the generic rule."""
        kind = kind.upper()
        last = kind.split()[-1] if kind.split() else kind
        return self.drop_kinds.get(kind) or self.drop_kinds.get(last) or "sql.drop-object"

    def is_harmless(self, words: list[str]) -> bool:
        words = " ".join(words[:8]).split()   # a tokenizer may read LOCK TABLES as one word
        return any(tuple(words[:len(k)]) == k for k in self.harmless_keywords)

    def body_of(self, kind: str) -> tuple[tuple[tuple[str, ...], ...], frozenset[str]] | None:
        """Where the body of a routine of this kind starts (``procedural.bodies``), by the kind as
        written (``TYPE BODY``) or its first word (``PACKAGE BODY`` -> ``PACKAGE``); None for no routine."""
        return self.bodies.get(kind) or self.bodies.get(kind.split()[0] if kind else kind)

    def declares(self, kind: str) -> bool:
        """A routine of this kind may follow its IS / AS with declarations (PL/SQL)."""
        return kind in self.declaring_routines or (kind.split() or [""])[0] in self.declaring_routines

    def object_class(self, kind: str) -> str:
        """The class of an object kind (``MATERIALIZED VIEW`` -> ``view``): as written, else its
        last word (``SECURE MATERIALIZED VIEW``), else the kind itself in lower case."""
        kind = " ".join(kind.upper().split())
        last = kind.split()[-1] if kind else kind
        return self.object_classes.get(kind) or self.object_classes.get(last) or kind.lower()


def _upper_set(values: Any) -> frozenset[str]:
    return frozenset(str(v).upper() for v in values or ())


def _names_pattern(names: Any) -> re.Pattern[str] | None:
    """Dotted names, matched as whole names anywhere (quotes and spaces around the dots allowed)."""
    parts = [r"[\"`\[]?\s*\.\s*[\"`\]]?".join(map(re.escape, str(n).lower().split("."))) for n in names or ()]
    if not parts:
        return None
    return re.compile(r"(?<![\w.$@#])[\"`\[]?(?:" + "|".join(sorted(parts, key=len, reverse=True))
                      + r")[\"`\]]?(?![\w$])", re.IGNORECASE)


def _begin_words(entry: dict[str, Any]) -> BeginWords:
    return BeginWords(transaction=_upper_set(entry.get("transaction")),
                      block_words=tuple(tuple(str(w).upper().split()) for w in entry.get("block_words") or ()))


def _bodies(entry: dict[str, Any]) -> dict[str, tuple[tuple[tuple[str, ...], ...], frozenset[str]]]:
    return {str(kind).upper(): (tuple(tuple(str(w).upper().split()) for w in spec.get("after") or ()),
                                _upper_set(spec.get("calls")))
            for kind, spec in (entry or {}).items()}


@functools.lru_cache(maxsize=4)
def knowledge(directory: str | None = None) -> Knowledge:
    """Read the sql section of the catalogue (cached per catalogue directory)."""
    section = load_catalogue(directory).section("sql")
    procedural = section.get("procedural") or {}
    return Knowledge(
        dialect_aliases={str(k).lower(): str(v) for k, v in (section.get("dialect_aliases") or {}).items()},
        context_hints={str(k): str(v) for k, v in (section.get("context_hints") or {}).items()},
        try_order=tuple(section.get("try_order") or ("postgres",)),
        dialect_markers=tuple((str(m["dialect"]), re.compile(str(m["pattern"])))
                              for m in section.get("dialect_markers") or ()),
        sql_string_functions=frozenset(str(f).lower() for f in section.get("sql_string_functions") or ()),
        template_hooks=tuple(str(name) for name in section.get("template_hooks") or ()),
        template_runners=tuple(str(name) for name in section.get("template_runners") or ()),
        replaced_containers={str(kind).upper(): str(rule) for kind, rule in
                             (section.get("replaced_containers") or {}).items()},
        dollar_body_dialects=frozenset(str(d).lower() for d in section.get("dollar_body_dialects") or ()),
        routine_body_languages={str(name).lower(): str(language) for name, language in
                                (section.get("routine_body_languages") or {}).items()},
        shell_procedures=_upper_set(section.get("shell_procedures")),
        foreach_procedures={str(name).upper(): frozenset(str(a).lower() for a in arguments or ())
                            for name, arguments in (section.get("foreach_procedures") or {}).items()},
        string_builders={str(name).upper(): str(which) for name, which in
                         (section.get("string_builders") or {}).items()},
        placeholders=re.compile("|".join(f"(?:{p})" for p in section["placeholders"]))
        if section.get("placeholders") else None,
        template_functions={str(name).upper(): re.compile(str(holes))
                            for name, holes in (section.get("template_functions") or {}).items()},
        exec_sql_procedures=_upper_set(section.get("exec_sql_procedures")),
        statement_arguments={str(name).upper(): StatementArguments(
            arguments=frozenset(str(a).lower() for a in spec.get("arguments") or ()),
            switch=str(spec.get("switch") or "").lower(), sql=_upper_set(spec.get("sql")),
            shell=_upper_set(spec.get("shell")))
            for name, spec in (section.get("statement_arguments") or {}).items()},
        cte_targets=frozenset(str(d).lower() for d in section.get("cte_targets") or ()),
        rename_procedures={str(name).upper(): {str(kind).upper(): str(rule) for kind, rule in (types or {}).items()}
                           for name, types in (section.get("rename_procedures") or {}).items()},
        purge_everyone=_upper_set(section.get("purge_everyone")),
        owner_privileges=_upper_set(section.get("owner_privileges")),
        harmless_procedures=_upper_set(section.get("harmless_procedures")),
        tokenizer_order=tuple(section.get("tokenizer_order") or ("postgres",)),
        max_parse_chars=int(section.get("max_parse_chars") or 200_000),
        structured_nodes=frozenset(section.get("structured_nodes") or ()),
        harmless_keywords=tuple(tuple(str(k).upper().split()) for k in section.get("harmless_keywords") or ()),
        opaque_keywords=_upper_set(section.get("opaque_keywords")),
        begin=_begin_words(section.get("begin_words") or {}),
        drop_kinds={str(k).upper(): str(v) for k, v in (section.get("drop_kinds") or {}).items()},
        database_kinds=_upper_set(section.get("database_kinds")),
        alter_drop_kinds={str(k).upper(): str(v) for k, v in (section.get("alter_drop_kinds") or {}).items()},
        alter_drop_harmless=_upper_set(section.get("alter_drop_harmless")),
        harmless_drop_kinds=_upper_set(section.get("harmless_drop_kinds")),
        public_principals=_upper_set(section.get("public_principals")),
        superuser_options=_upper_set(section.get("superuser_options")),
        retention_settings=_upper_set(section.get("retention_settings")),
        vacuum_min_retain_hours=float(section.get("vacuum_min_retain_hours") or 168),
        volatile_functions=_upper_set(section.get("volatile_functions")),
        export_routines={str(name).lower(): ExportRoutine.from_entry(entry or {})
                         for name, entry in (section.get("export_routines") or {}).items()},
        destructive_routines={str(name).lower(): str(removes)
                              for name, removes in (section.get("destructive_routines") or {}).items()},
        insert_table_functions=frozenset(str(n).lower() for n in section.get("insert_table_functions") or ()),
        insert_rowset_functions={str(name).lower(): ExportRoutine.from_entry(entry or {})
                                 for name, entry in (section.get("insert_rowset_functions") or {}).items()},
        location_properties=frozenset(str(n).lower() for n in section.get("location_properties") or ()),
        catalog_listings=_names_pattern(section.get("catalog_listings")),
        chosen_row_sources=frozenset(str(n).lower() for n in section.get("chosen_row_sources") or ()),
        partition_removals=_upper_set(section.get("partition_removals")),
        object_classes={" ".join(str(k).upper().split()): str(v) for k, v in
                        (section.get("object_classes") or {}).items()},
        rowless_classes=frozenset(str(c) for c in section.get("rowless_classes") or ()),
        unqualified_classes=frozenset(str(c) for c in section.get("unqualified_classes") or ()),
        procedural_harmless=_upper_set(procedural.get("harmless")),
        declaration_words=_upper_set(procedural.get("declaration_words")),
        declaring_routines=_upper_set(procedural.get("declaring_routines")),
        bodies=_bodies(procedural.get("bodies") or {}),
        languages={str(name).upper(): str(reader) for name, reader in (procedural.get("languages") or {}).items()},
        client=ClientCommands.from_section(section.get("client_commands")),
        migrations=Migrations.from_section(section.get("migrations")),
        magic_cells=MagicCells.from_section(section.get("magic_cells")),
        creatable_kinds=frozenset(str(kind).upper().split()[-1] for kind in (
            *(section.get("object_classes") or {}), *(section.get("drop_kinds") or {}),
            *(section.get("rowless_classes") or ()), *(procedural.get("bodies") or {}))) - {"BODY"},
    )


def display_name(parts: list[str]) -> str:
    """A qualified object name: lower-cased, dotted, embedding holes as ``{}``. A template marker
    keeps its number, so that ``{{ a }}`` and ``{{ b }}`` stay two names for the ledger; reports
    show it as ``{}`` too (:func:`analyzer.frontends.sql.text.shown`)."""
    name = ".".join(p.strip().strip('"`[]').lower() for p in parts if p and p.strip())
    return ANONYMOUS_MARKER.sub("{}", name)


def destination_details(destination: str) -> dict[str, str]:
    """``destination`` plus ``host`` for URLs (s3://bucket/... -> bucket, https://h/... -> h)."""
    details = {"destination": destination}
    if "://" in destination:
        host = destination.split("://", 1)[1].split("/", 1)[0].split("@")[-1]
        if host:
            details["host"] = host.lower()
    return details
