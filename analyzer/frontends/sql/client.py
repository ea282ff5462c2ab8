"""Lines the SQL clients run themselves: psql and mysql backslash commands, the line commands of
the mysql client, SQL*Plus and sqlcmd, and the rows psql reads after ``COPY ... FROM stdin``.

None of them reaches the server and sqlglot cannot read them, so each is blanked (same length:
positions stay right) and what it does is kept as a :class:`ClientAction`: a shell command
(``\\!``, ``system``, ``HOST``), a file of SQL it runs (``\\i``, ``source``, ``@``), a file the
output goes to, psql's client-side ``\\copy``, the rows of a query run as SQL (``\\gexec``).
Which command does what is ``client_commands`` in rules/sql.yaml.

A candidate line counts only where the client would see it: never inside a string or a comment,
and a line command (a word such as ``source`` or ``PROMPT``) only where a statement starts.
sqlglot's tokenizer, run over the text before each candidate, says which; a candidate it rejects
stays in the text, where it fails closed like any statement nobody can read.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlglot.errors import TokenError
from sqlglot.tokens import TokenType

from ...records import Record
from .text import STATEMENT_WORDS, is_go, tokenize_any

# Effects a client command has (client_commands in rules/sql.yaml). WHOLE_LINE: the command takes
# the rest of its line as its argument, "\\" included (psql reads SQL again after "\\" for the others).
SHELL, INCLUDE, OUTPUT, COPY, END, RUN_ROWS = "shell", "include", "output", "copy", "end", "run-rows"
WHOLE_LINE = "whole-line"
_LINE_COMMENTS = ("--", "#", "//")
_MAX_REJECTED = 50   # candidates the tokenizer rejects before the rest are left alone (each costs a re-read)


class GoesOn(Record, frozen=True):
    """A client that runs the next statement of a script after one fails (``goes_on_after_error`` in
    rules/sql.yaml): the commands that show a script is run by it, and the settings (matched
    against its commands) that make it stop at the first error, go on again, or keep a
    transaction going past a failed statement."""

    client: str
    shown_by: frozenset[str]
    stop: re.Pattern[str]
    go_on: re.Pattern[str]
    rollback: re.Pattern[str]
    hints: frozenset[str] = frozenset()   # context hints that say this client runs the text as a script

    @classmethod
    def from_entry(cls, client: str, entry: dict[str, Any]) -> GoesOn:
        def pattern(key: str) -> re.Pattern[str]:
            return re.compile(str(entry.get(key) or r"(?!)"), re.IGNORECASE)

        return cls(client, frozenset(str(n) for n in entry.get("shown_by") or ()), pattern("stop"),
                   pattern("go_on"), pattern("rollback"), frozenset(str(h) for h in entry.get("hints") or ()))


class AfterError(Record, frozen=True):
    """What the client of a script does after a failed statement, from the script's own commands.

    ``client`` is the one that goes on after errors ("" when no such client shows); ``stops`` and
    ``rollback`` are (offset, on) for each setting, in order: the last one before an offset holds there."""

    client: str = ""
    stops: tuple[tuple[int, bool], ...] = ()
    rollback: tuple[tuple[int, bool], ...] = ()

    def goes_on(self, offset: int) -> bool:
        """A statement at ``offset`` that fails does not stop the script."""
        return bool(self.client) and not _setting(self.stops, offset)

    def keeps_transactions(self, offset: int) -> bool:
        """A failed statement at ``offset`` inside a transaction block does not abort it (psql's
        ON_ERROR_ROLLBACK rolls back to a savepoint and goes on)."""
        return _setting(self.rollback, offset)


def _setting(changes: tuple[tuple[int, bool], ...], offset: int) -> bool:
    on = False
    for at, value in changes:
        if at > offset:
            break
        on = value
    return on


class ClientCommands(Record, frozen=True):
    """The ``client_commands`` section: backslash names and line commands -> effects.

    A line command is a sequence of lower-cased words (``set serveroutput``), found by its first
    word, or a symbol the argument may follow directly (``@file``, ``:r file``, ``!!dir``)."""

    backslash: dict[str, frozenset[str]]
    words: dict[str, tuple[tuple[tuple[str, ...], frozenset[str]], ...]]   # first word -> longest first
    symbols: tuple[tuple[str, frozenset[str]], ...]                        # longest first
    goes_on: tuple[GoesOn, ...] = ()

    @classmethod
    def from_section(cls, entry: dict[str, Any] | None) -> ClientCommands:
        entry = entry or {}
        words: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
        symbols = []
        for key, effects in (entry.get("lines") or {}).items():
            command, done = tuple(str(key).lower().split()), frozenset(map(str, effects or ()))
            if command[0][:1].isalpha():
                words.setdefault(command[0], []).append((command, done))
            else:
                symbols.append((command[0], done))
        return cls({str(k): frozenset(map(str, v or ())) for k, v in (entry.get("backslash") or {}).items()},
                   {first: tuple(sorted(keys, key=lambda k: -len(k[0]))) for first, keys in words.items()},
                   tuple(sorted(symbols, key=lambda s: -len(s[0]))),
                   tuple(GoesOn.from_entry(str(client), spec or {})
                         for client, spec in (entry.get("goes_on_after_error") or {}).items()))


class ClientAction(Record, frozen=True):
    """What one client command does: ``what`` is shell (``text`` is the command), sql (``text`` is
    a query whose reads count), touch (a ``kind`` object ``text`` read, written or executed) or run-rows."""

    offset: int
    what: str
    text: str = ""
    access: str = ""
    kind: str = "file"
    ends_query: bool = False   # the command sends the query before it (\\g file), not the ones after (\\o file)


class Prepared(Record, frozen=True):
    text: str                          # the input with every client line blanked
    actions: tuple[ClientAction, ...]
    after_error: AfterError = AfterError()


class _Candidate(Record, frozen=True):
    start: int
    end: int                 # exclusive; blanked from start to end (newlines kept)
    effects: frozenset[str]
    argument: str            # the command's arguments as written
    at_statement_start: bool  # a line command: valid only where a statement starts
    terminator: str = ""     # what replaces the first character (";" ends the query before it)
    copy_at: int = -1        # COPY ... FROM stdin data: where that COPY statement starts


_BACKSLASH = re.compile(r"\\(!|\.|[A-Za-z][A-Za-z_]*)(\+?S?\+?)")
_LINE_START = re.compile(r"(?m)^[ \t]*(?=\S)")
_COPY_FROM_STDIN = re.compile(r"(?im)^[ \t]*COPY\b[^\n;]*\bFROM[ \t]+STDIN\b[^\n]*;[ \t]*\r?$")
_COPY_DATA_END = re.compile(r"(?m)^\\\.[ \t]*\r?$")
_BACKTICKS = re.compile(r"`([^`]*)`")


def prepare(text: str, dialect: str | None, order: Sequence[str], commands: ClientCommands,
            hint: str | None = None) -> Prepared:
    """Blank the client lines of ``text`` and say what they do; ``hint`` names the client that runs
    the text when the caller knows it (the shell front end: ``psql < file``)."""
    text = _mysql_delimiters(text)
    text = _SQLPLUS_SLASH.sub(lambda m: m.group().replace("/", ";"), text)
    candidates = sorted(_candidates(text, commands), key=lambda c: c.start)
    accepted = _verified(text, candidates, dialect, order) if candidates else []
    if not accepted:
        return Prepared(text, (), _after_error(text, [], commands.goes_on, hint))
    pieces: list[str] = []
    actions: list[ClientAction] = []
    position = 0
    for candidate in accepted:
        pieces.append(text[position:candidate.start])
        blank = _blank(text[candidate.start:candidate.end])
        if candidate.terminator:
            blank = candidate.terminator + blank[1:]
        pieces.append(blank)
        position = candidate.end
        actions.extend(_actions(candidate))
    pieces.append(text[position:])
    return Prepared("".join(pieces), tuple(actions), _after_error(text, accepted, commands.goes_on, hint))


def _after_error(text: str, accepted: list[_Candidate], clients: tuple[GoesOn, ...],
                 hint: str | None) -> AfterError:
    """What the script's client does after a failed statement, from the backslash commands it runs
    (or the caller's word for which client runs it)."""
    shown = {match.group(1) for match in (_BACKSLASH.match(text, c.start) for c in accepted) if match}
    for spec in clients:
        if not spec.shown_by & shown and hint not in spec.hints:
            continue
        stops: list[tuple[int, bool]] = []
        rollback: list[tuple[int, bool]] = []
        for candidate in accepted:
            command = text[candidate.start:candidate.end]
            if spec.stop.match(command):
                stops.append((candidate.start, True))
            elif spec.go_on.match(command):
                stops.append((candidate.start, False))
            if spec.rollback.match(command):
                rollback.append((candidate.start, True))
        return AfterError(spec.client, tuple(stops), tuple(rollback))
    return AfterError()


# SQL*Plus runs the PL/SQL block above a line holding only "/": it ends a statement.
_SQLPLUS_SLASH = re.compile(r"(?m)^[ \t]*/[ \t]*$")
_DELIMITER = re.compile(r"(?im)^[ \t]*DELIMITER[ \t]+(\S+)[ \t]*$")


def _mysql_delimiters(text: str) -> str:
    """The mysql client's ``DELIMITER //``: blank the command and turn the chosen delimiter
    back into ``;`` (same length: positions stay right)."""
    if "delimiter" not in text.lower():
        return text
    pieces, position, delimiter = [], 0, ";"
    for match in _DELIMITER.finditer(text):
        chunk = text[position:match.start()]
        if delimiter != ";":
            chunk = chunk.replace(delimiter, ";" + " " * (len(delimiter) - 1))
        pieces.append(chunk)
        pieces.append(" " * (match.end() - match.start()))
        delimiter, position = match.group(1), match.end()
    tail = text[position:]
    pieces.append(tail.replace(delimiter, ";" + " " * (len(delimiter) - 1)) if delimiter != ";" else tail)
    return "".join(pieces)



def _blank(chunk: str) -> str:
    return "".join(c if c in "\r\n" else " " for c in chunk)


def _candidates(text: str, commands: ClientCommands) -> list[_Candidate]:
    found: list[_Candidate] = []
    for match in _COPY_FROM_STDIN.finditer(text):
        data = match.end() + 1
        last = _COPY_DATA_END.search(text, data)
        if last is not None:
            # The rows after COPY ... FROM stdin up to the "\." line are data, not SQL.
            found.append(_Candidate(data, last.end(), frozenset(), "", True, copy_at=match.start()))
    for match in _BACKSLASH.finditer(text):
        name = match.group(1)
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        effects = commands.backslash.get(name, frozenset())
        line_start = text.rfind("\n", 0, match.start()) + 1
        first_on_line = not text[line_start:match.start()].strip()
        if not first_on_line and not effects & {END, RUN_ROWS}:
            continue   # a backslash inside a line is a meta-command only where it ends a query
        end = line_end
        if WHOLE_LINE not in effects:
            separator = text.find("\\\\", match.end(), line_end)   # psql reads SQL again after "\\"
            end = separator + 2 if separator >= 0 else line_end
        argument = text[match.end():end].rstrip("\\").strip()
        found.append(_Candidate(match.start(), end, effects, argument, False,
                                ";" if effects & {END, RUN_ROWS} else ""))
    for match in _LINE_START.finditer(text):
        candidate = _line_command(text, match.end(), commands)
        if candidate is not None:
            found.append(candidate)
    return _without_overlaps(found)


def _line_command(text: str, start: int, commands: ClientCommands) -> _Candidate | None:
    line_end = text.find("\n", start)
    line = text[start:len(text) if line_end < 0 else line_end]
    words = line.lower().split(None, 3)
    effects: frozenset[str] | None = None
    for command, done in commands.words.get(words[0].rstrip(";"), ()) if words else ():
        if tuple(w.rstrip(";") for w in words[:len(command)]) == command:
            effects, rest_at = done, _after_words(line, len(command))
            break
    else:
        for symbol, done in commands.symbols:
            if line.startswith(symbol) and not (symbol[0] == ":" and line[len(symbol):len(symbol) + 1].isalnum()):
                effects, rest_at = done, len(symbol)   # ":reset" is not ":r" with "eset"
                break
    if effects is None:
        return None
    # A line command ends at the end of its line, or at a ";" followed by a statement (which a
    # client that does not know the command would run: `PROMPT done; DROP TABLE t;`).
    semicolon = line.find(";", rest_at)
    after = line[semicolon + 1:].split(None, 1) if semicolon >= 0 else []
    if not after or after[0].upper().rstrip(";") not in STATEMENT_WORDS:
        semicolon = -1 if after else semicolon
    stop = semicolon + 1 if semicolon >= 0 else len(line)
    argument = line[rest_at:semicolon if semicolon >= 0 else len(line)].strip()
    return _Candidate(start, start + stop, effects, argument, True)


def _after_words(line: str, count: int) -> int:
    """Offset in ``line`` just after its first ``count`` words."""
    position = 0
    for _ in range(count):
        position = len(line) - len(line[position:].lstrip())
        while position < len(line) and not line[position].isspace():
            position += 1
    return position


def _without_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    kept: list[_Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.start, -c.end)):
        if kept and candidate.start < kept[-1].end:
            continue
        kept.append(candidate)
    return kept


