"""The notebook front end: the code cells of an ``.ipynb`` file, read the way the kernel runs them.

A notebook is read by :mod:`.read` (nbformat, v1-v3 upgraded, what nbformat repairs repaired,
outputs never analysed); :mod:`.languages` says which language each code cell is read in.

* Python cells go through IPython's own input transformation (``!cmd``, ``x = !cmd``,
  ``%magic``, ``%%bash``, ``%%sql``, ``%%writefile`` become ``get_ipython()`` calls that the
  Python front end routes to the shell and SQL front ends; a ``%%`` magic after comment-only
  lines is still the cell's magic, as IPython reads it), and all cells share one
  :class:`PythonSession`, so names and taint flow from cell to cell. The cells run in the order
  of the file: that is what "Run All" and a fresh kernel do, and what an agent's next run will
  do. When the file records a different order (every non-empty code cell has a distinct
  ``execution_count``), the cells are read a second time in that order and operations only that
  order shows (a value read in a later cell, sent in an earlier one) are added, so a notebook
  whose history leaked data is not passed because of its layout.
* SQL cells go to the SQL front end, shell cells to the shell front end, in the same session
  (a temporary table made in cell 2 is scratch when cell 5 drops it).
* A cell in a language execgate does not read (R, Julia, Scala ...) is reported as not
  analysed: execgate cannot vouch for it, so the run fails closed.

Markdown and raw cells never run and are not read. Locations are inside the
cell (``cell`` is the 0-based index), with the ``.ipynb`` line of the cell's
line when the file's layout gives it (``Location.file_line``).
"""
from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...model import Analysis, AnalysisError, Location, Operation
from ...records import replace
from .. import Options
from .. import analyze as analyze_embedded
from .knowledge import Knowledge, knowledge
from .languages import Reading, leading_magic, plan
from .languages import kernel_language as kernel_language  # read by analyzer/teamrules/semgrep.py
from .read import Cell, NotebookError, read

if TYPE_CHECKING:
    from IPython.core.inputtransformer2 import TokenTransformBase

    from ..python.walker import PythonSession


def analyze(text: str, origin: Location, options: Options) -> Analysis:
    k = knowledge()
    result = Analysis()
    try:
        notebook = read(text, k.max_cells)
    except NotebookError as exc:
        result.errors.append(AnalysisError(origin.path, str(exc)))
        return result
    result.errors.extend(AnalysisError(origin.path, message, None, cell) for cell, message in notebook.problems)
    result.notes.extend(AnalysisError(origin.path, note) for note in notebook.notes)
    if notebook.total_cells > k.max_cells:
        result.errors.append(AnalysisError(origin.path, f"too many cells ({notebook.total_cells:,}; the limit is "
                                                        f"{k.max_cells:,}): only the first {k.max_cells:,} analysed"))
    code = [cell for cell in notebook.cells if cell.cell_type == "code" and cell.source.strip()]
    if not code:
        return result
    readings, problem = plan(notebook.metadata, code, k)
    if problem:
        result.errors.append(AnalysisError(origin.path, problem))
    result.extend(_read_cells(readings, origin, options, k))
    return result


def cell_origin(origin: Location, cell: Cell, skipped: int = 0) -> Location:
    """Where line 1 of a cell's code is (``skipped`` leading blank lines further down)."""
    file_line = None if cell.file_line is None else cell.file_line + skipped
    return replace(origin, line=1 + skipped, column=1, cell=cell.index, cell_id=cell.cell_id, file_line=file_line)


# -- the session ------------------------------------------------------------------------------------


def _read_cells(readings: list[Reading], origin: Location, options: Options, k: Knowledge) -> Analysis:
    result = _run_session(readings, origin, options, k)
    recorded = recorded_order(readings) if any("python" in r.languages for r in readings) else None
    if recorded is not None:
        _add_new_operations(result, _run_session(recorded, origin, options, k).operations)
    return result


def _run_session(readings: Iterable[Reading], origin: Location, options: Options, k: Knowledge) -> Analysis:
    from ..python.walker import PythonSession

    session = PythonSession()
    # One kernel session: a temporary table made in cell 2 is scratch when cell 5 drops it.
    shared = session.shared if options.shared is None else options.shared
    result = Analysis()
    for reading in readings:
        cell = reading.cell
        if reading.problem:
            result.errors.append(AnalysisError(origin.path, reading.problem, 1, cell.index))
            continue
        if reading.declared:
            result.extend(_read_as(reading.languages[0], reading, session, shared, origin, options, k))
            continue
        # The cell names no language: read it in each language the notebook's cells name.
        readable = [analysis for analysis in (_read_as(language, reading, session, shared, origin, options, k)
                                              for language in reading.languages) if not analysis.errors]
        for analysis in readable:
            result.extend(analysis)
        if not readable:
            result.errors.append(AnalysisError(
                origin.path, f"the cell names no language and reads as none of the notebook's "
                             f"({', '.join(reading.languages)}): not analysed", 1, cell.index))
    return result


