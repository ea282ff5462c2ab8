"""Exports through functions and procedures: calls that send data out of the database.

``EXEC msdb.dbo.sp_send_dbmail @recipients=..., @query=...``, Oracle ``UTL_HTTP.REQUEST(url)``,
``UTL_FILE.FOPEN(dir, file, 'w')``, ClickHouse ``INSERT INTO FUNCTION s3(url, ...)``, ``dblink_exec('host=h
...', sql)`` (kind ``conninfo``: no host is the local server): found in the
tokens of any statement (a SELECT list, a PL/SQL assignment, a procedure call), whatever tree the
statement has. Which routines export, and which argument says where to, is knowledge
(``export_routines`` and ``insert_table_functions`` in rules/sql.yaml); this module only reads the
call's arguments.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from sqlglot.tokens import Token, TokenType

from .facts import ExportRoutine, Hit, destination_details

_STRINGS = (TokenType.STRING, TokenType.NATIONAL_STRING, TokenType.RAW_STRING, TokenType.HEREDOC_STRING)
COMPUTED = "a destination computed at run time"


def dotted_name(tokens: Sequence[Token], i: int) -> tuple[str, int]:
    """A dotted name starting at ``i`` (lower case) and the index after it."""
    parts: list[str] = []
    while i < len(tokens) and tokens[i].token_type not in _STRINGS and (tokens[i].text[:1].isalpha()
                                                                        or tokens[i].text[:1] == "_"):
        parts.append(tokens[i].text.lower())
        if i + 2 < len(tokens) and tokens[i + 1].text == ".":
            i += 2
            continue
        i += 1
        break
    return ".".join(parts), i


def names(tokens: Sequence[Token]) -> Iterator[tuple[int, str, int]]:
    """(start, dotted name in lower case, index after it) of every name outside strings, never the
    tail of a qualified one (``schema.f`` is ``schema.f`` once, not ``f`` again)."""
    i = 0
    while i < len(tokens):
        if tokens[i].token_type in _STRINGS or (i and tokens[i - 1].text == "."):
            i += 1
            continue
        name, after = dotted_name(tokens, i)
        if not name:
            i += 1
            continue
        yield i, name, after
        i = after


def _arguments(tokens: Sequence[Token], i: int, parenthesised: bool) -> dict[str, list[Token]]:
    """The arguments of a call from ``i`` (after its ``(``, or after the procedure name), keyed by
    1-based position and, when named (``@query = ...``, ``name => ...``), by ``@name``/``name`` too."""
    found: dict[str, list[Token]] = {}
    current: list[Token] = []
    depth, position = 0, 1

    def close() -> None:
        nonlocal position
        value = list(current)
        if len(current) > 3 and current[0].text == "@" and current[2].text == "=":
            value = found["@" + current[1].text.lower()] = current[3:]
        elif len(current) > 2 and current[1].text == "=>":
            value = found[current[0].text.lower()] = current[2:]
        found[str(position)] = value
        position += 1

    while i < len(tokens):
        text = tokens[i].text
        if tokens[i].token_type not in _STRINGS:
            if text == "(":
                depth += 1
            elif text == ")":
                depth -= 1
                if depth < 0 and parenthesised:
                    break
            elif text == ";" and depth <= 0:
                break
            elif text == "," and depth == 0:
                close()
                current = []
                i += 1
                continue
        current.append(tokens[i])
        i += 1
    if current:
        close()
    return found


def _constant(argument: list[Token] | None) -> str | None:
    """The argument's value when it is a string; a string followed by ``||``/``+`` gives its constant
    start and ``...`` (``'https://h/?d=' || secret``: the host is known)."""
    if not argument or argument[0].token_type not in _STRINGS:
        return None
    if len(argument) == 1:
        return argument[0].text
    return argument[0].text + "..." if argument[1].text in ("||", "+") else None


_CONNINFO_HOST = re.compile(r"(?:^|\s)(?:host|hostaddr)\s*=\s*'?([^\s',]+)", re.IGNORECASE)


def _details(destination: str, kind: str) -> dict[str, str]:
    if destination == COMPUTED:
        return {}
    if kind == "mail":
        hosts = sorted({a.rsplit("@", 1)[1].strip().lower() for a in destination.replace(",", ";").split(";")
                        if "@" in a})
        return {"destination": destination, **({"host": hosts[0]} if len(hosts) == 1 else {})} | (
            {"hosts": ", ".join(hosts)} if len(hosts) > 1 else {})
    if kind == "conninfo" and "://" not in destination:
        # libpq's "host=h port=5432 dbname=d": no host is the local server (a Unix socket).
        found = _CONNINFO_HOST.search(destination)
        return {"destination": destination, "host": found.group(1).lower() if found else "localhost"}
    if kind == "host" and "://" not in destination:
        return {"destination": destination, "host": destination.split(":", 1)[0].lower()}
    if kind == "host" or "://" in destination:
        return destination_details(destination if "://" in destination else f"//{destination}")
    return {"destination": destination}


def _sent(arguments: dict[str, list[Token]], spec: ExportRoutine) -> dict[str, str]:
    """What the call sends, for the policy: ``source`` (a query's results, attached files) when an
    argument of ``sources`` is given, ``payload: constant`` when every ``payload`` argument given is
    a string written in the call; nothing when that cannot be told (a variable's value)."""
    sources = [what for argument, what in spec.sources.items() if argument in arguments]
    if sources:
        return {"source": ", ".join(sources)}
    given = [arguments[argument] for argument in spec.payload if argument in arguments]
    if spec.payload and all(len(value) == 1 and value[0].token_type in _STRINGS for value in given):
        return {"payload": "constant"}
    return {}


def export_calls(tokens: Sequence[Token], routines: dict[str, ExportRoutine], table_functions: frozenset[str],
                 rowsets: dict[str, ExportRoutine] | None = None) -> tuple[list[Hit], list[str]]:
    """The export hits of a statement's calls, and the queries they send (SQL to read as well).
    ``rowsets``: functions an ``INSERT [INTO] f(...)`` writes through (T-SQL ``OPENROWSET``)."""
    rowsets = rowsets or {}
    hits: list[Hit] = []
    queries: list[str] = []
    for i, name, after in names(tokens):
        last = name.rsplit(".", 1)[-1]
        spec = routines.get(name) or routines.get(last)
        before = [t.text.upper() for t in tokens[max(0, i - 3):i]]
        inserted_into = last in table_functions and before[-1:] == ["FUNCTION"] and (
            "INTO" in before or "TABLE" in before)
        routine = f"INSERT INTO FUNCTION {last}" if inserted_into else name
        if inserted_into:
            spec = ExportRoutine(("1",), "url")
        elif last in rowsets and before[-1:] in (["INTO"], ["INSERT"]):
            spec, routine = rowsets[last], f"INSERT INTO {name.upper()}"
        parenthesised = after < len(tokens) and tokens[after].text == "("
        if spec is None or not (parenthesised or (before and before[-1] in ("EXEC", "EXECUTE", "CALL"))):
            continue
        arguments = _arguments(tokens, after + 1 if parenthesised else after, parenthesised)
        mode = _constant(arguments.get(spec.write_mode)) if spec.write_mode else None
        if spec.write_mode and (mode is None or not any(c in mode.lower() for c in "wa")):
            continue   # UTL_FILE.FOPEN(dir, file, 'r'): a read
        values = [_constant(arguments.get(part)) for part in spec.destination]
        destination = "/".join(v for v in values if v) if all(values) else COMPUTED
        query = _constant(arguments.get(spec.query)) if spec.query else None
        if query:
            queries.append(query)
        hits.append(Hit("sql.export-call", (), routine, {"routine": routine, "destination": destination},
                        {"routine": routine, **_details(destination, spec.kind), **_sent(arguments, spec)}))
    return hits, queries
