"""Front ends: one per language, each turning source text into an :class:`Analysis`.

Every front end module exposes ``analyze(text, origin, options) -> Analysis``.
``origin`` is where the first character of ``text`` sits in the real file
(line, column, notebook cell), so embedded code (SQL in a Python string, a
shell command in ``subprocess.run``) reports the real file's lines. Front ends
hand embedded code to each other through :func:`analyze`, never directly.
"""
from __future__ import annotations

import importlib
from pathlib import PurePath
from typing import Any

from ..model import Analysis, AnalysisError, Location
from ..records import Record, field, replace

# Embedded code within embedded code (bash -c inside subprocess inside exec ...)
# is followed this deep, then reported as evasion.
MAX_DEPTH = 8

EXTENSIONS = {
    ".py": "python", ".pyw": "python", ".pyi": "python", ".ipy": "python",
    ".sql": "sql", ".ddl": "sql", ".dml": "sql", ".hql": "sql", ".psql": "sql",
    ".sh": "shell", ".bash": "shell", ".zsh": "shell", ".ksh": "shell",
    ".ipynb": "notebook",
}
SHEBANG_LANGUAGES = {"python": "python", "bash": "shell", "sh": "shell", "zsh": "shell",
                     "dash": "shell", "ksh": "shell", "psql": "sql"}


class Options(Record, frozen=True):
    """How to analyse: settings that come from the policy and command line, never decisions."""

    dialect: str | None = None    # SQL dialect; None means infer from context, then try several
    depth: int = 0                # how deep in embedded code we are
    prefilter: bool = True        # skip the full parse when no rule's trigger word appears
    # The language the embedding code was written in, with a hint such as the
    # client a SQL string was given to ("snowflake.connector") or the shell
    # interpreter ("bash").
    context_hint: str | None = None
    # State that outlives one unit, owned by whoever analyses several units in a row (a Python
    # file's successive execute() calls, a notebook's cells): e.g. the temporary tables created
    # so far, so that dropping one later is known to be harmless. Keys are namespaced by front end.
    shared: dict | None = field(default=None)
    # The Python files of the checked set (absolute paths): a Python unit that imports one of them
    # uses what that module's functions and constants do (frontends/python/summaries.py). Empty for
    # one file, --stdin and the kernel gate.
    modules: frozenset[str] = frozenset()
    # Folders (real paths) a script run by its path may be read from (frontends/scriptfile.py):
    # the checked roots; empty means the folder of the file being analysed.
    roots: tuple[str, ...] = ()
    # Where a text that is no file runs (an agent's command, --stdin, a kernel cell): a script it runs
    # by a relative path is looked up there, and that folder is its root. None: such scripts are not read.
    workdir: str | None = None
    # Script files being followed (real paths), outermost first: one that runs itself is not read again.
    scripts: tuple[str, ...] = ()

    def deeper(self, **changes: Any) -> Options:
        return replace(self, depth=self.depth + 1, **changes)


def language_for_path(path: str, head: str = "") -> str | None:
    """The language of a file from its extension, else from a shebang line."""
    suffix = PurePath(path).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if head.startswith("#!"):
        words = head[2:].split("\n", 1)[0].split()
        if words:
            name = PurePath(words[0]).name
            if name == "env" and len(words) > 1:
                name = words[1]
            name = name.rstrip("0123456789.")
            return SHEBANG_LANGUAGES.get(name)
    return None


def analyze(language: str, text: str, origin: Location, options: Options | None = None) -> Analysis:
    """Analyse ``text`` written in ``language``; errors inside a front end become AnalysisErrors."""
    options = options or Options()
    if options.depth > MAX_DEPTH:
        return Analysis(errors=[AnalysisError(origin.path, f"embedded {language} nested more than {MAX_DEPTH} deep",
                                              origin.line, origin.cell)])
    try:
        module = importlib.import_module(f"{__name__}.{language}")
        return module.analyze(text, origin, options)
    except RecursionError:
        return Analysis(errors=[AnalysisError(origin.path, f"{language} nested too deeply to analyse",
                                              origin.line, origin.cell)])
    except MemoryError:
        return Analysis(errors=[AnalysisError(origin.path, f"{language} too large to analyse",
                                              origin.line, origin.cell)])
    except Exception as exc:  # noqa: BLE001 - an internal failure must fail closed, not escape
        return Analysis(errors=[AnalysisError(origin.path, f"internal error in the {language} front end: "
                                              f"{type(exc).__name__}: {exc}", origin.line, origin.cell)])
