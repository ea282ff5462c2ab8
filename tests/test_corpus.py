"""The realistic corpus: agent-style files that must be blocked, and near-misses that must pass.

tests/corpus/dangerous/** holds whole files (Python, Python with embedded SQL,
SQL, shell, notebooks) with one or a few dangerous operations, each announced by
an annotation on the line above it::

    # expect: destructive          (Python, shell; inside notebook cells too)
    -- expect: exfiltration        (SQL, %%sql cells, SQL embedded in heredocs)

tests/corpus/harmless/** holds near-misses from THREATS.md "Not findings".
The notebooks of both are written from the specs in tests/corpus/*_notebooks.py
by ``python tests/corpus/build_notebooks.py``.

Every file goes through ``execgate check FILE --format json`` in-process, with
the built-in policy (no .execgate.yaml may exist between the corpus and the
filesystem root). A dangerous file must exit 1 and, for every annotation, have
a finding with decision ``block`` and the annotated category on the annotated
line (or within the statement that starts there; for notebooks in the same
cell). A harmless file must exit 0 with no blocked finding.

Failures here are gaps for the front ends and the catalogue: fix the tool,
never the labels. ``bench/corpus_report.py`` prints the rates and every miss.
"""
from __future__ import annotations

import ast
import contextlib
import io
import json
import re
import runpy
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent / "corpus"
KINDS = ("dangerous", "harmless")
SUFFIXES = {".py": "python", ".sql": "sql", ".sh": "shell", ".ipynb": "notebook"}
ANNOTATION = re.compile(r"^\s*(?:#|--)\s*expect:\s*([a-z][a-z ,]*?)\s*$")


@dataclass(frozen=True)
class Expect:
    category: str
    line: int          # 1-based; inside the cell for notebooks
    end: int           # last line of the statement that starts at `line`
    cell: int | None = None


@dataclass
class Case:
    path: Path
    kind: str          # dangerous | harmless
    group: str         # python | embedded_sql | sql | shell | notebooks (the folder)
    language: str      # python | sql | shell | notebook (from the suffix)
    expects: list[Expect] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.relative_to(ROOT).as_posix()


# -- annotations and statement extents ----------------------------------------------------------

def _python_extent(lines: list[str], index: int) -> int | None:
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return None
    end = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno == index + 1:
            # a compound statement (for/with/def) spans its body: only its header line counts
            if isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.If, ast.With, ast.AsyncWith,
                                 ast.Try, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                first_body = node.body[0].lineno if node.body else node.lineno
                candidate = max(node.lineno, first_body - 1)
            else:
                candidate = node.end_lineno or node.lineno
            end = max(end or 0, candidate)
    return end


def _bracket_extent(lines: list[str], index: int) -> int:
    depth, i = 0, index
    triple = False
    while i < len(lines):
        text = lines[i]
        if text.count('"""') % 2 or text.count("'''") % 2:
            triple = not triple
        stripped = re.sub(r"(\"[^\"]*\"|'[^']*')", "", text)
        depth += sum(stripped.count(c) for c in "([{") - sum(stripped.count(c) for c in ")]}")
        if depth <= 0 and not triple and not text.rstrip().endswith("\\"):
            return i + 1
        i += 1
    return len(lines)


def _sql_extent(lines: list[str], index: int) -> int:
    for i in range(index, len(lines)):
        code = lines[i].split("--", 1)[0]
        if ";" in code or (i > index and not lines[i].strip()):
            return i + 1 if ";" in code else i
    return len(lines)


def _shell_extent(lines: list[str], index: int) -> int:
    i = index
    while i < len(lines) and lines[i].rstrip().endswith("\\"):
        i += 1
    heredoc = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", lines[index])
    if heredoc:
        for j in range(i + 1, len(lines)):
            if lines[j].strip() == heredoc.group(1):
                return j + 1
    return i + 1


def _extent(language: str, lines: list[str], index: int) -> int:
    if language == "python":
        if lines[index].lstrip().startswith(("!", "%")):
            return _shell_extent(lines, index)
        return _python_extent(lines, index) or _bracket_extent(lines, index)
    if language == "sql":
        return _sql_extent(lines, index)
    return _shell_extent(lines, index)


def annotations(text: str, language: str, cell: int | None = None) -> list[Expect]:
    lines = text.splitlines()
    found, pending = [], []
    for index, line in enumerate(lines):
        match = ANNOTATION.match(line)
        if match:
            pending.extend(c.strip() for c in match.group(1).split(",") if c.strip())
            continue
        if pending and line.strip():
            end = _extent(language, lines, index)
            found.extend(Expect(category, index + 1, max(end, index + 1), cell) for category in pending)
            pending = []
    return found


def _cell_language(source: str, kernel: str) -> str:
    first = source.lstrip().split("\n", 1)[0].strip()
    if kernel in ("sql", "shell"):
        return kernel
    if first.startswith("%%sql"):
        return "sql"
    if first.startswith(("%%bash", "%%sh", "%%script")):
        return "shell"
    return "python"


