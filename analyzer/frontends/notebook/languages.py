"""Which language each code cell of a notebook is read in, the way Jupyter front ends run it.

A Python kernel runs every code cell through IPython, whatever the cell's metadata says: its
magics (``%%sql``, ``%%bash``, Databricks' first-line ``%sql``) name other languages. Other
notebooks carry the language per cell: Snowflake Notebooks (kernel ``streamlit``) write
``metadata.language``, VS Code ``metadata.vscode.languageId``, Databricks and Fabric their own
keys (``cell_language_keys`` in rules/notebook.yaml). There a cell is read, in this order, by

1. its leading magic (after blank and comment-only lines, as IPython reads ``%%`` lines),
2. the language its metadata names,
3. the kernel's language,
4. failing all three (an unknown kernel, a cell that names nothing), every language the
   notebook's other cells name, each in turn: the cell is read in each one it reads as.

A cell in a language execgate does not read (Scala, R, C#) is reported by name and fails
closed; so is a notebook whose kernel is unknown when a cell names no language and no other
cell names one execgate reads.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...records import Record
from .knowledge import Knowledge
from .read import Cell

READ = ("python", "sql", "shell")


class Reading(Record, frozen=True):
    """How one code cell is read."""

    cell: Cell
    languages: tuple[str, ...]     # front ends to read it with (several: tried in turn); () not read
    dialect: str | None = None
    declared: bool = True          # False: the cell names no language; the notebook's were tried
    problem: str | None = None     # why the cell is not read (reported; fails closed)


def kernel_language(metadata: Mapping[str, Any], k: Knowledge) -> tuple[str | None, str, str | None]:
    """(front-end language or None, the kernel's name, SQL dialect) from the notebook's metadata."""
    spec, info = metadata.get("kernelspec"), metadata.get("language_info")
    spec = spec if isinstance(spec, dict) else {}
    info = info if isinstance(info, dict) else {}
    candidates = [spec.get("language"), info.get("name"), spec.get("name")]
    candidates += [_at(metadata, path) for path in k.notebook_language_keys]
    names = [value.strip().lower() for value in candidates if isinstance(value, str) and value.strip()]
    if not names:
        return k.default_language, "", None
    name = names[0]
    language, _ = k.front_end(name)
    if language == "sql":
        return "sql", name, next((k.sql_kernels[n] for n in names if k.sql_kernels.get(n)), None)
    if language in ("python", "shell"):
        return language, name, None
    return None, name, None


def notebook_dialect(metadata: Mapping[str, Any], kernel: str, k: Knowledge) -> str | None:
    """The SQL dialect a product's notebooks run their SQL cells in (Snowflake, Databricks)."""
    for name, dialect in k.cell_language_kernels:
        if name == kernel and dialect:
            return dialect
    return next((dialect for key, dialect in k.notebook_dialects if key in metadata), None)


def cell_language(cell: Cell, k: Knowledge) -> str | None:
    """The language a cell's metadata names, lower case (None: it names none). Tools write several
    keys (VS Code's ``languageId`` of a Polyglot cell is ``polyglot-notebook``, its kernel name
    ``sql``): the first name execgate knows wins, else the first name given."""
    names = [value.strip().lower() for value in (_at(cell.metadata, path) for path in k.cell_language_keys)
             if isinstance(value, str) and value.strip()]
    return next((name for name in names if k.front_end(name)[0] is not None), names[0] if names else None)


def leading_magic(source: str, k: Knowledge) -> int | None:
    """The index of the line holding the cell's magic, when one opens the cell: a ``%%`` cell magic
    or a Databricks language magic, after blank and comment-only lines (the comment lines stay,
    as IPython keeps them)."""
    lines = source.split("\n")
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line.startswith("%%") or is_databricks_magic(stripped, k):
            return index
        return None
    return None


def is_databricks_magic(word: str, k: Knowledge) -> bool:
    return (word in k.databricks_languages or word in k.databricks_text or word in k.databricks_not_analysed
            or any(word == shell or word.startswith(shell + " ") for shell in k.databricks_shell))


def plan(metadata: Mapping[str, Any], cells: list[Cell], k: Knowledge) -> tuple[list[Reading], str | None]:
    """How each code cell is read, and the notebook's own problem (an unknown kernel whose cells
    name no language execgate reads)."""
    language, kernel, dialect = kernel_language(metadata, k)
    dialect = dialect or notebook_dialect(metadata, kernel, k)
    if language == "python":
        return [Reading(cell, ("python",), dialect) for cell in cells], None
    named = {cell.index: cell_language(cell, k) for cell in cells}
    declared: list[str] = []
    for name in named.values():
        front_end = k.front_end(name)[0] if name else None
        if front_end in READ and front_end not in declared:
            declared.append(front_end)
    readings: list[Reading] = []
    unread = False
    for cell in cells:
        name = named[cell.index]
        if leading_magic(cell.source, k) is not None:
            readings.append(Reading(cell, ("python",), dialect))      # the magic names the language
        elif name is not None:
            front_end, cell_dialect = k.front_end(name)
            if front_end == "text":
                continue
            if front_end is None:
                readings.append(Reading(cell, (), problem=f"{name[:40]} cell not analysed (only Python, SQL and "
                                                          f"shell are)"))
            else:
                readings.append(Reading(cell, (front_end,), cell_dialect or dialect))
        elif language is not None:
            readings.append(Reading(cell, (language,), dialect))
        elif declared:
            readings.append(Reading(cell, tuple(declared), dialect, declared=False))
        else:
            unread = True
    problem = f"kernel {kernel} not analysed" if unread else None
    return readings, problem


def _at(mapping: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = mapping
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value
