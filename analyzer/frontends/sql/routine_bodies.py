"""Function bodies quoted ``$$ ... $$`` where the tokenizer reads no ``$$`` strings.

Databricks/Spark ``CREATE FUNCTION f(x INT) RETURNS INT LANGUAGE PYTHON AS $$ ... $$``: sqlglot's
Spark tokenizer does not read ``$$`` strings, and one that does would break ``${var}``
substitution. So, before tokenizing, each such body is blanked into a string literal of the same
length (newlines kept, so every line and column stays where it was), and the body is handed to the
front end its ``LANGUAGE`` names: a Python UDF that deletes files is still reported, at its line.
"""
from __future__ import annotations

import bisect
import re
import textwrap

from ...records import Record

# LANGUAGE <name> ... AS $$ (options such as DETERMINISTIC or COMMENT may stand between).
_HEAD = re.compile(r"\bLANGUAGE\s+(\w+)\b[^;$]{0,1000}?\bAS\s*\$\$", re.IGNORECASE)


class Body(Record, frozen=True):
    offset: int       # where the body's text starts in the SQL
    language: str     # the front end that reads it (python, sql)
    text: str


def taken_out(text: str, dialect: str | None, bare_dialects: frozenset[str],
              languages: dict[str, str]) -> tuple[str, list[Body], int | None]:
    """``text`` with the ``$$`` bodies of the functions whose LANGUAGE a front end reads blanked
    into same-length strings, those bodies, and where a body that is never closed opens (the
    file then fails closed); ``text`` unchanged outside the dialects that read no ``$$`` strings
    (and no dialect known: then only bodies in a language other than SQL)."""
    if "$$" not in text or (dialect is not None and dialect.lower() not in bare_dialects):
        return text, [], None
    bodies: list[Body] = []
    pieces: list[str] = []
    done = 0
    unclosed: int | None = None
    dashes = _Dashes(text)
    for head in _HEAD.finditer(text):
        if head.start() < done:
            continue   # inside a body already taken out
        language = languages.get(head.group(1).lower())
        if language is None or (language == "sql" and dialect is None):
            continue
        start = head.end()
        close = text.find("$$", start)
        if any(dashes.before(at) for at in (head.start(), start - 2, close)):
            continue   # written in a -- comment: the tokenizer reads it as one (or fails closed)
        if close < 0:
            unclosed = head.start()   # Spark's tokenizer would read it as two `$` and pass it by
            break
        bodies.append(Body(start, language, text[start:close]))
        pieces.append(text[done:start - 2])
        pieces.append("' " + re.sub(r"[^\n]", " ", text[start:close]) + " '")
        done = close + 2
    if not bodies:
        return text, [], unclosed
    pieces.append(text[done:])
    return "".join(pieces), bodies, unclosed


class _Dashes:
    """Where ``--`` and line ends are, to say in log time whether ``--`` comes before an offset on
    its line (a comment, or a string holding it: either way the body is left to the tokenizer)."""

    def __init__(self, text: str) -> None:
        self.dashes = [m.start() for m in re.finditer("--", text)]
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def before(self, offset: int) -> bool:
        if offset < 0:
            return False
        dash = bisect.bisect_right(self.dashes, offset - 2) - 1
        if dash < 0:
            return False
        line = bisect.bisect_right(self.newlines, offset - 1) - 1
        return line < 0 or self.dashes[dash] > self.newlines[line]


def as_module(body: Body) -> str | None:
    """The Python text of a Python body, or None when it holds no code. Databricks runs it as a
    function's body (``return`` at its top level), so it is read inside a ``def`` written on the
    line before the body's first line (the line of ``AS $$``): its lines keep their numbers."""
    if not body.text.strip():
        return None
    return "def udf_body():\n" + textwrap.indent(textwrap.dedent(body.text), " ") + "\n"
