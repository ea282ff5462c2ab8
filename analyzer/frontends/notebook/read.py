"""Reading an ``.ipynb`` file into cells, with where each cell's source sits in the file.

The notebook front end needs three things nbformat alone does not give:

* the line of the ``.ipynb`` file where each cell's first source line is, for
  SARIF and GitHub annotations (nbformat writes one source line per JSON
  line); ``json`` gives no positions, so the top level and the cells are
  walked here and every other value is parsed by ``json``'s C decoder;
* speed on notebooks with large outputs: outputs are never analysed, so they
  are dropped before nbformat converts and validates the notebook;
* one line for the user on bad input, never a traceback, and no silent pass:
  what nbformat's own upgrade and normalisation repair is repaired and said in a
  note (:mod:`.repair`), as Jupyter opens such a notebook; any other schema
  failure is reported (nbformat only logs it) and whatever is readable is still
  analysed, so the run fails closed with the findings it has.

Cell ids are taken from the file: nbformat invents random ids for notebooks
that have none, which would make findings differ on every run.
"""
from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping
from typing import Any

from ...records import Record, field
from .repair import check

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_MESSAGE_CHARS = 160


class NotebookError(Exception):
    """The text is not a notebook at all; the message is one line for the user."""


class Cell(Record, frozen=True):
    """One cell as the front end analyses it."""

    index: int                  # 0-based position among the notebook's cells
    cell_type: str
    source: str
    cell_id: str | None = None
    file_line: int | None = None   # .ipynb line of the source's first line, when the layout allows it
    execution_count: int | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)   # the cell's own metadata


class Notebook(Record):
    cells: list[Cell] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[int | None, str]] = field(default_factory=list)   # (cell index or None, message)
    notes: list[str] = field(default_factory=list)   # what was repaired the way Jupyter repairs it
    total_cells: int = 0


# -- positions ----------------------------------------------------------------------------------


class _PastTheLimit(Exception):
    """More cells than will be analysed: the rest of the file is left to ``json.loads``."""


class _Scanner:
    """Walks a notebook's JSON, recording where each cell's ``source`` elements start.

    Only the top-level object, the ``cells`` array and each cell's keys are walked
    in Python; every other value (outputs, metadata) is parsed by ``json``'s C
    decoder, so 50 MB of outputs costs what ``json.loads`` costs. Past
    ``max_cells`` cells the walk stops (a million cells would take a minute in
    Python) and the whole text is parsed by ``json.loads`` instead."""

    def __init__(self, text: str, max_cells: int) -> None:
        self.text = text
        self.max_cells = max_cells
        self.pos = 0
        self._line_pos = 0
        self._line = 1
        # cell index -> list of (file line, element text) of its source
        self.layouts: dict[int, list[tuple[int, str]] | None] = {}

    def line_at(self, pos: int) -> int:
        """1-based line of ``pos``; positions are asked for in increasing order."""
        if pos < self._line_pos:
            self._line_pos, self._line = 0, 1
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def space(self) -> str:
        blank = _SPACE.match(self.text, self.pos)
        if blank is not None:   # always: the pattern matches the empty string too
            self.pos = blank.end()
        return self.text[self.pos:self.pos + 1]

    def expect(self, char: str) -> None:
        if self.space() != char:
            raise ValueError(f"expected {char!r}")
        self.pos += 1

    def value(self) -> Any:
        self.space()
        obj, self.pos = _DECODER.raw_decode(self.text, self.pos)
        return obj

    def string(self) -> str:
        if self.space() != '"':
            raise ValueError("expected a key")
        value, self.pos = _DECODER.raw_decode(self.text, self.pos)   # a JSON string: it starts with '"'
        return value

    def members(self, on_value) -> dict[str, Any]:
        """An object, calling ``on_value(key)`` to read each value."""
        self.expect("{")
        result: dict[str, Any] = {}
        if self.space() == "}":
            self.pos += 1
            return result
        while True:
            key = self.string()
            self.expect(":")
            result[key] = on_value(key)
            char = self.space()
            self.pos += 1
            if char == "}":
                return result
            if char != ",":
                raise ValueError("expected ',' or '}'")

    def notebook(self) -> dict[str, Any]:
        if self.space() != "{":
            raise ValueError("not an object")
        result = self.members(lambda key: self.cells() if key == "cells" else self.value())
        if self.space():
            raise ValueError("extra data")
        return result

    def cells(self) -> Any:
        self.layouts = {}
        if self.space() != "[":
            return self.value()
        self.pos += 1
        items: list[Any] = []
        if self.space() == "]":
            self.pos += 1
            return items
        while True:
            index = len(items)
            if index >= self.max_cells:
                raise _PastTheLimit
            if self.space() == "{":
                items.append(self.members(lambda key, i=index: self.source(i) if key == "source" else self.value()))
            else:
                items.append(self.value())
            char = self.space()
            self.pos += 1
            if char == "]":
                return items
            if char != ",":
                raise ValueError("expected ',' or ']'")

    def source(self, index: int) -> Any:
        if self.space() != "[":
            start = self.pos
            value = self.value()
            self.layouts[index] = [(self.line_at(start), value)] if isinstance(value, str) else None
            return value
        self.pos += 1
        elements: list[Any] = []
        layout: list[tuple[int, str]] = []
        if self.space() == "]":
            self.pos += 1
            self.layouts[index] = layout
            return elements
        while True:
            self.space()
            start = self.pos
            element = self.value()
            elements.append(element)
            if isinstance(element, str):
                layout.append((self.line_at(start), element))
            char = self.space()
            self.pos += 1
            if char == "]":
                self.layouts[index] = layout if len(layout) == len(elements) else None
                return elements
            if char != ",":
                raise ValueError("expected ',' or ']'")


