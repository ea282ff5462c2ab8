"""Classify a statement sqlglot cannot parse (or parses into an opaque Command) from its tokens.

``VACUUM``, ``DROP USER``, ``UNLOAD``, ``SELECT ... INTO OUTFILE``, ``REMOVE @stage``
and friends never become structured trees, and a statement in a dialect
sqlglot does not know may not either. None of them may pass silently: this
module reads the leading keywords (the way a DBA would), reports the same
rule ids as the tree classifier, and returns an error for a statement it
cannot place at all, so the run fails closed. Tokens come from sqlglot's
tokenizer, so text in strings and comments never looks like a keyword.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

import sqlglot
from sqlglot.parser import Parser
from sqlglot.tokens import Token, TokenType

from .text import MARKER, STATEMENT_WORDS
from .tree import keys_only, record_reads, touch_dropped
from .facts import Facts, Hit, Knowledge, Made, StatementArguments, destination_details, display_name
from .predicate import always_true

logging.getLogger("sqlglot").setLevel(logging.CRITICAL)

_PUNCT = frozenset({TokenType.COMMA, TokenType.L_PAREN, TokenType.R_PAREN, TokenType.SEMICOLON, TokenType.EQ,
                    TokenType.DOT, TokenType.STAR})


def _is_string(tok: Token) -> bool:
    return tok.token_type.name.endswith("STRING")


class Words:
    """The statement's tokens with upper-cased texts (strings marked) and small readers."""

    def __init__(self, tokens: Sequence[Token], source: str, dialect: str | None) -> None:
        self.tokens = list(tokens)
        self.words = ["" if _is_string(t) else t.text.upper() for t in self.tokens]
        self.source = source
        self.dialect = dialect

    def __len__(self) -> int:
        return len(self.tokens)

    def at(self, i: int) -> str:
        return self.words[i] if 0 <= i < len(self.words) else ""

    def find(self, *sequence: str, start: int = 0) -> int:
        """Index of the first occurrence of the word sequence at or after ``start``, or -1."""
        for i in range(start, len(self.words) - len(sequence) + 1):
            if tuple(self.words[i:i + len(sequence)]) == sequence:
                return i
        return -1

    def skip(self, i: int, *optional: tuple[str, ...]) -> int:
        """Skip any of the optional word sequences (in any order) starting at ``i``."""
        moved = True
        while moved:
            moved = False
            for seq in optional:
                if tuple(self.words[i:i + len(seq)]) == seq:
                    i += len(seq)
                    moved = True
        return i

    def name(self, i: int) -> tuple[str, int]:
        """A dotted object name starting at ``i`` and the index after it."""
        parts: list[str] = []
        while i < len(self.tokens):
            tok = self.tokens[i]
            if tok.token_type in _PUNCT or _is_string(tok):
                break
            parts.append(tok.text)
            if i + 1 < len(self.tokens) and self.tokens[i + 1].token_type == TokenType.DOT:
                i += 2
                continue
            i += 1
            break
        return display_name(parts), i

    def names(self, i: int) -> list[str]:
        """Comma-separated object names starting at ``i``."""
        found: list[str] = []
        while True:
            name, i = self.name(i)
            if not name:
                break
            found.append(name)
            if i >= len(self.tokens) or self.tokens[i].token_type != TokenType.COMMA:
                break
            i += 1
        return found

    def string_after(self, i: int) -> str | None:
        """The first string literal at or after ``i``."""
        for tok in self.tokens[i:]:
            if _is_string(tok):
                return tok.text
        return None

    def content_offset(self, i: int) -> int:
        """Where the text of string token ``i`` starts in the source (after its quote or $$ tag)."""
        tok = self.tokens[i]
        found = self.source.find(tok.text, tok.start, tok.end + 1) if tok.text else -1
        return found if found >= 0 else tok.start

    def text_from(self, i: int) -> str:
        if i >= len(self.tokens):
            return ""
        return self.source[self.tokens[i].start:self.tokens[-1].end + 1]

    def head(self, count: int = 3) -> str:
        return " ".join(t.text for t in self.tokens[:count])