def load_case(path: Path) -> Case:
    kind, group = path.relative_to(ROOT).parts[:2]
    language = SUFFIXES[path.suffix]
    case = Case(path, kind, group, language)
    text = path.read_text(encoding="utf-8")
    if language == "notebook":
        nb = json.loads(text)
        kernel = (nb.get("metadata", {}).get("kernelspec", {}).get("language") or "python").lower()
        kernel = {"bash": "shell", "sh": "shell"}.get(kernel, kernel)
        for index, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            case.expects += annotations(source, _cell_language(source, kernel), cell=index)
    else:
        case.expects = annotations(text, language)
    return case


def cases() -> list[Case]:
    found = []
    for kind in KINDS:
        for path in sorted((ROOT / kind).rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES:
                found.append(load_case(path))
    return found


# -- running execgate ---------------------------------------------------------------------------

def run_execgate(path: Path) -> tuple[int, dict]:
    """`execgate check PATH --format json` in-process: (exit code, parsed report)."""
    from analyzer.commands.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", str(path), "--format", "json", "--no-cache", "--jobs", "1"])
    text = out.getvalue()
    try:
        report = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError:
        report = {"unparsed": text}
    return code, report


@dataclass
class Outcome:
    case: Case
    code: int
    findings: list[dict]
    errors: list[dict]
    hits: dict[Expect, str]         # exact | in-statement
    misses: list[tuple[Expect, str]]  # (expectation, what was found instead)
    false_positives: list[dict]     # blocked findings in a harmless file

    @property
    def blocked(self) -> bool:
        return self.code == 1

    @property
    def passed(self) -> bool:
        if self.case.kind == "dangerous":
            return self.code == 1 and not self.misses
        return self.code == 0 and not self.false_positives


def _describe(finding: dict) -> str:
    cell = f" cell {finding.get('cell')}" if finding.get("cell") is not None else ""
    return (f"{finding.get('rule')}({finding.get('category')}, {finding.get('decision')}) "
            f"at line {finding.get('line')}{cell}")


def evaluate(case: Case) -> Outcome:
    code, report = run_execgate(case.path)
    findings = report.get("findings", [])
    blocked = [f for f in findings if f.get("decision") == "block"]
    hits: dict[Expect, str] = {}
    misses: list[tuple[Expect, str]] = []
    for exp in case.expects:
        same_cell = [f for f in blocked if f.get("cell") == exp.cell]
        exact = [f for f in same_cell if f.get("line") == exp.line and f.get("category") == exp.category]
        inside = [f for f in same_cell if exp.line <= (f.get("line") or 0) <= exp.end
                  and f.get("category") == exp.category]
        if exact:
            hits[exp] = "exact"
        elif inside:
            hits[exp] = "in-statement"
        else:
            near = [f for f in findings if f.get("cell") == exp.cell
                    and exp.line - 3 <= (f.get("line") or 0) <= exp.end + 3]
            got = "; ".join(_describe(f) for f in near) or "nothing on or near that line"
            if not near and blocked:
                got += " (file blocked elsewhere: " + "; ".join(_describe(f) for f in blocked[:3]) + ")"
            misses.append((exp, got))
    false_positives = blocked if case.kind == "harmless" else []
    return Outcome(case, code, findings, report.get("errors", []), hits, misses, false_positives)


# -- the tests ----------------------------------------------------------------------------------

ALL_CASES = cases()


def test_corpus_uses_the_builtin_policy() -> None:
    for folder in [ROOT, *ROOT.parents]:
        for name in (".execgate.yaml", ".execgate.yml"):
            assert not (folder / name).exists(), f"{folder / name} would replace the built-in policy"


def test_corpus_is_annotated() -> None:
    dangerous = [c for c in ALL_CASES if c.kind == "dangerous"]
    harmless = [c for c in ALL_CASES if c.kind == "harmless"]
    assert len(dangerous) >= 100 and len(harmless) >= 100
    assert all(c.expects for c in dangerous), [c.name for c in dangerous if not c.expects]
    assert not any(c.expects for c in harmless), [c.name for c in harmless if c.expects]


def test_notebooks_match_their_specs() -> None:
    """The notebooks are written from tests/corpus/*_notebooks.py by build_notebooks.py."""
    builder = runpy.run_path(str(ROOT / "build_notebooks.py"))
    assert builder["main"](["--check"]) == 0, "run: python tests/corpus/build_notebooks.py"


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.name)
def test_corpus_file(case: Case) -> None:
    outcome = evaluate(case)
    if case.kind == "dangerous":
        problems = [f"line {e.line}" + (f" of cell {e.cell}" if e.cell is not None else "")
                    + f": expected a blocked {e.category} finding, got {got}" for e, got in outcome.misses]
        assert outcome.code == 1 and not problems, (
            f"exit code {outcome.code} (want 1); errors {outcome.errors}\n" + "\n".join(problems))
    else:
        assert outcome.code == 0 and not outcome.false_positives, (
            f"exit code {outcome.code} (want 0); errors {outcome.errors}\n"
            + "\n".join(_describe(f) + ": " + str(f.get("message")) for f in outcome.false_positives))
