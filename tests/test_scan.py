"""Many files: parallel workers and the content-hash cache give the same answers as a plain run."""
from __future__ import annotations

import json
from pathlib import Path

from analyzer.commands.main import main
from analyzer.engine import Checker
from analyzer.policy.load import load_policy
from analyzer.model import Analysis, Context
from analyzer.scan import AnalysisCache, analyze_files, cache_dir


def _tree(root: Path, count: int) -> list[str]:
    paths = []
    for index in range(count):
        path = root / f"m{index:03}.py"
        body = f"import shutil\nshutil.rmtree('/srv/{index}')\n" if index % 3 == 0 else f"x = {index}\n"
        path.write_text(body)
        paths.append(str(path))
    return paths


def _ops(analyses):
    return [sorted((op.rule, op.location.path, op.location.line) for op in a.operations) for a in analyses]


def test_parallel_and_cached_runs_match_a_plain_run(tmp_path: Path) -> None:
    files = _tree(tmp_path, 60)
    checker = Checker(load_policy(), Context())
    plain = analyze_files(checker, files, jobs=1, cache=False)
    parallel = analyze_files(checker, files, jobs=2, cache=False)
    first = analyze_files(checker, files, jobs=1, cache=True)
    second = analyze_files(checker, files, jobs=1, cache=True)
    assert _ops(plain) == _ops(parallel) == _ops(first) == _ops(second)
    assert sum(len(a.operations) for a in plain) == 20


def test_cache_hit_is_served_and_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("import shutil\nshutil.rmtree('/srv')\n")
    checker = Checker(load_policy(), Context())
    store = AnalysisCache.open(checker)
    assert store.get(str(path), path.read_bytes()) is None
    analyze_files(checker, [str(path)], cache=True)
    assert store.get(str(path), path.read_bytes()) is not None
    path.write_text("x = 1\n")
    assert analyze_files(checker, [str(path)], cache=True)[0].operations == []


def test_a_cached_result_stands_only_while_the_files_it_read_are_unchanged(tmp_path: Path) -> None:
    path, other = tmp_path / "a.py", tmp_path / "up.sql"
    path.write_text("x = 1\n")
    other.write_text("CREATE TABLE t (id int);\n")
    checker = Checker(load_policy(), Context())
    store = AnalysisCache.open(checker)
    assert store is not None
    store.put(str(path), path.read_bytes(), Analysis(reads=[str(other)]))
    hit = store.get(str(path), path.read_bytes())
    assert hit is not None and hit.reads == [str(other)]
    other.write_text("CREATE TABLE u (id int);\n")
    assert store.get(str(path), path.read_bytes()) is None
    other.unlink()
    assert store.get(str(path), path.read_bytes()) is None


def test_a_forged_cache_entry_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("import shutil\nshutil.rmtree('/srv')\n")
    checker = Checker(load_policy(), Context())
    analyze_files(checker, [str(path)], cache=True)
    entries = list((cache_dir() / "analysis").rglob("*.json"))
    assert entries
    for entry in entries:
        envelope = json.loads(entry.read_text())
        envelope["body"] = json.dumps({"operations": [], "touches": [], "comments": [], "errors": []})
        entry.write_text(json.dumps(envelope))
    assert analyze_files(checker, [str(path)], cache=True)[0].operations, "a forged empty analysis must not be used"


def test_cli_switches_give_the_same_report(tmp_path: Path, capsys) -> None:
    _tree(tmp_path, 30)
    outputs = []
    for flags in ([], ["--no-cache", "--no-prefilter", "-j", "1"], []):
        code = main(["check", str(tmp_path), "--format", "json", *flags])
        assert code == 1
        findings = json.loads(capsys.readouterr().out)["findings"]
        outputs.append(sorted((f["rule"], f["path"], f["line"]) for f in findings))
    assert outputs[0] == outputs[1] == outputs[2] and len(outputs[0]) == 10