def first_source_line(layout: list[tuple[int, str]] | None) -> int | None:
    """The file line of a cell's line 1 when every source line sits on its own JSON line, in order."""
    if not layout:
        return None
    first = layout[0][0]
    for offset, (line, text) in enumerate(layout):
        body = text[:-1] if text.endswith("\n") else text
        if line != first + offset or "\n" in body or "\r" in text:
            return None
        if offset < len(layout) - 1 and not text.endswith("\n"):
            return None   # two elements make one cell line: lines no longer match
    return first


def parse(text: str, max_cells: int = 1 << 62) -> tuple[dict[str, Any], dict[int, int | None]]:
    """The notebook's JSON and, for v4 layouts, the file line of each cell's first source line
    (known for the first ``max_cells`` cells)."""
    text = text[1:] if text.startswith("\ufeff") else text
    if not text.strip():
        raise NotebookError("not a notebook: the file is empty")
    scanner = _Scanner(text, max_cells)
    try:
        data = scanner.notebook()
    except (ValueError, RecursionError, IndexError, _PastTheLimit):
        data = None
    if data is None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise NotebookError(f"not a notebook: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") \
                from None
        except (ValueError, RecursionError) as exc:
            raise NotebookError(f"not a notebook: not JSON ({type(exc).__name__})") from None
        if not isinstance(data, dict):
            raise NotebookError(f"not a notebook: the JSON is {_kind(data)}, not an object")
        return data, {index: first_source_line(layout) for index, layout in scanner.layouts.items()}
    return data, {index: first_source_line(layout) for index, layout in scanner.layouts.items()}


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")


# -- nbformat ------------------------------------------------------------------------------------


