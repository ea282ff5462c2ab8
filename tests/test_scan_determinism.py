"""A folder scan gives the same findings whatever the order the files are analysed in and however
they are shared out among worker processes (analyzer/scan.py): a file's analysis depends on the file
and the checked set, never on what the process analysed before it.

The projects below made the earlier front end answer differently by order: a sibling module's
summary was kept from its first walk, and that walk followed fewer imports when it was reached
deep in another file's import chain (or inside an import cycle) than when a file imported it
directly. Each configuration runs in a fresh process, as the command line runs it.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.engine import Checker
from analyzer.model import Context
from analyzer.policy.load import load_policy

ROOT = Path(__file__).resolve().parent.parent

# Runs analyze_files as Checker.check_paths sets it up (the Python files are one checked set),
# over the files in the order given, and prints what each finding says.
RUNNER = """
import json, os, sys
from analyzer.engine import Checker
from analyzer.model import Context
from analyzer.policy.load import load_policy
from analyzer.records import replace
from analyzer.scan import analyze_files

files, jobs = json.loads(sys.argv[1]), int(sys.argv[2])
checker = Checker(load_policy(), Context())
checker.options = replace(checker.options, modules=frozenset(os.path.abspath(f) for f in files))
found = sorted({(op.rule, op.location.path, op.location.line, op.targets, repr(op.details))
                for analysis in analyze_files(checker, files, jobs=jobs) for op in analysis.operations})