def _verified(text: str, candidates: list[_Candidate], dialect: str | None,
              order: Sequence[str]) -> list[_Candidate]:
    """The candidates the client really sees: the text before each one (from the last accepted
    one on) must tokenize cleanly (so the candidate is not inside a string or a comment), and a
    line command must follow the end of a statement."""
    accepted: list[_Candidate] = []
    safe, at_start, rejected = 0, True, 0
    for candidate in candidates:
        if rejected > _MAX_REJECTED:
            break
        segment = text[safe:candidate.start]
        try:
            tokens = tokenize_any(segment, dialect, order)[0] if segment.strip() else []
        except TokenError:
            rejected += 1
            continue   # inside a string, a quoted name or a block comment
        gap = segment[tokens[-1].end + 1:] if tokens else segment
        if any(marker in gap[gap.rfind("\n") + 1:] for marker in _LINE_COMMENTS):
            rejected += 1
            continue   # inside a line comment
        if candidate.copy_at >= 0:
            # The COPY itself must start a statement (else psql sends it with the text before it,
            # fails, and reads the "data" as SQL).
            copy = next((i for i, t in enumerate(tokens) if safe + t.start == candidate.copy_at), -1)
            before = tokens[:copy] if copy >= 0 else None
        else:
            before = tokens
        starts = before is not None and (at_start if not before else (
            before[-1].token_type == TokenType.SEMICOLON or is_go(before, len(before) - 1)))
        if candidate.at_statement_start and not starts:
            rejected += 1
            continue
        accepted.append(candidate)
        at_start = starts if not (candidate.at_statement_start or candidate.terminator) else True
        safe = candidate.end
    return accepted


