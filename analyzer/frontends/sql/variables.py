"""SQL held in variables: dynamic SQL built into a variable and run from it.

``SET @sql = 'DROP TABLE ' + @t; EXEC sp_executesql @sql`` (T-SQL), ``SELECT @sql += N'...' FROM
sys.tables``, ``v_sql := '...' || t; EXECUTE IMMEDIATE v_sql`` (PL/SQL), ``SET @s = CONCAT('DROP
TABLE ', @t); PREPARE stmt FROM @s; EXECUTE stmt`` (MySQL): going through a unit's statements in
order, :func:`record` keeps the SQL text each variable (or prepared statement) holds, string pieces
with a hole (``__execgate_hole_N__``) for each value; :func:`executed` says what an
``EXEC``/``EXECUTE`` of a variable runs. A value with no string in it forgets the variable: what
it holds is then nobody's guess, and the EXEC stays dynamic SQL.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from sqlglot.tokens import Token, TokenType

from . import text as sql_text

_VARIABLE_TOKENS = (TokenType.PARAMETER, TokenType.VAR)
_STRING_TOKENS = (TokenType.STRING, TokenType.NATIONAL_STRING, TokenType.RAW_STRING, TokenType.HEREDOC_STRING)
_CONCATENATION = frozenset({"+", "||", "(", ")", "N"})
# Words an assignment follows: SET @x = ..., LET x := ..., and the control words a procedural
# statement keeps in front of it (FOR r IN c DO x := ..., IF ... THEN x := ...).
_ASSIGNMENT_STARTS = frozenset({"SET", "SELECT", ",", "DECLARE", ";", "LET", "DO", "LOOP", "THEN", "ELSE", "BEGIN"})
EVERY, FIRST = "every", "first"   # which arguments of a string builder (string_builders) make the string
_MAX_VALUE_TOKENS = 1000   # a value read stops here: hostile nesting must not make each read run to the end
# MySQL's PREPARE name FROM @variable | 'text' (a COMMAND token, the rest one string).
_PREPARE = re.compile(r"^\s*PREPARE\s+(\w+)\s+FROM\s+(?:(@\w+)|'((?:[^'\\]|\\.|'')*)')\s*;?\s*$",
                      re.IGNORECASE | re.DOTALL)

Variables = dict[str, list[str]]   # variable (lower case, ``@`` kept) -> the SQL texts assigned to it


def variable_at(tokens: Sequence[Token], i: int) -> tuple[str, int]:
    """The variable name at token ``i`` (``@sql``, ``v_sql``) and the index after it, or ("", i)."""
    if i < len(tokens) and tokens[i].token_type == TokenType.PARAMETER and tokens[i].text == "@" and \
            i + 1 < len(tokens) and tokens[i + 1].token_type == TokenType.VAR:
        return "@" + tokens[i + 1].text.lower(), i + 2
    if i < len(tokens) and tokens[i].token_type in _VARIABLE_TOKENS and tokens[i].text != "@":
        return tokens[i].text.lower(), i + 1
    return "", i


def record(statement: sql_text.Statement, variables: Variables, builders: dict[str, str]) -> None:
    """Remember the SQL text this statement assigns to a variable or prepares under a name;
    ``builders`` are the functions that build a string of their arguments (``CONCAT``: every
    one; ``STRING_AGG``: the first, once per row)."""
    prepared = _PREPARE.match(statement.sql)
    if prepared:
        name, source, literal = prepared.groups()
        held = variables.get(source.lower()) if source else [literal.replace("''", "'")]
        if held:
            variables[name.lower()] = list(held)
        else:
            variables.pop(name.lower(), None)
        return
    if "=" not in statement.sql or (statement.tokens and statement.tokens[0].text.upper() == "INSERT"):
        return   # no assignment (dump files are mostly INSERT ... VALUES)
    tokens = list(statement.tokens)
    for i in range(len(tokens)):
        name, after = variable_at(tokens, i)
        if not name or (i and variable_at(tokens, i - 1)[0] and tokens[i - 1].text.upper() not in _ASSIGNMENT_STARTS):
            continue
        appends = after + 1 < len(tokens) and tokens[after].text in ("+", "||") and tokens[after + 1].text == "="
        start = after + 2 if appends else after + 1 if after < len(tokens) and tokens[after].text in ("=", ":=") \
            else -1
        if start < 0 and (i == 0 or tokens[i - 1].text.upper() in ("DECLARE", ",", "LET")):
            start = _after_type(tokens, after)   # DECLARE @s nvarchar(400) = N'...'; v_sql VARCHAR2(200) := '...'
        if start < 0 or not (i == 0 or tokens[i - 1].text.upper() in _ASSIGNMENT_STARTS
                             or tokens[i - 2 if i > 1 else 0].text.upper() == "DECLARE"):
            continue
        if not appends and _variable_at_start(tokens, start, name):
            appends, start = True, start + 2 + (tokens[start].text == "@")   # @sql = @sql + N'...'
        pieces, end = _pieces(tokens, start, builders)
        if not any(tokens[x].token_type in _STRING_TOKENS for x in range(start, end)):
            variables.pop(name, None)
        elif appends:
            variables.setdefault(name, []).append("".join(pieces))
        else:
            variables[name] = ["".join(pieces)]


def _after_type(tokens: list[Token], i: int) -> int:
    """Where the initial value of a declared variable starts, after its type (``nvarchar(400) =``,
    ``STRING DEFAULT``), or -1 when the declaration gives none."""
    depth = 0
    for j in range(i, min(len(tokens), i + 12)):
        text = tokens[j].text.upper()
        depth += (text == "(") - (text == ")")
        if depth == 0 and text in ("=", ":=", "DEFAULT"):
            return j + 1
        if depth == 0 and text in (",", ";"):
            break
    return -1


def _variable_at_start(tokens: list[Token], start: int, name: str) -> bool:
    """The value starts with the variable itself joined to more: ``@sql + N'...'``."""
    found, after = variable_at(tokens, start)
    return found == name and after < len(tokens) and tokens[after].text in ("+", "||")


def _pieces(tokens: list[Token], start: int, builders: dict[str, str]) -> tuple[list[str], int]:
    """The string pieces of the value that starts at ``start``, a hole for each other value, and
    where the value ends. Values are joined by ``+``/``||`` or by a string builder (``CONCAT(...)``);
    what else is inside parentheses (``QUOTENAME(@t)``, a separator) is one value of its own."""
    pieces: list[str] = []
    depth, j = 0, start
    stop = min(len(tokens), start + _MAX_VALUE_TOKENS)
    joining = {0: EVERY}   # depth -> which arguments there are pieces of the string
    skipping: set[int] = set()   # depths whose arguments after the first make no piece (a separator)
    while j < stop:
        text = tokens[j].text
        builder = builders.get(text.upper()) if j + 1 < len(tokens) and tokens[j + 1].text == "(" else None
        if text == "(":
            depth += 1
            called = builders.get(tokens[j - 1].text.upper()) if j > start else None
            if called is not None and depth - 1 in joining and depth - 1 not in skipping:
                joining[depth] = called
        elif text == ")":
            joining.pop(depth, None)
            skipping.discard(depth)
            depth -= 1
        elif text == "," and joining.get(depth) == FIRST:
            skipping.add(depth)
        if depth < 0 or (depth == 0 and (text in (",", ";") or text.upper() in ("FROM", "WHERE", "INTO"))):
            break
        if skipping:   # inside a separator: every depth in it is at or below this one (closed ones leave)
            j += 1
            continue
        if tokens[j].token_type in _STRING_TOKENS:
            pieces.append(tokens[j].text)
        elif depth in joining and text not in _CONCATENATION and text != "," and builder is None and \
                (not pieces or not pieces[-1].endswith("__ ")):
            pieces.append(f" __execgate_hole_{j}__ ")
        j += 1
    return pieces, j


def executed(statement: sql_text.Statement, exec_procedures: frozenset[str], variables: Variables) -> list[str] | None:
    """The SQL held by the variable an ``EXEC(@sql)`` / ``EXEC sp_executesql @sql`` / ``EXECUTE v_sql`` /
    ``EXECUTE stmt`` runs, when every value assigned to it above was SQL text; else None."""
    tokens = list(statement.tokens)
    i = 1 if tokens and tokens[0].text.upper() in ("EXEC", "EXECUTE") else -1
    while 0 < i + 2 < len(tokens) and tokens[i + 1].text == "." and tokens[i].token_type in _VARIABLE_TOKENS:
        i += 2   # sys.sp_executesql, master.dbo.sp_executesql: the procedure's own name decides
    while 0 < i < len(tokens) and (tokens[i].text.upper() in ("IMMEDIATE", "(")
                                   or tokens[i].text.upper() in exec_procedures):
        i += 1
    if i == 1 and len(tokens) == 2 and tokens[1].token_type == TokenType.STRING and \
            statement.source[tokens[1].start:tokens[1].start + 1] not in ("'", '"', "$"):
        # MySQL's EXECUTE stmt [USING ...], Snowflake's EXECUTE IMMEDIATE :stmt, read as a command
        # with the rest as one unquoted string.
        words = [w for w in tokens[1].text.split() if w.upper() != "IMMEDIATE"]
        return variables.get(words[0].lstrip(":").rstrip(";").lower()) if words else None
    if 0 < i < len(tokens) and tokens[i].text == ":":
        i += 1   # a bind reference to the variable (:stmt)
    if 0 < i and i + 3 < len(tokens) and tokens[i].text == "@" and tokens[i + 2].text == "=":
        i += 3   # EXEC sp_executesql @stmt = @sql: the named argument's value
    name, _ = variable_at(tokens, i) if i > 0 else ("", i)
    return variables.get(name) if name else None
