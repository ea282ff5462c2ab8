"""What the corpus notebook generators share: cell helpers, kernels, and deterministic writing.

Each generator (build_notebooks*.py) makes a :class:`NotebookSet` with its file prefix and
cell-id prefix, registers notebooks with ``@notebooks.add(kind, name)`` and calls ``main()``.
Output is deterministic (fixed cell ids, no execution counts) so committed files can be
checked against their generator.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

PY = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
      "language_info": {"name": "python"}}
SQL = {"kernelspec": {"name": "sql", "display_name": "SQL", "language": "sql"}, "language_info": {"name": "sql"}}
BASH = {"kernelspec": {"name": "bash", "display_name": "Bash", "language": "bash"},
        "language_info": {"name": "bash"}}


def md(text: str):
    return ("md", text)


def code(text: str):
    return ("code", text)


class NotebookSet:
    def __init__(self, name_prefix: str = "", cell_prefix: str = "c") -> None:
        self.name_prefix = name_prefix
        self.cell_prefix = cell_prefix
        self.notebooks: list[tuple[str, str, list, dict]] = []

    def add(self, kind: str, name: str, meta: dict = PY):
        """Decorator: the function returns the notebook's cells."""
        def register(function):
            self.notebooks.append((kind, self.name_prefix + name, function(), meta))
            return function
        return register

    def write(self, kind: str, name: str, cells, meta: dict) -> None:
        book = new_notebook(metadata=meta)
        for index, (cell_type, text) in enumerate(cells):
            text = text.strip("\n")
            cell = new_markdown_cell(text) if cell_type == "md" else new_code_cell(text)
            cell["id"] = f"{self.cell_prefix}{index:02d}"
            book.cells.append(cell)
        path = HERE / kind / "notebooks" / f"{name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.validate(book)
        path.write_text(nbformat.writes(book) + "\n", encoding="utf-8")

    def main(self) -> None:
        for kind, name, cells, meta in self.notebooks:
            self.write(kind, name, cells, meta)
        print(f"wrote {len(self.notebooks)} notebooks")
