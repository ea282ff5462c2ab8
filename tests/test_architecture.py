"""The house keeps its shape: no import cycles, click only in commands/, a small top level,
one package per front end, every package in the wheel, and docstrings that cite real files."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "analyzer"
MAX_TOP_LEVEL_MODULES = 12


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
# The catalogue ships inside the package as analyzer.rules (pyproject maps rules/ there).
SHIPPED_AS = {"analyzer.rules": ROOT / "rules" / "__init__.py"}


def imported_modules(name: str, path: Path) -> set[str]:
    """Every analyzer module ``name`` imports, wherever the import stands (module level, inside a
    function, under TYPE_CHECKING): a cycle through any of them is a seam that was never cut."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("analyzer"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("analyzer"):
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in MODULES else target)
    return {module for module in found if module in MODULES and module != name}


def import_graph() -> dict[str, set[str]]:
    return {name: imported_modules(name, path) for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle_between_analyzer_modules() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_a_function_level_import_counts() -> None:
    # engine imports scan inside a function: the graph must see it.
    assert "analyzer.scan" in import_graph()["analyzer.engine"]


def test_click_lives_only_in_commands() -> None:
    offenders = []
    for name, path in MODULES.items():
        if name.startswith("analyzer.commands"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if any(n == "click" or n.startswith("click.") for n in names):
                offenders.append(name)
    assert offenders == []


def test_the_top_level_stays_small_and_front_ends_are_packages() -> None:
    top_level = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top_level) <= MAX_TOP_LEVEL_MODULES, top_level
    for language in ("python", "sql", "shell", "notebook"):
        assert (PACKAGE / "frontends" / language / "__init__.py").is_file(), language


def test_no_private_name_is_imported_from_another_module() -> None:
    offenders = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("analyzer")):
                offenders += [f"{name}: {alias.name}" for alias in node.names
                              if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert offenders == []


# -- docstrings cite what exists ----------------------------------------------------------------

_CITED_FILE = re.compile(r"(?<![\w./-])((?:analyzer|rules|tests|bench|hooks|docs|examples)/[\w./-]*\w)")
_CITED_MODULE = re.compile(r"(?<![\w.])(analyzer(?:\.\w+)+)")


def cited(text: str) -> tuple[set[str], set[str]]:
    return set(_CITED_FILE.findall(text)), set(_CITED_MODULE.findall(text))


def top_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def dangling(reference: str) -> bool:
    """A dotted reference is fine when its longest module prefix exists and the next part, if
    any, is a name that module defines (a class, function or constant; methods are not checked)."""
    parts = reference.split(".")
    known = {**MODULES, **SHIPPED_AS}
    for cut in range(len(parts), 0, -1):
        module = ".".join(parts[:cut])
        if module in known:
            rest = parts[cut:]
            return bool(rest) and rest[0] not in top_level_names(known[module]) and \
                f"{module}.{rest[0]}" not in known
    return True


def test_docstrings_and_comments_cite_only_what_exists() -> None:
    missing = []
    for name, path in MODULES.items():
        files, modules = cited(path.read_text(encoding="utf-8"))
        missing += [f"{name}: {f}" for f in files if not (ROOT / f.rstrip(".")).exists()]
        missing += [f"{name}: {m}" for m in modules if dangling(m.rstrip("."))]
    assert missing == []


def test_the_citation_check_sees_a_stale_reference() -> None:
    files, modules = cited("See analyzer/policy_loader.py and analyzer.policy.rules.no_such_name.")
    assert files == {"analyzer/policy_loader.py"} and not (ROOT / "analyzer/policy_loader.py").exists()
    assert dangling("analyzer.policy.rules.no_such_name") and dangling("analyzer.ipython_ext")
    assert not dangling("analyzer.engine.Checker") and not dangling("analyzer.frontends.python")


# -- packaging ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True, text=True, timeout=300)
    (built,) = out.glob("execgate-*.whl")
    return zipfile.ZipFile(built)


def test_every_package_and_data_file_is_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    packages = {p.parent.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("__init__.py")}
    assert {p for p in packages if f"{p}/__init__.py" not in names} == set()
    modules = {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py")}
    assert modules - names == set()
    shipped_rules = {f"analyzer/rules/{p.relative_to(ROOT / 'rules').as_posix()}"
                     for p in (ROOT / "rules").rglob("*.yaml")}
    assert shipped_rules - names == set()
    assert "analyzer/policy/policy.schema.json" in names


# -- every rule is tested both ways --------------------------------------------------------------


def test_every_catalogue_rule_has_a_positive_and_a_near_miss_fixture() -> None:
    from annotations import ANNOTATION

    from analyzer.catalogue import load_catalogue

    annotated: dict[str, set[str]] = {"ruleid": set(), "ok": set()}
    for fixture in (ROOT / "tests" / "fixtures").rglob("*"):
        if not fixture.is_file() or fixture.suffix in (".json", ".yaml", ".yml"):
            continue
        for line in fixture.read_text(encoding="utf-8", errors="replace").splitlines():
            match = ANNOTATION.search(line.strip())
            if match:
                annotated[match.group(1)].update(r.strip() for r in match.group(2).split(",") if r.strip())
    rules = set(load_catalogue().rules)
    assert sorted(rules - annotated["ruleid"]) == []
    assert sorted(rules - annotated["ok"]) == []