def _drop(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    kind_words = next((kind for kind in sorted(k.drop_kinds, key=lambda x: -len(x.split()))
                       if w.find(*kind.split(), start=1) == 1), None)
    kind = kind_words or w.at(1)
    if kind in k.harmless_drop_kinds or " ".join(w.words[1:3]) in k.harmless_drop_kinds:
        return Facts()
    start = w.skip(1 + len(kind.split()), ("IF", "EXISTS"), ("BY",))
    targets = tuple(w.names(start))
    facts = Facts()
    touch_dropped(facts, kind, targets, k)
    critical = "CASCADE" in w.words or "PURGE" in w.words
    facts.hits.append(Hit(k.drop_rule(kind), targets, "drop", {"kind": kind},
                          {"cascade": "true"} if "CASCADE" in w.words else {}, critical=critical,
                          scratch=kind.startswith("TEMP"), removes=tuple((k.object_class(kind), t) for t in targets)))
    return facts


def _truncate(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    targets = tuple(w.names(w.skip(1, ("TABLE",), ("ONLY",), ("IF", "EXISTS"))))
    facts = Facts()
    for target in targets:
        facts.touch("table", target, "delete")
    facts.hits.append(Hit("sql.truncate", targets, "truncate"))
    return facts


_OUTER_JOINS = frozenset({"LEFT", "RIGHT", "FULL", "CROSS", "OUTER"})


_JOIN_ENDS = frozenset({"JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "WHERE", "SET", "OUTPUT", "OPTION",
                        "RETURNING"})


def _inner_join(w: Words, k: Knowledge) -> bool:
    """A JOIN ... ON that filters the rows (T-SQL ``DELETE t FROM t JOIN #chosen c ON ...``): not outer,
    not CROSS, and either joined to chosen rows (a subquery, a #temp table, a table variable, a trigger's
    pseudo-table) or on a condition that says more than which keys match (the tree reader's rule)."""
    for i, word in enumerate(w.words):
        on = w.find("ON", start=i)
        if word != "JOIN" or w.at(i - 1) in _OUTER_JOINS or on < 0:
            continue
        name, _ = w.name(i + 1)
        last = name.rsplit(".", 1)[-1]
        if not name or last.startswith(("#", "@")) or last in k.chosen_row_sources:
            return True
        end = next((j for j in range(on + 1, len(w)) if w.words[j] in _JOIN_ENDS), len(w))
        condition = w.source[w.tokens[on + 1].start:w.tokens[end - 1].end + 1] if end > on + 1 else ""
        try:
            parsed = sqlglot.parse_one(condition, read=w.dialect)
        except (sqlglot.errors.ParseError, sqlglot.errors.TokenError, ValueError):
            return True
        if not keys_only(parsed):
            return True
    return False


def _predicate_reason(w: Words, k: Knowledge) -> str | None:
    """Why a DELETE/UPDATE read from tokens touches every row, or None."""
    where = w.find("WHERE")
    if where < 0:
        return None if _inner_join(w, k) else "has no WHERE"
    text = w.text_from(where + 1)
    for dialect in (w.dialect, "postgres", "mysql"):
        try:
            predicate = sqlglot.parse_one(text, read=dialect)
        except (sqlglot.errors.ParseError, sqlglot.errors.TokenError, ValueError):
            continue
        if always_true(predicate, k.volatile_functions):
            return f"has an always-true WHERE ({text[:60]})"
        return None
    return None


def _delete(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    start = w.find("FROM")
    target, _ = w.name(w.skip(start + 1 if start >= 0 else 1, ("ONLY",)))
    facts = Facts()
    facts.touch("table", target, "delete")
    reason = _predicate_reason(w, k)
    if reason:
        facts.hits.append(Hit("sql.delete-all", (target,), "delete", {"reason": reason}))
    return facts


def _past_top(w: Words, i: int) -> int:
    """The index after T-SQL ``TOP (n) [PERCENT]`` / ``TOP n`` at ``i`` (``UPDATE TOP (500) t SET``), else ``i``."""
    if w.at(i) != "TOP":
        return i
    i += 1
    if w.at(i) == "(":
        depth = 0
        while i < len(w):
            depth += {"(": 1, ")": -1}.get(w.at(i), 0)
            i += 1
            if depth == 0:
                break
    else:
        i += 1
    return i + (w.at(i) == "PERCENT")


def _update(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    target, after = w.name(w.skip(_past_top(w, 1), ("ONLY",), ("LOW_PRIORITY",), ("IGNORE",)))
    target = _aliased(w, target)
    facts = Facts()
    facts.touch("table", target, "write")
    reason = _predicate_reason(w, k)
    if reason:
        facts.hits.append(Hit("sql.update-all", (target,), "update", {"reason": reason},
                              removes=_set_columns(w, w.find("SET", start=after), target)))
    return facts


def _aliased(w: Words, name: str) -> str:
    """The table an alias stands for (T-SQL ``UPDATE c SET ... FROM dbo.Carts c``), else ``name``."""
    for i, word in enumerate(w.words):
        if word in ("FROM", "JOIN"):
            table, after = w.name(i + 1)
            alias = w.at(after + 1) if w.at(after) == "AS" else w.at(after)
            if table and alias.lower() == name:
                return table
    return name


def _set_columns(w: Words, at: int, target: str) -> tuple[tuple[str, str], ...]:
    """The columns ``SET a = ..., b = ...`` overwrites; () when they cannot be read (then the whole table counts)."""
    if at < 0:
        return ()
    columns, depth, expect = [], 0, True
    for i in range(at + 1, len(w)):
        tok = w.tokens[i]
        if tok.token_type == TokenType.L_PAREN:
            depth += 1
        elif tok.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and w.words[i] in ("FROM", "WHERE", "RETURNING", "OUTPUT", "LIMIT", "ORDER"):
            break
        elif depth == 0 and tok.token_type == TokenType.COMMA:
            expect = True
        elif depth == 0 and expect:
            name, end = w.name(i)
            if w.at(end) != "=" or not name:
                return ()
            columns.append(("column", f"{target}.{name.rsplit('.', 1)[-1]}"))
            expect = False
    return tuple(columns)


def _alter(w: Words, k: Knowledge, external: dict[str, str]) -> Facts | None:
    kind = w.at(1)
    if kind == "MATERIALIZED":
        kind = "MATERIALIZED VIEW"
    target, after = w.name(w.skip(1 + len(kind.split()), ("IF", "EXISTS"), ("ONLY",)))
    facts = Facts()
    if kind in ("USER", "ROLE", "LOGIN"):
        granted = [o for o in k.superuser_options if w.find(*o.split(), start=after) >= 0]
        if granted:
            facts.hits.append(Hit("sql.alter-user-superuser", (target,), "alter",
                                  {"privileges": ", ".join(sorted(granted))}))
    else:
        facts.touch("database" if kind in k.database_kinds else "table", target, "write")
    for hit in _alter_actions(w, after, kind, target, k, facts):
        facts.hits.append(hit)
        if hit.renames is not None:
            facts.renamed.append(hit.renames)
    return facts


def _alter_removed(what: str, name: str, target: str) -> tuple[tuple[str, str], ...]:
    """What ``ALTER TABLE target DROP <what> name`` removes, as (class, name)."""
    if what in ("INDEX", "KEY"):
        return (("index", name),)
    if what == "PRIMARY":
        return (("constraint", f"{target}.primary key"),)
    if what in ("CONSTRAINT", "FOREIGN", "CHECK"):
        return (("constraint", f"{target}.{name}"),)
    return (("column", f"{target}.{name}"),)


def _added(w: Words, i: int, target: str, facts: Facts) -> None:
    """``ADD [COLUMN] [IF NOT EXISTS] c``, ``ADD CONSTRAINT n``, ``ADD PRIMARY KEY``, ``ADD INDEX i``."""
    what = w.at(i)
    if what == "CONSTRAINT":
        facts.made.append(Made("constraint", f"{target}.{w.name(i + 1)[0]}"))
    elif what == "PRIMARY":
        facts.made.append(Made("constraint", f"{target}.primary key"))
    elif what in ("INDEX", "KEY", "UNIQUE"):
        name = w.name(w.skip(i, ("UNIQUE",), ("INDEX",), ("KEY",)))[0]
        if name:
            facts.made.append(Made("index", name))
    elif what not in ("PARTITION", "FOREIGN", "CHECK", "(") and w.tokens[i:i + 1] and \
            w.tokens[i].token_type not in _PUNCT:
        start = w.skip(i, ("COLUMN",))
        proven = w.find("IF", "NOT", "EXISTS", start=start) != start
        column = w.name(w.skip(start, ("IF", "NOT", "EXISTS")))[0]
        if column:
            facts.made.append(Made("column", f"{target}.{column}", proven=proven))


def _alter_actions(w: Words, i: int, kind: str, target: str, k: Knowledge, facts: Facts) -> list[Hit]:
    hits: list[Hit] = []
    start = i
    while i < len(w):
        word = w.at(i)
        if word == "ADD" and kind == "TABLE" and (i == start or w.tokens[i - 1].token_type == TokenType.COMMA):
            _added(w, i + 1, target, facts)
        elif word == "DROP":
            what = w.at(i + 1)
            rule = k.alter_drop_kinds.get(what)
            if rule is None and kind == "TABLE" and what not in k.alter_drop_harmless:
                rule = k.alter_drop_kinds.get("COLUMN")
            if rule:
                column, _ = w.name(w.skip(i + 1, ("COLUMN",), ("CONSTRAINT",), ("INDEX",), ("KEY",), ("IF", "EXISTS")))
                removed = _alter_removed(what, column, target)
                hits.append(Hit(rule, (target,), "alter", {"column": column, "kind": kind},
                                {"cascade": "true"} if w.find("CASCADE", start=i) > 0 else {},
                                removes=removed if rule != "sql.alter-drop-partition" else ()))
        elif word in ("DELETE", "UPDATE") and kind == "TABLE" and (i == start or w.at(i - 1) == ","):
            # ClickHouse mutations: ALTER TABLE t DELETE WHERE ... / UPDATE c = ... WHERE ...
            reason = _predicate_reason(Words(w.tokens[i:], w.source, w.dialect), k)
            if reason and word == "DELETE":
                hits.append(Hit("sql.delete-all", (target,), "delete", {"reason": reason}))
            elif reason:
                hits.append(Hit("sql.update-all", (target,), "update", {"reason": reason},
                                removes=_set_columns(w, i, target)))
        elif word in k.partition_removals and w.at(i + 1) in ("PARTITION", "SUBPARTITION") and kind == "TABLE":
            hits.append(Hit("sql.alter-drop-partition", (target,), "alter", {"kind": kind}))
        elif word == "RENAME":
            if w.at(i + 1) in ("TO", "AS"):
                new_name = w.name(i + 2)[0]
                hits.append(Hit("sql.alter-rename-table", (target,), "rename", {"kind": kind},
                                {"new_name": new_name}, renames=(k.object_class(kind), target, new_name)))
            elif kind == "TABLE":
                column, after = w.name(w.skip(i + 1, ("COLUMN",)))
                new_column = w.name(after + 1)[0] if w.at(after) == "TO" else ""
                hits.append(Hit("sql.alter-rename-column", (target,), "rename", {"column": column},
                                removes=(("column", f"{target}.{column}"),),
                                renames=("column", f"{target}.{column}", f"{target}.{new_column}")
                                if new_column else None))
        elif word in k.retention_settings and w.at(i + 1) == "=" and w.tokens[i + 2:i + 3] and \
                w.tokens[i + 2].text.strip("'") == "0":
            hits.append(Hit("sql.disable-time-travel", (target,), "alter", {"setting": word, "value": "0"}))
        i += 1
    return hits


def _grant(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    facts = Facts()
    to = w.find("TO")
    if to >= 0 and any(w.at(j) in k.public_principals for j in range(to + 1, len(w))):
        on = w.find("ON")
        privileges = " ".join(w.words[1:on if on > 0 else to])
        scope = w.skip(on + 1, ("TABLE",), ("ALL", "TABLES", "IN", "SCHEMA"), ("SCHEMA",), ("DATABASE",))
        target = w.name(scope)[0] if on > 0 else ""
        facts.hits.append(Hit("sql.grant-public", (target,) if target else (), "grant", {"privileges": privileges},
                              critical=privileges.startswith("ALL")))
    return facts


def _revoke(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    facts = Facts()
    on = w.find("ON")
    source = w.find("FROM")
    principals = [w.at(j) for j in range(source + 1, len(w)) if w.at(j) not in (",", ";", "CASCADE", "RESTRICT")]
    if source > on and principals and all(p in k.public_principals for p in principals):
        return facts   # REVOKE ALL ... FROM PUBLIC takes back the blanket access everybody had: hardening
    if w.at(1) == "ALL" or (on > 0 and w.at(on + 1) == "ALL"):
        privileges = " ".join(w.words[1:on if on > 0 else 2])
        scope = w.skip(on + 1, ("ALL",), ("TABLES", "IN", "SCHEMA"), ("SEQUENCES", "IN", "SCHEMA"),
                       ("FUNCTIONS", "IN", "SCHEMA"), ("TABLE",), ("SCHEMA",), ("DATABASE",)) if on > 0 else len(w)
        target = w.name(scope)[0]
        facts.hits.append(Hit("sql.revoke-all", (target,) if target else (), "revoke",
                              {"privileges": privileges or "ALL"}))
    return facts


def _copy(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    facts = Facts()
    if w.at(1) == "INTO":
        tok = w.tokens[2] if len(w) > 2 else None
        destination = tok.text if tok is not None else ""
        if tok is not None and (_is_string(tok) or destination.startswith("@")):
            sources = tuple(w.names(w.find("FROM") + 1)) if w.find("FROM") > 0 else ()
            for s in sources:
                facts.touch("table", s, "read")
            facts.hits.append(Hit("sql.copy-into-location", sources, "export", {"destination": destination},
                                  destination_details(destination)))
        return facts
    source = w.name(1)[0]
    to = w.find("TO")
    if to < 0:
        from_program = w.find("FROM", "PROGRAM")
        if from_program > 0 and w.string_after(from_program):
            facts.embedded_shell.append(w.string_after(from_program) or "")
        return facts
    if source:
        facts.touch("table", source, "read")
    if w.at(to + 1) == "PROGRAM":
        program = w.string_after(to + 1) or ""
        facts.hits.append(Hit("sql.copy-to-program", (source,) if source else (), "export",
                              {"program": program[:120]}, {"program": program},
                              embedded=("shell", program) if program else None))
    elif to + 1 < len(w) and _is_string(w.tokens[to + 1]):
        destination = w.tokens[to + 1].text
        facts.hits.append(Hit("sql.copy-to-file", (source,) if source else (), "export",
                              {"destination": destination}, destination_details(destination)))
    return facts


def _query_reads(text: str, dialect: str | None, facts: Facts) -> tuple[str, ...]:
    """Tables read by a query given as a string (UNLOAD ('SELECT ...'))."""
    for read in (dialect, "postgres"):
        try:
            record_reads(sqlglot.parse_one(text, read=read), facts, set())
            break
        except (sqlglot.errors.ParseError, sqlglot.errors.TokenError, ValueError):
            continue
    return tuple(t for _, t, access in facts.touches if access == "read")


def _unload(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    facts = Facts()
    query = w.string_after(1) or ""
    to = w.find("TO")
    destination = (w.string_after(to + 1) or "") if to > 0 else ""
    sources = _query_reads(query, w.dialect, facts)
    facts.hits.append(Hit("sql.unload", sources, "export", {"destination": destination or "a location"},
                          destination_details(destination) if destination else {}))
    return facts


def _vacuum(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    facts = Facts()
    retain = w.find("RETAIN")
    target = w.name(w.skip(1, ("FULL",), ("FREEZE",), ("VERBOSE",), ("ANALYZE",), ("LITE",)))[0]
    if retain > 0:
        try:
            hours = float(w.tokens[retain + 1].text)
        except (IndexError, ValueError):
            return facts
        if w.at(retain + 2).startswith("DAY"):
            hours *= 24
        if hours < k.vacuum_min_retain_hours:
            facts.touch("table", target, "delete")
            facts.hits.append(Hit("sql.vacuum-retain", (target,), "vacuum", {"hours": f"{hours:g}"}))
    return facts


def _remove(w: Words, k: Knowledge, external: dict[str, str]) -> Facts | None:
    if len(w) < 2 or not (w.tokens[1].text.startswith("@") or _is_string(w.tokens[1])):
        return None
    target = w.text_from(1).split()[0]
    facts = Facts()
    facts.hits.append(Hit("sql.remove-stage", (target,), "remove"))
    return facts


def _purge(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    what = w.at(1)
    target = w.name(2)[0] if what in ("TABLE", "INDEX", "TABLESPACE") else what.lower()
    facts = Facts()
    facts.hits.append(Hit("sql.purge", (target,) if target else (), "purge", critical=what in k.purge_everyone))
    return facts


def _export(w: Words, k: Knowledge, external: dict[str, str]) -> Facts | None:
    if w.at(1) == "DATABASE":
        # DuckDB: EXPORT DATABASE 'dir' writes every table of the database there (a path or a bucket).
        destination = w.string_after(2) or ""
        facts = Facts()
        facts.hits.append(Hit("sql.copy-to-file", ("the whole database",), "export",
                              {"destination": destination or "a location"},
                              destination_details(destination) if destination else {}))
        return facts
    if w.at(1) != "DATA":
        return None
    facts = Facts()
    uri = w.find("URI")
    destination = (w.string_after(uri) or "") if uri > 0 else ""
    select = w.find("AS")
    sources = _query_reads(w.text_from(select + 1), w.dialect, facts) if select > 0 else ()
    facts.hits.append(Hit("sql.export-data", sources, "export", {"destination": destination or "a location"},
                          destination_details(destination) if destination else {}))
    return facts


def _from_names(w: Words) -> list[str]:
    names = []
    for i, word in enumerate(w.words):
        if word in ("FROM", "JOIN") and not (i + 1 < len(w) and w.tokens[i + 1].token_type == TokenType.L_PAREN):
            name = w.name(i + 1)[0]
            if name:
                names.append(name)
    return names


def _select(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    facts = Facts()
    for name in _from_names(w):
        facts.touch("table", name, "read")
    for kind in ("OUTFILE", "DUMPFILE"):
        at = w.find("INTO", kind)
        if at >= 0:
            destination = w.string_after(at + 2) or ""
            facts.hits.append(Hit("sql.select-into-outfile", _sources(facts), "export",
                                  {"kind": kind, "destination": destination}, destination_details(destination)))
    return facts


def _sources(facts: Facts) -> tuple[str, ...]:
    return tuple(t for _, t, access in facts.touches if access == "read")


def _insert(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    facts = Facts()
    for name in _from_names(w):
        facts.touch("table", name, "read")
    if w.at(1) == "OVERWRITE" and w.find("DIRECTORY") in (2, 3):
        destination = w.string_after(2) or ""
        facts.hits.append(Hit("sql.insert-overwrite-directory", _sources(facts), "export",
                              {"destination": destination}, destination_details(destination)))
        return facts
    target = w.name(w.skip(1, ("OVERWRITE",), ("INTO",), ("IGNORE",), ("TABLE",)))[0]
    facts.touch("table", target, "write")
    if w.at(1) == "OVERWRITE":
        facts.hits.append(Hit("sql.insert-overwrite", (target,), "overwrite"))
    if target in external:
        facts.hits.append(Hit("sql.external-table-write", (target,), "export", {"destination": external[target]},
                              destination_details(external[target])))
    return facts


_ROUTINES = frozenset({"PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "PACKAGE"})
def created_object(w: Words, k: Knowledge) -> tuple[str, str, bool] | None:
    """(kind, name, proven) of ``CREATE [OR REPLACE] [modifiers] KIND [IF NOT EXISTS] name``, or None.
    The kind is the first word after CREATE that names a kind of object the catalogue knows
    (modifiers such as TEMPORARY, UNIQUE or MySQL's DEFINER = `u`@`h` stand before it)."""
    kinds = k.creatable_kinds
    # A kind after ON names what the new object is made on (Snowflake CREATE STREAM s ON TABLE t):
    # t is not made here.
    end = next((j for j in range(1, min(len(w), 16)) if w.at(j) == "ON" and w.tokens[j].token_type not in _PUNCT),
               min(len(w), 16))
    i = next((j for j in range(1, end) if w.at(j) in kinds and w.tokens[j].token_type not in _PUNCT), -1)
    if i < 0:
        return None
    kind = w.at(i)
    if w.at(i + 1) in ("BODY", "FORMAT"):
        kind, i = f"{kind} {w.at(i + 1)}", i + 1   # PACKAGE BODY, TYPE BODY, FILE FORMAT
    start = w.skip(i + 1, ("CONCURRENTLY",))
    proven = w.find("IF", "NOT", "EXISTS", start=start) != start
    name = w.name(w.skip(start, ("IF", "NOT", "EXISTS")))[0]
    if not name or name == "on":
        return None   # CREATE INDEX ON t (...): no name to find it by
    head = set(w.words[1:i])
    return kind, name, proven or ("OR" in head and ("REPLACE" in head or "ALTER" in head))


def _create(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    facts = Facts()
    made = created_object(w, k)
    if made is not None:
        facts.made.append(Made(k.object_class(made[0]), made[1], made[2]))
    routine = made[0] if made is not None and (made[0].split()[0] in _ROUTINES or k.body_of(made[0])) else ""
    if routine:
        return _routine(w, routine, made[1] if made else "", facts, k, external)
    if made is not None and k.object_class(made[0]) != "table":
        return facts   # CREATE TYPE t AS TABLE OF NUMBER makes a type, not a table
    table = w.find("TABLE")
    if table < 0 or table > 6:
        return facts
    target = w.name(w.skip(table + 1, ("IF", "NOT", "EXISTS")))[0]
    facts.touch("table", target, "write")
    modifiers = set(w.words[1:table])
    if modifiers & {"TEMP", "TEMPORARY", "VOLATILE"}:
        facts.temp_tables.append(target)
    location = w.find("LOCATION")
    where = (w.string_after(location) or "") if location > 0 else ""
    if where and ("EXTERNAL" in modifiers or "://" in where):
        facts.external_tables[target] = where
    if {"OR", "REPLACE"} <= modifiers:
        facts.hits.append(Hit("sql.create-or-replace-table", (target,), "replace"))
    return facts


def _replace(w: Words, k: Knowledge, external: dict[str, str]) -> Facts | None:
    """Databricks / Delta ``REPLACE TABLE t ... AS SELECT``: CREATE OR REPLACE by another name (the
    old rows are gone). MySQL's ``REPLACE INTO`` is an upsert: not this."""
    if w.at(1) != "TABLE":
        return None
    target = w.name(2)[0]
    facts = Facts()
    facts.touch("table", target, "write")
    facts.hits.append(Hit("sql.create-or-replace-table", (target,), "replace"))
    return facts


def _routine(w: Words, kind: str, name: str, facts: Facts, k: Knowledge, external: dict[str, str]) -> Facts:
    """CREATE PROCEDURE p() BEGIN <statement>, CREATE EVENT e ... DO <statement>, CREATE TASK t ... AS
    <statement>: the body runs later (when called, on a schedule, on an event); its first statement
    shares this statement's text (the splitter cuts the rest at ';'). A PL/SQL header ending in
    IS / AS is followed by declarations; a body in a string ($$ ... $$) is read by the front end
    of its LANGUAGE."""
    begin = w.find("BEGIN")
    after, calls = k.body_of(kind) or ((), frozenset())
    # A body in a string follows one of the words (EXECUTE AS CALLER AS $$ ... $$); else the first
    # listed word that is there starts it (FOR EACH ROW before an AS of REFERENCING ... AS).
    starts = [at + len(words) for words in after for at in range(2, len(w))
              if tuple(w.words[at:at + len(words)]) == words]
    body = next((at for at in sorted(starts) if at < len(w) and _is_string(w.tokens[at])), -1)
    if body < 0:
        body = next((at + len(words) for words in after if (at := w.find(*words, start=2)) > 0), -1)
    if begin > 0 and (body < 0 or begin <= body):
        body = begin + 1 + k.begin.opening(w.words[begin + 1:begin + 3])   # BEGIN ATOMIC, BEGIN NOT ATOMIC
    if not 0 < body < len(w):
        return facts
    if _is_string(w.tokens[body]):
        _string_body(w, body, facts, k)
        facts.routines.append(name)
        return facts
    if w.at(body) in calls:
        return facts   # the body only names a function to run: judged where it is defined
    if begin < 0 and k.declares(kind) and not _starts_statement(w, body, k):
        facts.declares = True   # PL/SQL: CREATE PROCEDURE p IS <declarations> BEGIN ...
        return facts
    inner = block_body(w.tokens[body:], w.source, w.dialect, k, external)
    inner.made[:0] = facts.made
    inner.routines.append(name)
    return inner


def _starts_statement(w: Words, i: int, k: Knowledge) -> bool:
    word = w.at(i)
    return word in CLASSIFIERS or word in k.procedural_harmless or k.is_harmless(w.words[i:]) or word in _BLOCK_STARTS


def _string_body(w: Words, at: int, facts: Facts, k: Knowledge) -> None:
    """A routine body written as a string: SQL is read as SQL, Python by the Python front end;
    in any other language only the SQL statements in its strings are read."""
    language = w.at(w.find("LANGUAGE") + 1) if w.find("LANGUAGE") > 0 else "SQL"
    reader = k.languages.get(language, "")
    text = w.tokens[at].text
    if reader == "sql":
        facts.embedded_sql.append((text, w.content_offset(at)))
    elif reader:
        facts.embedded_code.append((reader, text))
    else:
        start = w.content_offset(at)
        facts.embedded_sql.extend((statement, start + offset)
                                  for statement, offset in sql_in_strings_at(text, prose=True))


_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"|`((?:[^`\\]|\\.)*)`", re.S)


def sql_in_strings(code: str, prose: bool = False) -> list[str]:
    """The string literals of some code that are SQL statements (``"DELETE FROM t WHERE id = ?"``);
    see :func:`sql_in_strings_at`."""
    return [statement for statement, _ in sql_in_strings_at(code, prose)]


def sql_in_strings_at(code: str, prose: bool = False) -> list[tuple[str, int]]:
    """The string literals of some code that are SQL statements, each with where it starts in
    ``code``. Literals the code joins with values (``"DROP TABLE " + name``, ``"... LIKE '" + p +
    "%'"``) make one statement, with a hole for each value. ``prose``: the code also holds messages
    for people ("Delete failed", "Update complete"): a literal counts only with the words its
    statement needs (DELETE ... FROM, UPDATE ... SET)."""
    found: list[tuple[str, int]] = []
    joined_up_to = 0
    for match in _QUOTED.finditer(code):
        if match.start() < joined_up_to:
            continue   # a later piece of a statement already found
        literal = next(g for g in match.groups() if g is not None)
        words = literal.upper().split()
        if not words or words[0] not in STATEMENT_WORDS or (prose and not _statement_like(words)):
            continue
        statement, end = literal, match.end()
        while (join := _JOIN.match(code, end)) is not None:
            following = _QUOTED.match(code, join.end())
            value = None if following else _VALUE.match(code, join.end())
            if following is not None:
                statement += next(g for g in following.groups() if g is not None)
                end = following.end()
            elif value is not None and value.end() > join.end():
                statement += f" __execgate_hole_{len(found)}_{end}__ "
                end = value.end()
            else:
                break
        found.append((statement, match.start() + 1))
        joined_up_to = end
    return found


# How code joins a string to more (+ in JavaScript, Java, Python; || in SQL) and a value it joins
# (a name, a member, a call with simple arguments).
_JOIN = re.compile(r"\s*(?:\+|\|\|)\s*")
_VALUE = re.compile(r"[\w$.]+(?:\([^()\n]*\))?(?:\[[^\]\n]*\])?")


# The word a statement needs after its verb (within its first few words), for telling SQL from prose.
_NEEDS = {"DELETE": ("FROM",), "UPDATE": ("SET",), "INSERT": ("INTO", "OVERWRITE"), "MERGE": ("INTO", "USING"),
          "SELECT": ("FROM",), "WITH": ("AS",), "DROP": ("TABLE", "VIEW", "SCHEMA", "DATABASE", "INDEX", "STAGE"),
          "TRUNCATE": ("TABLE",), "CREATE": ("TABLE", "VIEW", "SCHEMA", "STAGE", "TASK", "PROCEDURE", "FUNCTION"),
          "ALTER": ("TABLE", "VIEW", "SCHEMA", "DATABASE", "WAREHOUSE", "TASK"), "COPY": ("INTO",),
          "GRANT": ("ON", "TO"), "REVOKE": ("ON", "FROM"), "CALL": ("(",), "EXECUTE": ("IMMEDIATE",)}


def reads_as_statement(text: str) -> bool:
    """A string that is a SQL statement, not a message for people: its verb with the words the
    statement needs (``TRUNCATE TABLE``), or with a value filled in right after it (``TRUNCATE {}``)."""
    words = text.upper().split()
    return bool(words) and words[0] in STATEMENT_WORDS and (
        _statement_like(words) or (len(words) > 1 and MARKER.fullmatch(words[1]) is not None))


def _statement_like(words: list[str]) -> bool:
    needed = _NEEDS.get(words[0])
    if needed is None:
        return len(words) >= 3
    return any(n in word if n == "(" else word == n for word in words[1:8] for n in needed)


def _merge(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    target = w.name(w.skip(1, ("INTO",)))[0]
    facts = Facts()
    facts.touch("table", target, "write")
    for clause in (("WHEN", "MATCHED"), ("WHEN", "NOT", "MATCHED", "BY", "SOURCE")):
        if w.find(*clause, "THEN", "DELETE") >= 0:
            facts.hits.append(Hit("sql.merge-delete", (target,), "delete", {"clause": " ".join(clause)}))
            break
    return facts


def _rename(w: Words, k: Knowledge, external: dict[str, str]) -> Facts:
    target, after = w.name(w.skip(1, ("TABLE",)))
    new_name = w.name(after + 1)[0] if w.at(after) == "TO" else ""
    facts = Facts()
    renames = ("table", target, new_name) if new_name else None
    facts.hits.append(Hit("sql.alter-rename-table", (target,), "rename", {"kind": "TABLE"}, renames=renames))
    if renames is not None:
        facts.renamed.append(renames)
    return facts


def _execute(w: Words, k: Knowledge, external: dict[str, str]) -> Facts | None:
    """EXECUTE IMMEDIATE 'sql' / EXEC('sql') run a constant (analysed) or a variable (evasion)."""
    call = 2 if w.at(1) == "IMMEDIATE" else 1   # BigQuery: EXECUTE IMMEDIATE FORMAT(...)
    holes = k.template_functions.get(w.at(call))
    if holes is not None and w.at(call + 1) == "(" and len(w) > call + 2 and _is_string(w.tokens[call + 2]):
        # PL/pgSQL EXECUTE format('DROP TABLE %I', name): the template is the statement.
        facts = Facts()
        template = holes.sub("%s", w.tokens[call + 2].text)
        facts.embedded_sql.append((template, w.content_offset(call + 2)))
        return facts
    if k.string_builders.get(w.at(call)) == "every" and w.at(call + 1) == "(":
        # EXECUTE IMMEDIATE CONCAT('TRUNCATE TABLE `', target, '`'): the pieces, a hole for each value.
        built = _built_string(w, call + 2)
        if built is not None:
            facts = Facts()
            facts.embedded_sql.append((built, w.content_offset(call + 2)))
            return facts
    swallowed = _swallowed_immediate(w)
    if swallowed is not None:
        facts = Facts()
        facts.embedded_sql.append((swallowed, w.content_offset(1)))
        return facts
    procedure, after = _procedure_name(w)
    commands = k.foreach_procedures.get(procedure)
    if commands is not None:
        return _foreach(w, after, commands)
    if procedure in k.shell_procedures:
        return _shell_call(w, after)
    if procedure in k.harmless_procedures:
        return Facts()   # EXEC sp_help 'dbo.Orders': reports only
    renames = k.rename_procedures.get(procedure)
    if renames is not None:
        return _rename_call(w, after, renames)
    statement_arguments = k.statement_arguments.get(procedure)
    if statement_arguments is not None:
        constant = _statement_argument(w, after, statement_arguments)
        if constant is not None:
            return constant
    i = w.skip(1, ("IMMEDIATE",), *((name,) for name in sorted(k.exec_sql_procedures)), ("(",))
    immediate = w.at(1) in ("IMMEDIATE", "(") or w.at(1) in k.exec_sql_procedures or (
        len(w) > 1 and _is_string(w.tokens[1]))
    if not immediate:
        return None
    facts = Facts()
    if i < len(w) and _is_string(w.tokens[i]) and i + 1 < len(w) and w.tokens[i + 1].text in ("||", "+"):
        # EXECUTE IMMEDIATE 'DROP TABLE ' || p_table, EXEC('DROP TABLE ' + @t): the constant parts with
        # a hole for each value.
        parts, j = [], i
        while j < len(w):
            token = w.tokens[j]
            if token.text in ("||", "+") or (token.text == "@" and j + 1 < len(w)):
                j += 1
                continue
            if token.text in (";", "USING", "INTO"):
                break
            parts.append(token.text if _is_string(token) else f" __execgate_hole_{j}__ ")
            j += 1
        facts.embedded_sql.append(("".join(parts), w.content_offset(i)))
    elif i < len(w) and _is_string(w.tokens[i]):
        facts.embedded_sql.append((w.tokens[i].text, w.content_offset(i)))
    else:
        facts.hits.append(Hit("sql.dynamic-sql", (), w.head(2), {"verb": w.head(2)}))
    return facts


def _procedure_name(w: Words) -> tuple[str, int]:
    """The (upper-case, unqualified) name of the procedure ``EXEC`` calls (``master..xp_cmdshell``:
    XP_CMDSHELL) and the index after it."""
    i, last = 1, ""
    while i < len(w) and (w.tokens[i].token_type in (TokenType.VAR, TokenType.IDENTIFIER) or w.tokens[i].text == "."):
        last = w.tokens[i].text if w.tokens[i].text != "." else last
        i += 1
    return last.upper(), i


def _rename_call(w: Words, i: int, renames: dict[str, str]) -> Facts:
    """``EXEC sp_rename 'dbo.Orders', 'Orders_old'`` (a third argument 'COLUMN' renames a column):
    a rename, as ALTER ... RENAME is; the new name stays in the old one's schema."""
    arguments = dict(_arguments(w, i))

    def value(position: str, name: str) -> str:
        at = arguments.get(position, arguments.get(name, -1))
        return w.tokens[at].text if at >= 0 and _is_string(w.tokens[at]) else ""

    old, new = value("1", "@objname").lower(), value("2", "@newname").lower()
    kind = value("3", "@objtype").upper()
    facts = Facts()
    rule = renames.get(kind or "OBJECT")
    if rule is None:
        return facts   # sp_rename of an index or statistics: nothing a reader names by it
    if not old:
        facts.hits.append(Hit("sql.dynamic-sql", (), w.head(2), {"verb": w.head(2)}))
        return facts
    parent, _, last = old.rpartition(".")
    moved = f"{parent}.{new}" if parent else new
    if rule == "sql.alter-rename-column":
        hit = Hit(rule, (parent,), "rename", {"column": last}, removes=(("column", old),),
                  renames=("column", old, moved) if new else None)
    else:
        hit = Hit(rule, (old,), "rename", {"kind": "TABLE"}, {"new_name": moved},
                  renames=("table", old, moved) if new else None)
    facts.hits.append(hit)
    if hit.renames is not None:
        facts.renamed.append(hit.renames)
    return facts


def _statement_argument(w: Words, i: int, spec: StatementArguments) -> Facts | None:
    """``EXEC sp_executesql @stmt = N'...'``, ``EXEC msdb.dbo.sp_add_jobstep ..., @command = N'...'``:
    the constant command, read as SQL or (a step whose subsystem runs commands) given to the shell
    front end; None when no argument holding one is a constant or the subsystem is neither."""
    arguments = _arguments(w, i)
    switch = next((w.tokens[at].text.upper() for key, at in arguments
                   if key == spec.switch and _is_string(w.tokens[at])), None)
    constants = [at for key, at in arguments if key in spec.arguments and _is_string(w.tokens[at])]
    if not constants:
        return None
    facts = Facts()
    if switch is None or switch in spec.sql:
        facts.embedded_sql.extend((w.tokens[at].text, w.content_offset(at)) for at in constants)
    elif switch in spec.shell:
        facts.embedded_shell.extend(w.tokens[at].text for at in constants)
    else:
        return None
    return facts


def _shell_call(w: Words, i: int) -> Facts:
    """``EXEC xp_cmdshell 'cmd'``: the server's shell runs the command (the shell front end judges
    it); a variable's command is looked up where the statements are read in order."""
    facts = Facts()
    i += w.at(i) == "("
    if i < len(w) and _is_string(w.tokens[i]):
        facts.embedded_shell.append(w.tokens[i].text)
    elif i + 1 < len(w) and w.tokens[i].text == "@":
        facts.shell_variables.append("@" + w.tokens[i + 1].text.lower())
    else:
        facts.hits.append(Hit("sql.dynamic-sql", (), w.head(2), {"verb": w.head(2)}))
    return facts


def _arguments(w: Words, i: int) -> list[tuple[str, int]]:
    """The arguments of a T-SQL procedure call from ``i``: (``@name`` when named, else its 1-based
    position, the index of its value's first token)."""
    found: list[tuple[str, int]] = []
    position = 1
    while i < len(w):
        named = ""
        if w.tokens[i].text == "@" and i + 3 < len(w) and w.tokens[i + 2].text == "=":
            named, i = "@" + w.tokens[i + 1].text.lower(), i + 3
        if i < len(w):
            found.append((named or str(position), i))
        while i < len(w) and w.tokens[i].token_type != TokenType.COMMA:
            i += 1
        i, position = i + 1, position + 1
    return found


def _foreach(w: Words, i: int, commands: frozenset[str]) -> Facts:
    """``EXEC sp_MSforeachtable 'TRUNCATE TABLE ?'`` / ``@command1 = N'...'``: each command runs once
    for every table (database), ``?`` standing for its name: read as SQL with a hole for the name."""
    facts = Facts()
    for key, at in _arguments(w, i):
        if _is_string(w.tokens[at]) and key in commands:
            facts.embedded_sql.append((w.tokens[at].text.replace("?", " __execgate_hole_0__ "), w.content_offset(at)))
    if not facts.embedded_sql:
        facts.hits.append(Hit("sql.dynamic-sql", (), w.head(2), {"verb": w.head(2)}))
    return facts


def _built_string(w: Words, i: int) -> str | None:
    """The string a string builder's arguments from ``i`` make (its closing parenthesis ends them):
    the literal pieces with a hole for each other argument; None when no piece is a literal."""
    pieces, depth, literal = [], 0, False
    for j in range(i, len(w)):
        tok = w.tokens[j]
        if tok.token_type == TokenType.L_PAREN:
            depth += 1
        elif tok.token_type == TokenType.R_PAREN:
            depth -= 1
            if depth < 0:
                break
        if depth == 0 and _is_string(tok):
            pieces.append(tok.text)
            literal = True
        elif depth == 0 and tok.token_type != TokenType.COMMA and (not pieces or not pieces[-1].endswith("__ ")):
            pieces.append(f" __execgate_hole_{j}__ ")
    return "".join(pieces) if literal else None


def _swallowed_immediate(w: Words) -> str | None:
    """Some tokenizers read ``EXECUTE <rest>`` as a command with its rest as one string:
    ``IMMEDIATE 'DROP TABLE ' || p_table`` -> the statement with a hole for each value."""
    if len(w) < 2 or not _is_string(w.tokens[1]):
        return None
    match = re.match(r"\s*IMMEDIATE\s+(.*)", w.tokens[1].text, re.S | re.I)
    if match is None:
        return None
    pieces = []
    for number, part in enumerate(re.split(r"\|\|", match.group(1).split(" USING ")[0].split(" INTO ")[0])):
        part = part.strip().rstrip(";")
        quoted = re.fullmatch(r"'((?:[^']|'')*)'", part, re.S)
        pieces.append(quoted.group(1).replace("''", "'") if quoted else f" __execgate_hole_{number}__ ")
    return "".join(pieces)


def _do(w: Words, k: Knowledge, external: dict[str, str]) -> Facts | None:
    """PostgreSQL ``DO $$ ... $$``: the block's statements are analysed as SQL."""
    index = next((i for i in range(1, len(w)) if _is_string(w.tokens[i])), None)
    if index is None:
        return None
    facts = Facts()
    facts.embedded_sql.append((w.tokens[index].text, w.content_offset(index)))
    return facts


_MAIN_VERBS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE"})


def _with(w: Words, k: Knowledge, external: dict[str, str]) -> Facts | None:
    """``WITH cte AS (...) <statement>``: classify the statement after the CTEs by its own verb."""
    depth = 0
    for i, tok in enumerate(w.tokens):
        if tok.token_type == TokenType.L_PAREN:
            depth += 1
        elif tok.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and i > 0 and w.words[i] in _MAIN_VERBS and w.tokens[i - 1].token_type == TokenType.R_PAREN:
            main = CLASSIFIERS[w.words[i]](Words(w.tokens[i:], w.source, w.dialect), k, external)
            if main is not None:
                for name in _from_names(w):
                    main.touch("table", name, "read")
            return main
    return _select(w, k, external)


# Control-flow words a statement may start with -> the words that end the prefix (None: the word alone).
_BLOCK_STARTS = {"BEGIN": None, "LOOP": None, "ELSE": None, "THEN": None, "REPEAT": None, "TRY": None, "CATCH": None,
                 "FOR": ("LOOP", "DO"), "WHILE": ("LOOP", "DO", "BEGIN"), "FOREACH": ("LOOP",), "ELSIF": ("THEN",),
                 "ELSEIF": ("THEN",), "EXCEPTION": ("THEN",), "WHEN": ("THEN",), "CASE": ("THEN",)}


_FORALL_DML = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "EXECUTE"})
# What END closes, when a label may follow (END LOOP outer_loop).
_CLOSED = frozenset({"LOOP", "WHILE", "FOR", "REPEAT", "CASE", "IF"})


def _label_end(w: Words) -> int:
    """Where the statement starts after a label (MySQL ``read_loop: LOOP``, PL/SQL ``<<outer>>``), else 0."""
    if len(w) > 2 and w.tokens[0].token_type in (TokenType.VAR, TokenType.IDENTIFIER) and \
            w.tokens[1].token_type == TokenType.COLON and w.tokens[2].text != "=":
        return 2
    if len(w) > 5 and [t.text for t in w.tokens[:2]] == ["<", "<"] and [t.text for t in w.tokens[3:5]] == [">", ">"]:
        return 5
    return 0


def _assigned(w: Words) -> int | None:
    """For an assignment (``x := ...``, ``LET x [type] := ...`` / ``DEFAULT ...``), the index of the
    statement its value runs (inside the parentheses that close the statement), else 0; None when
    the statement is no assignment."""
    start = 1 if w.at(0) in ("LET", ":") else 0   # LET x := ...; :NEW.col := ... (a PL/SQL bind variable)
    if not start and w.at(0) in CLASSIFIERS:
        return None   # UPDATE t SET a := 1 is an UPDATE
    at = next((i for i in range(start + 1, min(len(w), start + 4))
               if w.tokens[i].text == ":=" or (w.tokens[i].text == ":" and w.at(i + 1) == "=")
               or (start and w.at(i) == "DEFAULT")), None)
    if at is None:
        return 0 if w.at(0) == "LET" else None   # LET c CURSOR FOR SELECT ...: a declaration
    value = at + (2 if w.tokens[at].text == ":" else 1)
    if w.at(value) == "(" and w.at(value + 1) in STATEMENT_WORDS and w.tokens[-1].token_type == TokenType.R_PAREN:
        return value + 1
    return 0


def _procedural_rest(w: Words, k: Knowledge) -> int | None:
    """Index of the statement inside a control-flow prefix (``BEGIN``, ``FOR ... LOOP``,
    ``WHEN ... THEN``), or None when the statement does not start with one."""
    first = w.at(0)
    if first == "FORALL":
        # PL/SQL FORALL i IN 1 .. n [SAVE EXCEPTIONS] <DML>: the DML runs for every index.
        return next((i for i in range(2, len(w)) if w.at(i) in _FORALL_DML), None)
    if first not in _BLOCK_STARTS or len(w) < 2:
        return None
    until = _BLOCK_STARTS[first]
    if until is None:
        if first == "BEGIN" and k.begin.starts_transaction(w.at(1)):
            return None   # BEGIN TRANSACTION
        return 1
    for index in range(1, len(w)):
        if w.at(index) in until:
            return index + 1
    return None


# Statements that may follow an IF condition directly (IS NOT NULL is part of the condition).
_IF_BODY_STARTS = frozenset({"ROLLBACK", "COMMIT", "PRINT", "SET", "BEGIN", "RAISERROR", "THROW", "RAISE", "RETURN",
                             "EXIT", "CONTINUE", "LEAVE", "SIGNAL", "PERFORM"})


def _procedure_call(w: Words, k: Knowledge) -> Facts | None:
    """A statement that is only a call (PL/SQL ``dbms_stats.gather_table_stats(...)``, ``proc;``):
    known read-only packages are harmless, anything else runs stored code execgate cannot see."""
    tokens = w.tokens
    if not tokens or tokens[0].token_type not in (TokenType.VAR, TokenType.IDENTIFIER) or w.at(0) in CLASSIFIERS:
        return None
    index = 1
    while index + 1 < len(tokens) and tokens[index].text == "." and \
            tokens[index + 1].token_type in (TokenType.VAR, TokenType.IDENTIFIER):
        index += 2
    if index >= len(tokens) and index == 1:
        return None   # a lone word (SHUTDOWN) is not known to be a call: it stays unclassified
    if index < len(tokens) and tokens[index].text != "(":
        return None
    name = ".".join(t.text for t in tokens[:index] if t.text != ".").upper()
    if name.split(".")[0] in k.harmless_procedures or name in k.harmless_procedures:
        return Facts()
    if name.lower() in k.sql_string_functions:
        # DBMS_SCHEDULER.CREATE_JOB(job_action => 'BEGIN purge; END;'): the string is code that runs.
        facts = Facts()
        facts.embedded_sql.extend((w.tokens[i].text, w.content_offset(i)) for i in range(index, len(w))
                                  if _is_string(w.tokens[i]) and _runs_sql(w.tokens[i].text))
        return facts
    return Facts(hits=[Hit("sql.opaque-call", (name.lower(),), name.lower(), {"verb": name.lower()},
                           {"routine": display_name(name.split("."))})])


def _if(w: Words, k: Knowledge, external: dict[str, str]) -> Facts | None:
    """``IF <condition> [THEN] <statement>`` (T-SQL, PL/pgSQL, PL/SQL): classify the statement
    after the condition; a condition followed only by harmless statements is harmless."""
    depth = 0
    for i, tok in enumerate(w.tokens[1:], start=1):
        if tok.token_type == TokenType.L_PAREN:
            depth += 1
        elif tok.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and w.words[i] == "THEN":
            return classify(w.tokens[i + 1:], w.source, w.dialect, k, external) if i + 1 < len(w) else Facts()
        elif depth == 0 and (w.words[i] in CLASSIFIERS or w.words[i] in _IF_BODY_STARTS):
            return classify(w.tokens[i:], w.source, w.dialect, k, external)
    return None


Classifier = Callable[[Words, Knowledge, dict[str, str]], "Facts | None"]
CLASSIFIERS: dict[str, Classifier] = {
    "DROP": _drop, "TRUNCATE": _truncate, "DELETE": _delete, "UPDATE": _update, "ALTER": _alter,
    "GRANT": _grant, "REVOKE": _revoke, "COPY": _copy, "UNLOAD": _unload, "VACUUM": _vacuum,
    "REMOVE": _remove, "RM": _remove, "PURGE": _purge, "EXPORT": _export, "SELECT": _select,
    "WITH": _with, "INSERT": _insert, "CREATE": _create, "MERGE": _merge, "RENAME": _rename,
    "EXECUTE": _execute, "EXEC": _execute, "DO": _do, "IF": _if, "REPLACE": _replace,
}


def classify(tokens: Sequence[Token], source: str, dialect: str | None, k: Knowledge,
             external: dict[str, str]) -> Facts:
    """Facts of a statement from its tokens; ``Facts.error`` says when it cannot be classified."""
    w = Words(tokens, source, dialect)
    first = w.at(0)
    if first in ("(",):
        return classify(tokens[1:], source, dialect, k, external)
    if first == "END" and len(tokens) > 1:
        # END LOOP / END IF / END TRANSACTION close something; a T-SQL END without a ';' runs
        # into the next statement (END WHILE 1 = 1 BEGIN DELETE ...): that one is read.
        if len(tokens) == 2 or (len(tokens) == 3 and w.at(1) in _CLOSED and
                                tokens[2].token_type in (TokenType.VAR, TokenType.IDENTIFIER)):
            return Facts()   # END LOOP, END IF, END my_procedure, END LOOP my_label
        return classify(tokens[1:], source, dialect, k, external)
    label = _label_end(w)
    if label:
        return classify(tokens[label:], source, dialect, k, external) if label < len(tokens) else Facts()
    if first == "DECLARE" or (first in k.declaration_words and first in _ROUTINES):
        # PL/SQL DECLARE ... BEGIN <statement>, a nested PROCEDURE p IS ... BEGIN <statement>: the
        # declarations run nothing; the body does. Without BEGIN the declarations go on in the next
        # statements (see opens_declarations).
        begin = w.find("BEGIN")
        if 0 < begin < len(tokens) - 1:
            return block_body(tokens[begin + 1:], source, dialect, k, external)
        return Facts(declares=first != "DECLARE" or opens_declarations(tokens))
    if first in k.declaration_words:
        return Facts()   # CURSOR c IS SELECT ...; TYPE t IS TABLE OF ...; PRAGMA ...: declarations
    if first == "UPDATE STATISTICS" or (first == "UPDATE" and w.at(1) == "STATISTICS"):
        return Facts()   # T-SQL UPDATE STATISTICS t: refreshes the optimiser's statistics
    assigned = _assigned(w)
    if assigned is not None:
        # x := expr; LET x := expr: nothing runs, unless the value is a statement in parentheses
        # (Snowflake LET rs RESULTSET := (EXECUTE IMMEDIATE :stmt)).
        return classify(tokens[assigned:-1], source, dialect, k, external) if assigned else Facts()
    if first in k.procedural_harmless:
        return Facts()   # RETURN x; PERFORM f(); RAISE NOTICE ...; THROW;
    rest = _procedural_rest(w, k)
    if rest is not None:
        # PL/pgSQL, T-SQL and PL/SQL control flow: what matters is the statement it runs.
        return classify(tokens[rest:], source, dialect, k, external) if rest < len(tokens) else Facts()
    classifier = CLASSIFIERS.get(first)
    facts = classifier(w, k, external) if classifier is not None else None
    if facts is not None:
        return facts
    call = _procedure_call(w, k)
    if call is not None:
        return call
    if w.at(0) in k.opaque_keywords:
        # Stored code runs: not unreadable input, but code execgate cannot see (evasion: warns,
        # blocks in prod under fail_closed).
        routine = w.name(w.skip(1, ("PROCEDURE",), ("FUNCTION",)))[0]
        return Facts(hits=[Hit("sql.opaque-call", (w.head(2),), w.head(2), {"verb": w.head(2)},
                               {"routine": routine} if routine else {})])
    if k.is_harmless(w.words):
        return Facts()
    snippet = " ".join(t.text for t in tokens[:4])[:60]
    return Facts(error=f"could not classify SQL statement starting {snippet!r}")


def _runs_sql(text: str) -> bool:
    words = text.split(None, 1)
    return bool(words) and (words[0].upper() in STATEMENT_WORDS or words[0].upper() in ("BEGIN", "DECLARE"))


_DECLARED_AS = frozenset({"CONSTANT", "CURSOR", "EXCEPTION", "RECORD", "RESULTSET", "ALIAS"})


def is_declaration(tokens: Sequence[Token], k: Knowledge) -> bool:
    """A declaration in a DECLARE section (``r record``, ``c CURSOR FOR ...``, ``v CONSTANT NUMBER := 1``,
    ``TYPE t IS TABLE OF ...``, ``FUNCTION f(p NUMBER) RETURN NUMBER``): a name and its type."""
    if len(tokens) < 2:
        return False
    first, second = tokens[0], tokens[1]
    if first.text.upper() in k.declaration_words:
        return True
    return first.token_type in (TokenType.VAR, TokenType.IDENTIFIER) and (
        second.token_type in (TokenType.VAR, TokenType.IDENTIFIER) or second.token_type in Parser.TYPE_TOKENS
        or second.text.upper() in _DECLARED_AS)


def opens_declarations(tokens: Sequence[Token]) -> bool:
    """A ``DECLARE`` that starts a section of declarations (PL/SQL, PL/pgSQL, Snowflake scripting),
    not a T-SQL ``DECLARE @x INT`` that declares one variable and ends."""
    return bool(tokens) and tokens[0].text.upper() == "DECLARE" and not (
        len(tokens) > 1 and tokens[1].text.startswith("@")) and not any(t.text.upper() == "BEGIN" for t in tokens)


def block_body(tokens: Sequence[Token], source: str, dialect: str | None, k: Knowledge,
               external: dict[str, str]) -> Facts:
    """Facts of the first statement of a procedural block: there a name alone calls that procedure
    (PL/SQL ``BEGIN purge_old; END;``), which a statement of its own (``SHUTDOWN``) is not known to do."""
    facts = classify(tokens, source, dialect, k, external)
    if facts.error and is_lone_name(tokens):
        name = "".join(t.text for t in tokens).lower()
        return Facts(hits=[Hit("sql.opaque-call", (name,), name, {"verb": name}, {"routine": name})])
    return facts


def is_lone_name(tokens: Sequence[Token]) -> bool:
    """The statement is only a (dotted) name: ``purge_old``, ``hr_util.reset_log``."""
    return bool(tokens) and len(tokens) % 2 == 1 and all(
        t.token_type in (TokenType.VAR, TokenType.IDENTIFIER) if i % 2 == 0 else t.text == "."
        for i, t in enumerate(tokens))