def read(text: str, max_cells: int) -> Notebook:
    """Read, upgrade (v1-v3 to v4) and validate a notebook; raise NotebookError when nothing is readable."""
    data, first_lines = parse(text, max_cells)
    result = Notebook()
    major = data.get("nbformat")
    if not isinstance(major, int) or isinstance(major, bool):
        if not isinstance(data.get("cells"), list):
            raise NotebookError("not a notebook: no nbformat version and no cells")
        result.problems.append((None, "not a notebook: no nbformat version; cells read as nbformat 4"))
        major = 4
    elif major > 4 or major < 1:
        if not isinstance(data.get("cells"), list):
            raise NotebookError(f"not a notebook: unsupported nbformat version {major}")
        result.problems.append((None, f"unsupported nbformat version {major}; cells read as nbformat 4"))
        major = 4
    if major == 4:
        raw_cells = data.get("cells")
        if not isinstance(raw_cells, list):
            raise NotebookError("not a notebook: no list of cells")
        result.total_cells = len(raw_cells)
        if len(raw_cells) > max_cells:
            data["cells"] = raw_cells = raw_cells[:max_cells]
        _strip_outputs(raw_cells)
        metadata = data.get("metadata")
        result.metadata = metadata if isinstance(metadata, dict) else {}
        for index, raw in enumerate(raw_cells):
            cell = _cell(index, raw, first_lines.get(index), result)
            if cell is not None:
                result.cells.append(cell)
        notes, schema = check(data)
        result.notes.extend(notes)
        # A cell already reported in plain words is not reported again in the schema's words.
        if schema is not None and (schema[0] is None or schema[0] not in {c for c, _ in result.problems}):
            result.problems.append(schema)
        return result
    return _read_old(data, major, max_cells, result)


def _strip_outputs(cells: list[Any]) -> None:
    """Outputs are never analysed: dropping them keeps validation fast on huge notebooks."""
    for cell in cells:
        if isinstance(cell, dict) and isinstance(cell.get("outputs"), list):
            cell["outputs"] = []


def _cell(index: int, raw: Any, file_line: int | None, result: Notebook) -> Cell | None:
    """A cell from its JSON, or None (with a problem recorded) when it cannot be read."""
    if not isinstance(raw, dict):
        result.problems.append((index, f"cell {index} is not an object"))
        return None
    cell_type = raw.get("cell_type")
    if cell_type not in ("code", "markdown", "raw"):
        result.problems.append((index, f"cell {index} has an unknown cell_type {str(cell_type)[:40]!r}"))
        if cell_type is None or "source" not in raw:
            return None
        cell_type = "code"     # fail closed: analyse what might run
    if "source" not in raw:
        result.problems.append((index, f"missing source in cell {index}"))
        return None
    source = raw["source"]
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        source = "".join(source)
    if not isinstance(source, str):
        result.problems.append((index, f"the source of cell {index} is not text"))
        return None
    cell_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    count = raw.get("execution_count")
    count = count if isinstance(count, int) and not isinstance(count, bool) else None
    metadata = raw.get("metadata")
    return Cell(index, cell_type, source, cell_id, file_line, count, metadata if isinstance(metadata, dict) else {})


def _read_old(data: dict[str, Any], major: int, max_cells: int, result: Notebook) -> Notebook:
    """nbformat 1-3: upgraded by nbformat itself; their layout gives no file lines."""
    import nbformat

    worksheets = data.get("worksheets")
    for sheet in worksheets if isinstance(worksheets, list) else []:
        if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
            _strip_outputs(sheet["cells"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            minor = data.get("nbformat_minor", 0)
            old = nbformat.versions[major].to_notebook_json(data, minor=minor)
            notebook = nbformat.convert(old, 4)
        except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds on malformed old notebooks
            detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise NotebookError(f"not a notebook: cannot upgrade nbformat {major} ({_one_line(detail)})") from None
        cells = list(notebook.get("cells", []))
        result.total_cells = len(cells)
        notebook["cells"] = cells[:max_cells]
        try:
            nbformat.validate(notebook, version=4)
        except nbformat.ValidationError as exc:
            result.problems.append((None, f"not a valid notebook after upgrading nbformat {major}: "
                                          f"{_one_line(str(getattr(exc, 'message', exc)))}"))
    result.metadata = dict(notebook.get("metadata", {}))
    for index, raw in enumerate(notebook["cells"]):
        cell = _cell(index, dict(raw), None, result)
        if cell is not None:
            # Ids were invented by the upgrade, not read from the file.
            result.cells.append(Cell(cell.index, cell.cell_type, cell.source, None, None, cell.execution_count,
                                     cell.metadata))
    return result


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MESSAGE_CHARS else text[:_MESSAGE_CHARS - 3] + "..."