def _read_as(language: str, reading: Reading, session: PythonSession, shared: dict, origin: Location,
             options: Options, k: Knowledge) -> Analysis:
    cell = reading.cell
    if language == "python":
        return _python_cell(cell, session, origin, options, k)
    cell_options = replace(options, shared=shared)
    if language == "sql":
        cell_options = replace(cell_options, dialect=options.dialect or reading.dialect)
    return analyze_embedded(language, cell.source, cell_origin(origin, cell), cell_options)


def _python_cell(cell: Cell, session: PythonSession, origin: Location, options: Options, k: Knowledge) -> Analysis:
    """One cell through IPython's transformation and the Python session."""
    result = Analysis()
    code, skipped = leading_blank_lines(cell.source)
    here = cell_origin(origin, cell, skipped)
    # Comment-only lines above a cell magic stay as they are (they are comments to Python too);
    # the magic and its body are transformed as the cell's magic.
    at = leading_magic(code, k)
    lines = code.split("\n")
    head, code = ("\n".join(lines[:at]) + "\n", "\n".join(lines[at:])) if at else ("", code)
    code, problem = _databricks_cell(code, k)
    if problem:
        result.errors.append(AnalysisError(origin.path, problem, here.line + head.count("\n"), cell.index))
        return result
    try:
        text = head + to_python(code, k.transform_budget)
    except Exception as exc:  # noqa: BLE001 - IPython raising on odd input fails this cell closed
        result.errors.append(AnalysisError(origin.path, f"cannot transform IPython syntax: "
                                                        f"{_describe(exc)}", here.line, cell.index))
        text = head + code   # still read what parses as plain Python
    try:
        result.extend(_magic_columns(session.analyze(text, here, options), head + code, here))
    except RecursionError:
        result.errors.append(AnalysisError(origin.path, "python nested too deeply to analyse", here.line,
                                           cell.index))
    except Exception as exc:  # noqa: BLE001 - an internal failure fails this cell closed, the rest goes on
        result.errors.append(AnalysisError(origin.path, f"internal error in the python front end: "
                                                        f"{_describe(exc)}", here.line, cell.index))
    return result


def _databricks_cell(code: str, k: Knowledge) -> tuple[str, str | None]:
    """Databricks notebooks name a cell's language with a bare magic on its first line
    (``%sql``, ``%sh``, ``%fs rm -r ...``): written the way IPython reads it, same lines."""
    first, _, rest = code.partition("\n")
    word = first.strip()
    if word in k.databricks_languages:
        magic = k.databricks_languages[word]
        return (magic + "\n" + rest) if magic else "\n" + rest, None
    if word in k.databricks_text:
        return "", None
    for shell in k.databricks_shell:
        if word == shell or word.startswith(shell + " "):
            return "!" + word[len(shell) + 1:] + ("\n" + rest if rest else ""), None
    if word in k.databricks_not_analysed:
        return code, f"{word[1:]} cell not analysed (only Python, SQL and shell are)"
    return code, None


def _magic_columns(analysis: Analysis, code: str, here: Location) -> Analysis:
    """Columns on ``!cmd`` / ``%magic`` lines were measured in IPython's rewritten Python:
    point at the start of the line the user wrote instead."""
    lines = code.split("\n")
    fixed = []
    for op in analysis.operations:
        index = op.location.line - here.line
        if op.location.cell == here.cell and 0 <= index < len(lines) and lines[index].lstrip()[:1] in ("!", "%"):
            column = len(lines[index]) - len(lines[index].lstrip()) + 1
            op = replace(op, location=replace(op.location, column=column))
        fixed.append(op)
    analysis.operations = fixed
    return analysis


def recorded_order(readings: list[Reading]) -> list[Reading] | None:
    """The order the cells last ran in, when the file records one that differs from its layout."""
    counts = [reading.cell.execution_count for reading in readings]
    if None in counts or len(set(counts)) != len(counts):
        return None
    ordered = sorted(readings, key=lambda reading: reading.cell.execution_count or 0)
    return None if [r.cell.index for r in ordered] == [r.cell.index for r in readings] else ordered