def _actions(candidate: _Candidate) -> list[ClientAction]:
    """What an accepted command does."""
    offset, argument, effects = candidate.start, candidate.argument, candidate.effects
    actions = [ClientAction(offset, SHELL, command) for command in _BACKTICKS.findall(argument)
               if not candidate.at_statement_start]
    if RUN_ROWS in effects:
        actions.append(ClientAction(offset, RUN_ROWS))
    if SHELL in effects and argument:
        actions.append(ClientAction(offset, SHELL, argument))
    if INCLUDE in effects and argument:
        actions.append(ClientAction(offset, "touch", _first_word(argument), "execute"))
    if OUTPUT in effects and argument:
        if argument.startswith("|"):
            actions.append(ClientAction(offset, SHELL, argument[1:].strip()))
        elif _first_word(argument).lower() not in _NO_FILE:
            actions.append(ClientAction(offset, "touch", _first_word(argument), "write", ends_query=END in effects))
    if COPY in effects:
        actions.extend(_copy_actions(offset, argument))
    return actions


# Output arguments that name no file (SPOOL OFF, SPOOL OUT, \o with no file).
_NO_FILE = frozenset({"off", "out", ""})


_WORD = re.compile(r"""\s*(?:'([^']*)'|"([^"]*)"|(\S+))""")