print(json.dumps(found))
"""

SHUTIL = "import shutil\n"
RMTREE = "shutil" + ".rmtree"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _filler(root: Path, count: int) -> None:
    """Enough files for the scan to use workers (analyzer.scan.PARALLEL_THRESHOLD)."""
    _write(root, {f"filler/f{index:02}.py": f"x = {index}\n" for index in range(count)})


def _files(root: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*.py"))


def _run(files: list[str], jobs: int) -> list:
    done = subprocess.run([sys.executable, "-c", RUNNER, json.dumps(files), str(jobs)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    return [tuple(item[:3]) + (tuple(item[3]), item[4]) for item in json.loads(done.stdout)]


def _orders(files: list[str], first: list[str]) -> list[list[str]]:
    """The files as listed, with ``first`` put at the front and at the end, and shuffled."""
    rest = [f for f in files if f not in first]
    orders = [files, first + rest, rest + first, list(reversed(first)) + rest]
    for seed in range(2):
        shuffled = list(files)
        random.Random(seed).shuffle(shuffled)
        orders.append(shuffled)
    return orders


def _targets(found: list, path: str) -> set[tuple[str, ...]]:
    return {targets for rule, where, _, targets, _ in found if where == path and rule == "py.fs-delete-tree"}


# b.py is imported directly by deep.py and three levels down by top.py (top > a > b > c > d):
# read from top.py's chain, c's import of d was past the depth limit, and the b kept from that
# walk no longer knew the constant deep.py passes to rmtree.
CHAIN = {
    "d.py": 'TARGET = "/srv/data"\n',
    "c.py": "from d import TARGET\nPATH = TARGET\n",
    "b.py": "from c import PATH\nWHERE = PATH\n",
    "a.py": "from b import WHERE\nPLACE = WHERE\n",
    "top.py": "import a\nNAME = a.PLACE\n",
    "deep.py": SHUTIL + "from b import WHERE\n" + RMTREE + "(WHERE)\n",
}

# left.py and right.py import each other. use.py reads left's constant, which left takes from
# right: walked first from other.py (right > left), left was kept without right (the cycle cut it).
CYCLE = {
    "pkg/left.py": "from right import TARGET\nPATH = TARGET\n",
    "pkg/right.py": 'import left\nTARGET = "/srv/cycle"\n',
    "pkg/other.py": "import right\nVALUE = right.TARGET\n",
    "pkg/use.py": SHUTIL + "from left import PATH\n" + RMTREE + "(PATH)\n",
}


# A helper's reading with one call's arguments was kept on the helper's summary, shared by every
# file importing helpers.py: read from deep_caller.py at the limit of nested readings, it had not
# reached wipe(), and caller.py, analysed after it, reused that reading and lost its finding.
READINGS = {
    "helpers.py": SHUTIL + "\n\ndef wipe(p):\n    " + RMTREE + "(p)\n\n\ndef level1(p):\n    wipe(p)\n",
    "deep_caller.py": "from helpers import level1\n\n\ndef f3(p):\n    level1(p)\n\n\ndef f2(p):\n    f3(p)\n\n\n"
                      "def f1(p):\n    f2(p)\n\n\nf1('/srv/x')\n",
    "caller.py": "from helpers import level1\n\nlevel1('/srv/x')\n",
}


# Store.purge is not bound as a function in its class (purge = staticmethod(purge)): its body was
# read on its own at its first call, and what that found (what a later call need not repeat) was
# kept on the shared summary. Read first from deep_user.py, at the limit of nested readings, it
# missed wipe()'s rmtree, and user.py's call reported that rmtree again as if the call caused it.
UNREAD_METHOD = {
    "store.py": SHUTIL + "\n\ndef wipe(p):\n    " + RMTREE + "(p)\n\n\nclass Store:\n"
                "    def purge(self, flag):\n        wipe('/srv/data')\n\n    purge = staticmethod(purge)\n",
    "deep_user.py": "from store import Store\n\n\ndef f3(p):\n    Store().purge(p)\n\n\ndef f2(p):\n    f3(p)\n\n\n"
                    "def f1(p):\n    f2(p)\n\n\nf1(1)\n",
    "user.py": "from store import Store\n\nStore().purge(1)\n",
}


@pytest.mark.parametrize(("project", "first", "reader", "expected"), [
    (CHAIN, ["top.py"], "deep.py", ("/srv/data",)),
    (CYCLE, ["pkg/other.py"], "pkg/use.py", ("/srv/cycle",)),
    (READINGS, ["deep_caller.py"], "caller.py", ("/srv/x",)),
    (UNREAD_METHOD, ["deep_user.py"], "user.py", None),
], ids=["import-chain", "import-cycle", "kept-readings", "unread-method"])
def test_the_findings_do_not_depend_on_the_order_or_the_workers(
        tmp_path: Path, project: dict, first: list[str], reader: str, expected: tuple[str, ...] | None) -> None:
    _write(tmp_path, project)
    _filler(tmp_path, 24)
    files = _files(tmp_path)
    single = _run(files, 1)
    # The file that reads the sibling sees everything its own imports lead to, whatever came first.
    assert _targets(single, str(tmp_path / reader)) == ({expected} if expected else set())
    for order in _orders(files, [str(tmp_path / name) for name in first]):
        assert _run(order, 1) == single, order
    for order in _orders(files, [str(tmp_path / name) for name in first])[:3]:
        assert _run(order, 2) == single, order


def test_one_process_scanning_again_in_another_order_gives_the_same_findings(tmp_path: Path) -> None:
    """A process that keeps running (the warm server) answers a second scan as a fresh one would."""
    _write(tmp_path, CHAIN)
    _write(tmp_path / "cycle", CYCLE)
    _write(tmp_path / "readings", READINGS)
    files = _files(tmp_path)
    checker = Checker(load_policy(), Context())
    reports = []
    for order in _orders(files, [str(tmp_path / "top.py"), str(tmp_path / "cycle/pkg/other.py"),
                                 str(tmp_path / "readings/deep_caller.py")]):
        found = checker.check_paths(order)
        reports.append(sorted((f.operation.rule, f.operation.location.path, f.operation.location.line,
                               f.operation.targets) for f in found.findings))
    assert all(report == reports[0] for report in reports)
    assert {(Path(path).name, targets) for rule, path, _, targets in reports[0]
            if rule == "py.fs-delete-tree" and not path.endswith("helpers.py")} == \
        {("deep.py", ("/srv/data",)), ("use.py", ("/srv/cycle",)), ("caller.py", ("/srv/x",))}


def test_a_scan_reads_the_siblings_as_they_are_now(tmp_path: Path) -> None:
    """A process that scans again after a file changed (the warm server): a sibling's summary that
    took a constant from a module that has changed since is not reused."""
    _write(tmp_path, {"data.py": 'TARGET = "/srv/one"\n',
                      "conf.py": "from data import TARGET as FOUND\nTARGET = FOUND\n",
                      "app.py": SHUTIL + "from conf import TARGET\n" + RMTREE + "(TARGET)\n"})
    checker = Checker(load_policy(), Context())
    files = [str(tmp_path / name) for name in ("app.py", "conf.py", "data.py")]
    first = checker.check_paths(files)
    (tmp_path / "data.py").write_text('TARGET = "/srv/two"\n')
    second = checker.check_paths(files)

    def removed(report) -> list:
        return [f.operation.targets for f in report.findings
                if f.operation.rule == "py.fs-delete-tree" and f.operation.location.path.endswith("app.py")]

    assert removed(first) == [("/srv/one",)]
    assert removed(second) == [("/srv/two",)]