def _add_new_operations(result: Analysis, extra: list[Operation]) -> None:
    """Operations of the second reading that the first did not find, or found without a source."""
    def key(op: Operation) -> tuple:
        loc = op.location
        return op.rule, loc.cell, loc.line, loc.column, op.targets

    where = {key(op): index for index, op in enumerate(result.operations)}
    for op in extra:
        index = where.get(key(op))
        if index is None:
            where[key(op)] = len(result.operations)
            result.operations.append(op)
        elif result.operations[index].detail("source") is None and op.detail("source") is not None:
            result.operations[index] = op


def leading_blank_lines(source: str) -> tuple[str, int]:
    """The source without its leading blank lines, and how many there were.

    IPython drops them before anything else; counting them here keeps the
    reported lines those of the cell."""
    lines = source.split("\n")
    skipped = 0
    while skipped < len(lines) - 1 and not lines[skipped].strip():
        skipped += 1
    return "\n".join(lines[skipped:]), skipped


# A line that may hold IPython syntax: an escape at its start (! % ? and the autocall escapes , ; /),
# `x = !cmd` / `x = %magic`, or help `obj?`.
_ESCAPED = re.compile(r"^[ \t]*[!%?,;/]|=[ \t]*[!%]|\?[ \t]*$", re.MULTILINE)
_CHUNK_LINES = 10
# IPython's cleanup transforms look at the first two lines: prompts (>>>, ..., In [1]:) and indentation.
_PROMPT = re.compile(r"[ \t]|>>>|\.\.\.|In \[|Out\[")


class TransformBudgetError(Exception):
    """A cell holds more IPython syntax than can be transformed in bounded time."""


def to_python(code: str, budget: int) -> str:
    """A cell's code as the kernel would compile it, line for line.

    IPython re-tokenises the whole cell after each of its transforms, so the
    cost is (escaped lines) x (lines): 500 ``!`` lines took seconds. Past
    ``budget`` the cell is transformed in chunks cut at lines that start at
    column 0, which keeps the cost linear; a chunk still over the budget
    raises :class:`TransformBudgetError` (the cell then fails closed)."""
    with warnings.catch_warnings():
        # IPython warns (on stderr) about lines split at \x1c, \u2028 and friends; the lines stay.
        warnings.simplefilter("ignore", UserWarning)
        return _transform(code, budget)


def _transform(code: str, budget: int) -> str:
    escaped = len(_ESCAPED.findall(code))
    if not escaped and not any(_PROMPT.match(line) for line in code.split("\n", 2)[:2]):
        return code   # plain Python: IPython would hand it back unchanged (it costs ~0.5 ms a cell)
    manager = _manager()
    if escaped * (code.count("\n") + 1) <= budget:
        return manager.transform_cell(code)
    lines = (code if code.endswith("\n") else code + "\n").splitlines(keepends=True)
    for transform in manager.cleanup_transforms + manager.line_transforms:
        lines = transform(lines)
    out: list[str] = []
    for chunk in _chunks(lines):
        escaped = sum(1 for line in chunk if _ESCAPED.search(line))
        if escaped * len(chunk) > budget:
            raise TransformBudgetError(f"too much IPython syntax to transform ({escaped} escaped lines "
                                       f"in a block of {len(chunk)} lines)")
        out.extend(manager.do_token_transforms(chunk))
    return "".join(out)


def _chunks(lines: list[str]) -> Iterable[list[str]]:
    """Runs of about ``_CHUNK_LINES`` lines, each starting at a line that starts at column 0."""
    chunk: list[str] = []
    for line in lines:
        if len(chunk) >= _CHUNK_LINES and line[:1] not in (" ", "\t", "\n", "\r", ")", "]", "}", ""):
            yield chunk
            chunk = []
        chunk.append(line)
    if chunk:
        yield chunk


@functools.lru_cache(maxsize=1)
def _manager():
    """IPython's TransformerManager whose token transforms keep the number of lines.

    ``!cmd \\`` continued over several lines becomes one line in IPython, which
    would move every later line of the cell up; blank lines are put back
    after the transformed line (blank lines mean nothing to Python)."""
    from IPython.core.inputtransformer2 import TransformerManager

    manager = TransformerManager()
    manager.token_transformers = [_line_preserving(cls) for cls in manager.token_transformers]
    return manager


def _line_preserving(cls: type[TokenTransformBase]) -> type[TokenTransformBase]:
    def transform(self: TokenTransformBase, lines: list[str]) -> list[str]:
        out = cls.transform(self, lines)
        lost = len(lines) - len(out)
        if lost > 0:
            at = self.start_line + 1
            out = out[:at] + ["\n"] * lost + out[at:]
        return out

    return type(f"LinePreserving{cls.__name__}", (cls,), {"transform": transform})


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 120 else text[:117] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
