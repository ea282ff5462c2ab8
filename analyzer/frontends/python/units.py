"""A Python unit's text before it is walked: its syntax trees (best effort), its real comments, positions.

A unit is one file, notebook cell or string of embedded code; ``origin`` is
where its first character sits in the real file. A syntax error is reported
and the parts around it are still read.
"""
from __future__ import annotations

import ast
import io
import sys
import tokenize

from ...model import Analysis, AnalysisError, Comment, Location
from ...records import replace


def shift(origin: Location, line: int, column: int) -> Location:
    """Location of (line, column) of a unit that starts at ``origin``."""
    return replace(origin, line=origin.line + line - 1,
                   column=(origin.column + column - 1) if line == 1 else column,
                   file_line=None if origin.file_line is None else origin.file_line + line - 1)


def comments(text: str, origin: Location) -> list[Comment]:
    """Real comments only: tokenize knows what is inside a string literal."""
    found = []
    lines = text.splitlines()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                line, col = token.start
                standalone = not lines[line - 1][:col].strip() if line - 1 < len(lines) else True
                location = shift(origin, line, col + 1)
                found.append(Comment(location, token.string[1:].strip(), standalone))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return found


def parse_units(text: str, origin: Location, result: Analysis) -> list[tuple[ast.Module, int]]:
    """The unit's syntax trees with the line offset of each; a syntax error goes to ``result``
    and the parts that parse are still returned."""
    try:
        return [(ast.parse(text, type_comments=False), 0)]
    except SyntaxError as exc:
        error_line = exc.lineno or 1
        by_statement = _parse_by_statement(text)
        if by_statement is not None:
            units, unread = by_statement
            if unread:
                result.errors.append(AnalysisError(
                    origin.path, f"uses syntax of a newer Python than the one running execgate "
                                 f"({sys.version_info.major}.{sys.version_info.minor}): {exc.msg}; "
                                 f"{unread} statement(s) not read", origin.line + error_line - 1, origin.cell))
            return units
        result.errors.append(AnalysisError(origin.path, f"syntax error: {exc.msg}", origin.line + error_line - 1,
                                           origin.cell))
    except (ValueError, RecursionError, MemoryError) as exc:
        result.errors.append(AnalysisError(origin.path, f"cannot parse: {type(exc).__name__}", origin.line,
                                           origin.cell))
        return []
    return _parse_around_errors(text)


def _parse_around_errors(text: str) -> list[tuple[ast.Module, int]]:
    """The top-level statements before and after each syntax error, as separate trees."""
    lines = text.splitlines(keepends=True)
    units: list[tuple[ast.Module, int]] = []
    start = 0
    guard = 0
    while start < len(lines) and guard < 200:
        guard += 1
        chunk = "".join(lines[start:])
        try:
            units.append((ast.parse(chunk), start))
            break
        except SyntaxError as exc:
            bad = start + (exc.lineno or 1) - 1
        except (ValueError, RecursionError, MemoryError):
            break
        # The longest prefix before the bad line that ends at a top-level statement.
        for end in range(bad, start, -1):
            try:
                units.append((ast.parse("".join(lines[start:end])), start))
                break
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue
        # Resume at the next line after the bad one that starts at column 0.
        start = bad + 1
        while start < len(lines) and (lines[start][:1] in (" ", "\t") or not lines[start].strip()):
            start += 1
    return units


def _max_nesting(text: str) -> int:
    """How deep brackets nest (strings not excluded: an over-estimate is the safe side)."""
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif char in ")]}":
            depth = max(0, depth - 1)
    return deepest


def _parse_by_statement(text: str) -> tuple[list[tuple[ast.Module, int]], int] | None:
    """Valid Python that this interpreter's ``ast`` cannot parse (newer syntax: PEP 695 generics,
    3.12 f-strings, ``type`` aliases): libcst knows the grammars of Python 3.0-3.15 and gives
    exact statement boundaries, so every top-level statement ``ast`` can read is still read.
    None when libcst rejects the text too (a real syntax error)."""
    if len(text) > 1_000_000 or _max_nesting(text) > 64:
        # libcst's native parser overflows its stack on deep nesting (the process dies):
        # hostile input never reaches it.
        return None
    try:
        import libcst
        from libcst.metadata import MetadataWrapper, PositionProvider
    except ImportError:  # pragma: no cover - libcst is a dependency
        return None
    try:
        module = libcst.parse_module(text)
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    except Exception:  # noqa: BLE001 - libcst's own parse errors and recursion limits alike
        return None
    units: list[tuple[ast.Module, int]] = []
    unread = 0
    for statement in module.body:
        code = module.code_for_node(statement)
        # The code starts with the statement's leading blank and comment lines.
        start = positions[statement].start.line - len(getattr(statement, "leading_lines", ()))
        try:
            units.append((ast.parse(code), start - 1))
        except (SyntaxError, ValueError, RecursionError):
            unread += 1
    return units, unread
