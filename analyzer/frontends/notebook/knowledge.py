"""What the notebook front end knows about kernels, cell languages and magics, read once from
``rules/notebook.yaml`` (the catalogue's ``notebook`` section).

Product facts (kernel names, where each notebook tool writes a cell's language, Databricks'
first-line magics, jupysql's options) are data there; this module only turns them into lookups.
"""
from __future__ import annotations

import functools
from typing import Any

from ...catalogue import load_catalogue
from ...records import Record


class Knowledge(Record, frozen=True):
    """The catalogue's ``notebook`` section (rules/notebook.yaml)."""

    default_language: str
    python_kernels: frozenset[str]
    shell_kernels: frozenset[str]
    sql_kernels: dict[str, str | None]
    max_cells: int
    transform_budget: int
    # Databricks' first-line magics: magic -> IPython cell magic, documentation, shell, other languages
    databricks_languages: dict[str, str]
    databricks_text: frozenset[str]
    databricks_shell: tuple[str, ...]
    databricks_not_analysed: frozenset[str]
    # Cell languages: names that never run, where tools write a cell's language, notebook-level keys
    text_languages: frozenset[str] = frozenset()
    cell_language_keys: tuple[tuple[str, ...], ...] = ()
    notebook_language_keys: tuple[tuple[str, ...], ...] = ()
    cell_language_kernels: tuple[tuple[str, str | None], ...] = ()
    notebook_dialects: tuple[tuple[str, str], ...] = ()
    # jupysql / ipython-sql: the grammar of the %sql line
    sql_magic_with_value: frozenset[str] = frozenset()
    sql_magic_flags: frozenset[str] = frozenset()
    sql_magic_file: frozenset[str] = frozenset()
    sql_magic_persist: frozenset[str] = frozenset()
    sql_magic_replace: frozenset[str] = frozenset()
    sql_single_word_statements: frozenset[str] = frozenset()

    def front_end(self, name: str) -> tuple[str | None, str | None]:
        """(front-end language, SQL dialect) for a kernel or cell language name: ``python``,
        ``sql``, ``shell``, ``text`` (never runs), or None when execgate does not read it."""
        name = name.strip().lower()
        if name in self.python_kernels:
            return "python", None
        if name in self.shell_kernels:
            return "shell", None
        if name in self.sql_kernels:
            return "sql", self.sql_kernels[name]
        if name in self.text_languages:
            return "text", None
        return None, None


def _paths(values: Any) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(part) for part in path) for path in values or () if isinstance(path, list) and path)


@functools.lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    section = load_catalogue().section("notebook")
    databricks = section.get("databricks_magics") or {}
    magic = section.get("sql_magic") or {}
    return Knowledge(
        default_language=section.get("default_language", "python"),
        python_kernels=frozenset(section.get("python_kernels", ("python",))),
        shell_kernels=frozenset(section.get("shell_kernels", ())),
        sql_kernels=dict(section.get("sql_kernels", {})),
        max_cells=int(section.get("max_cells", 20000)),
        transform_budget=int(section.get("transform_budget", 20000)),
        databricks_languages={str(k): str(v or "") for k, v in (databricks.get("languages") or {}).items()},
        databricks_text=frozenset(databricks.get("text") or ()),
        databricks_shell=tuple(databricks.get("shell") or ()),
        databricks_not_analysed=frozenset(databricks.get("not_analysed") or ()),
        text_languages=frozenset(section.get("text_languages") or ()),
        cell_language_keys=_paths(section.get("cell_language_keys")),
        notebook_language_keys=_paths(section.get("notebook_language_keys")),
        cell_language_kernels=tuple((str(name).lower(), dialect)
                                    for name, dialect in (section.get("cell_language_kernels") or {}).items()),
        notebook_dialects=tuple((str(k), str(v)) for k, v in (section.get("notebook_dialects") or {}).items()),
        sql_magic_with_value=frozenset(magic.get("options_with_value") or ()),
        sql_magic_flags=frozenset(magic.get("flags") or ()),
        sql_magic_file=frozenset(magic.get("file_options") or ()),
        sql_magic_persist=frozenset(magic.get("persist_options") or ()),
        sql_magic_replace=frozenset(magic.get("replace_options") or ()),
        sql_single_word_statements=frozenset(w.lower() for w in magic.get("single_word_statements") or ()),
    )
