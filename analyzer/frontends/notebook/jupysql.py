"""The grammar of ``%sql`` / ``%%sql`` (jupysql, ipython-sql): which part of the magic is SQL.

IPython hands the magic its line (``%sql LINE``, or the first line of ``%%sql LINE``) and, for
the cell magic, the body. jupysql reads the line with IPython's ``magic_arguments``: options
(``--save NAME``, ``--no-execute``, ``--with NAME``, ``-l``, ``--close NAME``, ...; a word that
starts with ``--`` and is no option begins a SQL comment, and nothing after it is an option).
Of what is left, a word alone on the line is an engine variable or a connection alias
(``%sql engine``, ``%%sql duck``), a first word with ``://`` or ``@`` or in ``[brackets]`` is a
connection (``%sql postgresql://...``), and ``name <<`` names the variable the result goes to.
The rest, followed by the body, is SQL; jupysql renders it as a Jinja template (``{{var}}``)
and ipython-sql lets IPython expand ``{var}`` and ``$var``: those holes stay in the text, and
the SQL front end reads them as placeholders.

Every character that is not SQL is blanked rather than cut, so the SQL keeps its lines and
columns. The options themselves are facts in ``rules/notebook.yaml`` (``sql_magic``).
"""
from __future__ import annotations

import re

from ...records import Record
from .knowledge import Knowledge, knowledge

# A word as IPython's arg_split (posix=False) cuts it: quotes kept, a quoted part may hold blanks.
_WORD = re.compile(r"""(?:'[^']*'?|"[^"]*"?|[^\s'"]+)+""")
_RESULT = re.compile(r"([A-Za-z_]\w*)[ \t]*=?[ \t]*<<")


class SqlMagic(Record, frozen=True):
    """What one ``%sql`` / ``%%sql`` runs, read the way jupysql reads it."""

    line_sql: str                     # the line with everything that is not SQL blanked
    body_sql: str                     # the body, likewise (a connection or `name <<` may open it)
    connection: str | None = None     # URL, alias, engine variable or DSN section
    dialect_hint: str | None = None   # the URL's scheme without the driver: postgresql, duckdb ...
    result: str | None = None         # `name <<`: the variable that receives the rows
    sql_file: str | None = None       # --file PATH: SQL read from a file at run time
    replaces_table: str | None = None  # --persist-replace NAME: the table replaced by a DataFrame


class _Word(Record):
    start: int
    end: int
    text: str
    in_body: bool = False


def read_sql_magic(line: str, body: str = "", k: Knowledge | None = None) -> SqlMagic:
    """Split a ``%sql`` line (and a ``%%sql`` body) into jupysql's options and the SQL it runs."""
    k = k or knowledge()
    blank_line: list[tuple[int, int]] = []
    words, options = _options(line, k, blank_line)
    persist = [name for name, _ in options if name in k.sql_magic_persist]
    replace = [name for name, _ in options if name in k.sql_magic_replace]
    sql_file = next((value for name, value in options if name in k.sql_magic_file and value), None)
    replaces_table = None
    connection = hint = result = None
    blank_body: list[tuple[int, int]] = []
    if persist:
        # `%sql --persist df`: the words name a DataFrame written to a table, not SQL.
        if replace and words:
            replaces_table = words[0].text
        blank_line += [(w.start, w.end) for w in words]
        words = []
    elif len(words) == 1 and words[0].text.isidentifier() \
            and words[0].text.lower() not in k.sql_single_word_statements:
        # `%sql engine`, `%%sql duck`: an engine variable or a connection alias.
        connection = words[0].text
        blank_line.append((words[0].start, words[0].end))
        words = []
    command = words + [_Word(m.start(), m.end(), m.group(), True) for m in _first_words(body)]
    if command and _is_connection(command[0].text, alone=len(words) == 1):
        first = command.pop(0)
        connection = first.text
        hint = _scheme(first.text)
        (blank_body if first.in_body else blank_line).append((first.start, first.end))
    result = _result(command, line, body, blank_line, blank_body)
    return SqlMagic(_blanked(line, blank_line), _blanked(body, blank_body), connection, hint, result, sql_file,
                    replaces_table)


def _options(line: str, k: Knowledge, blank: list[tuple[int, int]]) -> tuple[list[_Word], list[tuple[str, str]]]:
    """The positional words of the line and its options (name, value); options are blanked.
    Past a word that starts with ``--`` and is no option the rest of the line is a SQL comment."""
    words: list[_Word] = []
    options: list[tuple[str, str]] = []
    matches = list(_WORD.finditer(line))
    index = 0
    while index < len(matches):
        match = matches[index]
        text = match.group()
        name, equals, attached = text.partition("=") if text.startswith("--") else (text, "", "")
        if not equals and text[:1] == "-" and text[:2] != "--" and len(text) > 2 and text[:2] in k.sql_magic_with_value:
            name, attached, equals = text[:2], text[2:], "="      # -Sname: argparse's attached value
        if name in k.sql_magic_with_value:
            value_end = match.end()
            value = attached
            if not equals and index + 1 < len(matches):
                index += 1
                value, value_end = matches[index].group(), matches[index].end()
            options.append((name, value))
            blank.append((match.start(), value_end))
        elif name in k.sql_magic_flags:
            options.append((name, ""))
            blank.append((match.start(), match.end()))
        elif text.startswith("--"):
            break                     # a SQL comment: jupysql reads no option past it
        elif text.startswith("-") and len(text) > 1 and not text[1].isdigit() and text[1] != ".":
            # An option jupysql does not know makes it refuse the cell; what follows is still read.
            blank.append((match.start(), match.end()))
        else:
            words.append(_Word(match.start(), match.end(), text))
        index += 1
    return words, options


def _first_words(body: str, count: int = 4) -> list[re.Match[str]]:
    found = []
    for match in _WORD.finditer(body):
        found.append(match)
        if len(found) >= count:
            break
    return found


def _is_connection(word: str, alone: bool) -> bool:
    if word.startswith(("'", '"')):
        return False
    if "://" in word or "@" in word:
        return True
    if word.startswith("[") and word.endswith("]") and len(word) > 2:
        return True          # a section of the DSN file
    # `%sql $DATABASE_URL`: an environment variable expanded to a URL; `%sql {conn} SELECT ...`:
    # IPython's expansion of a Python variable (a lone `{query}` is SQL: the SQL front end's hole).
    return word.startswith("$") or (word.startswith("{") and not alone)


def _scheme(word: str) -> str | None:
    if "://" not in word:
        return None
    scheme = word.split("://", 1)[0].split("+", 1)[0].strip("'\"").lower()
    return scheme or None


def _result(command: list[_Word], line: str, body: str, blank_line: list[tuple[int, int]],
            blank_body: list[tuple[int, int]]) -> str | None:
    """``name <<`` (also ``name<<``, ``name = <<``, ``name =<<``) at the start of what is left."""
    if not command:
        return None
    first = command[0]
    match = _RESULT.match(body if first.in_body else line, first.start)
    if match is None:
        return None
    (blank_body if first.in_body else blank_line).append((first.start, match.end()))
    return match.group(1)


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for position in range(start, min(end, len(chars))):
            if chars[position] not in "\n\r":
                chars[position] = " "
    return "".join(chars)
