"""Write the corpus notebooks (dangerous/notebooks, harmless/notebooks) from their specs, with nbformat.

    python tests/corpus/build_notebooks.py           # write every notebook
    python tests/corpus/build_notebooks.py --check   # exit 1 when a committed notebook differs from its spec

The notebooks are data: ``dangerous_notebooks.py`` and ``harmless_notebooks.py`` each hold
``NOTEBOOKS``, a list of specs (name, cells, kernel, cell id prefix). Adding a notebook is a new
spec and a run of this script. The output is deterministic (no execution counts, fixed cell ids,
sorted keys), so regenerating gives the committed bytes.
"""
from __future__ import annotations

import argparse
import runpy
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
KINDS = ("dangerous", "harmless")
KERNELS = {
    "python": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
               "language_info": {"name": "python"}},
    "sql": {"kernelspec": {"name": "sql", "display_name": "SQL", "language": "sql"},
            "language_info": {"name": "sql"}},
    "bash": {"kernelspec": {"name": "bash", "display_name": "Bash", "language": "bash"},
             "language_info": {"name": "bash"}},
}
CELLS = {"md": new_markdown_cell, "code": new_code_cell}


class Notebook(NamedTuple):
    kind: str
    name: str
    cells: list[tuple[str, str]]
    kernel: str = "python"
    cell_ids: str = "c"

    @property
    def path(self) -> Path:
        return HERE / self.kind / "notebooks" / f"{self.name}.ipynb"


def load(kind: str) -> list[Notebook]:
    """The specs of one kind, read from ``<kind>_notebooks.py``."""
    source = HERE / f"{kind}_notebooks.py"
    notebooks = []
    for index, spec in enumerate(runpy.run_path(str(source))["NOTEBOOKS"]):
        try:
            notebook = Notebook(kind, **spec)
        except TypeError as error:
            raise SystemExit(f"{source.name}: spec {index} ({spec.get('name')}): {error}") from None
        if notebook.kernel not in KERNELS or any(cell_type not in CELLS for cell_type, _ in notebook.cells):
            raise SystemExit(f"{source.name}: {notebook.name}: unknown kernel or cell type")
        notebooks.append(notebook)
    return notebooks


def render(notebook: Notebook) -> str:
    """The notebook's file content."""
    book = new_notebook(metadata=KERNELS[notebook.kernel])
    for index, (cell_type, text) in enumerate(notebook.cells):
        cell = CELLS[cell_type](text.strip("\n"))
        cell["id"] = f"{notebook.cell_ids}{index:02d}"
        book.cells.append(cell)
    nbformat.validate(book)
    return nbformat.writes(book) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args(argv)
    notebooks = [notebook for kind in KINDS for notebook in load(kind)]
    paths = Counter(notebook.path for notebook in notebooks)
    duplicates = sorted(str(path) for path, count in paths.items() if count > 1)
    if duplicates:
        print("two specs write the same file: " + ", ".join(duplicates), file=sys.stderr)
        return 2
    stale = []
    for notebook in notebooks:
        data = render(notebook).encode("utf-8")
        if notebook.path.exists() and notebook.path.read_bytes() == data:
            continue
        stale.append(notebook.path.relative_to(HERE).as_posix())
        if not args.check:
            notebook.path.parent.mkdir(parents=True, exist_ok=True)
            notebook.path.write_bytes(data)
    unspecified = sorted(path.relative_to(HERE).as_posix() for kind in KINDS
                         for path in (HERE / kind / "notebooks").glob("*.ipynb") if path not in paths)
    if args.check:
        for path in stale:
            print(f"{path}: differs from its spec")
        for path in unspecified:
            print(f"{path}: no spec")
        return 1 if stale or unspecified else 0
    print(f"{len(notebooks)} notebooks, {len(stale)} written")
    for path in unspecified:
        print(f"{path}: no spec", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