def _words(text: str) -> list[str]:
    """The arguments of a client command: blank-separated, quotes removed (backslashes are kept:
    ``:r .\\post.sql`` names a Windows path)."""
    found, position = [], 0
    while (match := _WORD.match(text, position)) is not None and match.end() > position:
        found.append(next(g for g in match.groups() if g is not None))
        position = match.end()
    return found


def _first_word(argument: str) -> str:
    """The first argument, unquoted (``'my file.sql'`` -> ``my file.sql``)."""
    words = _words(argument)
    return words[0] if words else ""


_COPY_DIRECTION = re.compile(r"\s*(from|to)\s+(.*)", re.IGNORECASE | re.DOTALL)


def _copy_actions(offset: int, argument: str) -> list[ClientAction]:
    """psql's ``\\copy {table [(columns)] | (query)} {from | to} {'file' | program 'cmd' | stdin | stdout}``:
    the client reads or writes the file, or runs the program, with the rows."""
    text = argument.strip()
    actions: list[ClientAction] = []
    table = ""
    if text.startswith("("):
        close = _closing(text, 0)
        if close < 0:
            return []
        actions.append(ClientAction(offset, "sql", text[1:close]))
        rest = text[close + 1:]
    else:
        match = re.match(r'\s*((?:"[^"]*"|[\w$]+)(?:\.(?:"[^"]*"|[\w$]+))*)\s*', text)
        if match is None:
            return []
        table, rest = match.group(1), text[match.end():]
        if rest.startswith("("):
            close = _closing(rest, 0)
            rest = rest[close + 1:] if close >= 0 else rest
    direction = _COPY_DIRECTION.match(rest)
    if direction is None:
        return actions
    outward = direction.group(1).lower() == "to"
    if table:
        actions.append(ClientAction(offset, "touch", table.replace('"', "").lower(), "read" if outward else "write",
                                    "table"))
    words = _words(direction.group(2))
    if not words:
        return actions
    if words[0].lower() == "program" and len(words) > 1:
        actions.append(ClientAction(offset, SHELL, words[1]))
    elif words[0].lower() not in ("stdin", "stdout", "pstdin", "pstdout"):
        actions.append(ClientAction(offset, "touch", words[0], "write" if outward else "read"))
    return actions


def _closing(text: str, start: int) -> int:
    """Index of the parenthesis that closes the one at ``start`` (quotes respected), or -1."""
    depth, quote = 0, ""
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    return -1
