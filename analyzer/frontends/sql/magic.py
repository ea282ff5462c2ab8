"""Notebook cells written in SQL comments: a Databricks notebook exported as source.

A ``.sql`` file that starts ``-- Databricks notebook source`` is a notebook: ``-- COMMAND
----------`` lines separate its cells, and a cell in another language is written as comment lines
``-- MAGIC %python`` / ``-- MAGIC dbutils.fs.rm(...)``. To the SQL parser those are comments; when
the notebook runs, they are code. :func:`magic_cells` finds each such cell, its language (from the
magic on its first line: ``magic_cells`` in rules/sql.yaml) and its code without the prefixes, for
the front end of that language. Nothing here decides.
"""
from __future__ import annotations

import re
from typing import Any

from ...records import Record

NOT_ANALYSED = "not-analysed"   # a language no front end reads: the cell fails closed
NO_CODE = "none"                # documentation (%md): never runs


class MagicCells(Record, frozen=True):
    """The ``magic_cells`` section of the catalogue, compiled."""

    file: re.Pattern[str]
    separator: re.Pattern[str]
    prefix: re.Pattern[str]
    languages: dict[str, str]   # magic (``%python``) -> front end (python, shell, sql) or NO_CODE / NOT_ANALYSED
    dialect: str | None         # the SQL dialect of the notebook's SQL

    @classmethod
    def from_section(cls, entry: dict[str, Any] | None) -> MagicCells:
        entry = entry or {}
        never = re.compile(r"(?!)")
        return cls(re.compile(str(entry["file"])) if entry.get("file") else never,
                   re.compile(str(entry.get("separator") or r"(?!)"), re.MULTILINE),
                   re.compile(str(entry.get("prefix") or r"(?!)")),
                   {str(k).lower(): str(v) for k, v in (entry.get("languages") or {}).items()},
                   str(entry["dialect"]) if entry.get("dialect") else None)


class Cell(Record, frozen=True):
    offset: int      # where the cell's first magic line starts
    language: str    # a front end, or NOT_ANALYSED with the magic in ``code``
    code: str        # the code, prefixes removed (line for line)


def magic_cells(text: str, spec: MagicCells) -> list[Cell]:
    """The cells of a notebook source file written in comment lines, in order; [] for other text."""
    if not spec.file.match(text):
        return []
    cells: list[Cell] = []
    starts = [0] + [m.end() for m in spec.separator.finditer(text)]
    ends = [m.start() for m in spec.separator.finditer(text)] + [len(text)]
    for start, end in zip(starts, ends, strict=True):
        lines = text[start:end].splitlines(keepends=True)
        offset = start
        code_lines: list[str] = []
        first = -1
        for line in lines:
            prefix = spec.prefix.match(line)
            if prefix is not None:
                first = offset if first < 0 else first
                code_lines.append(line[prefix.end():])
            elif code_lines and line.lstrip().startswith("--"):
                code_lines.append("\n")   # a plain comment among the cell's lines: a blank line of it
            elif code_lines and line.strip():
                break   # a magic cell is its run of comment lines
            offset += len(line)
        if not code_lines:
            continue
        head = code_lines[0].split(None, 1)
        magic = head[0].lower() if head and head[0].startswith("%") else ""
        language = spec.languages.get(magic, NOT_ANALYSED)
        if language == NO_CODE:
            continue
        if language == NOT_ANALYSED:
            cells.append(Cell(first, NOT_ANALYSED, magic or code_lines[0].strip()))
            continue
        # The magic's own line: what follows the magic is code (%fs rm -r /mnt/x, %sh ls).
        code_lines[0] = (head[1] if len(head) > 1 else "").rstrip("\r\n") + "\n"
        cells.append(Cell(first, language, "".join(code_lines)))
    return cells


def separated(text: str, spec: MagicCells) -> str:
    """``text`` with each cell separator starting with ``;`` (same length): a SQL cell's last
    statement ends with its cell, written with or without a ``;``."""
    if not spec.file.match(text):
        return text
    return spec.separator.sub(lambda m: ";" + " " * (len(m.group(0).rstrip("\r")) - 1) + m.group(0)[
        len(m.group(0).rstrip("\r")):], text)
