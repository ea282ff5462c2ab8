"""Value flow in the Python front end: through helpers (parameters, defaults, returns), record
fields and config mappings, sibling modules of the checked set, thread pools and task groups.

The agent-style fixtures (tests/fixtures/python/flow_*.py) are checked line by line by
tests/test_python_frontend.py; these tests look at what a finding says and at what crosses files.
"""
from __future__ import annotations

import os
import shutil
from analyzer.records import replace
from pathlib import Path

from analyzer.engine import Checker
from analyzer.frontends import Options, analyze
from analyzer.frontends.python import walker
from analyzer.model import Context, Location
from analyzer.policy.load import load_policy
from analyzer.scan import analyze_files
from tests.annotations import check, expectations

PROJECT = Path(__file__).parent / "fixtures" / "python" / "flow_project"


def run(text: str, path: str = "unit.py", **options):
    return analyze("python", text, Location(path), Options(**options))


HELPER = '''
def purge(cur, table, where=None):
    cur.execute(f"DELETE FROM {table}" + (f" WHERE {where}" if where else ""))

def main(cur):
    purge(cur, "users")
    purge(cur, "users", "id = 3")
    purge(cur, "users")
'''


def test_a_default_left_out_is_read_and_the_finding_names_the_helper() -> None:
    found = [op for op in run(HELPER).operations if op.rule == "sql.delete-all" and op.location.line > 4]
    assert [(op.location.line, op.targets, op.detail("via")) for op in found] == [
        (6, ("users",), "purge"), (8, ("users",), "purge")]
    assert found[0].message.endswith("(through purge)")
    assert found[0].evidence == 'purge(cur, "users")'


def test_a_helper_is_read_once_for_the_same_arguments(monkeypatch) -> None:
    readings = []
    original = walker.Walker.inline

    def counting(self, summary, node, args, keywords, instance=None):
        before = len(summary.inlined)
        result = original(self, summary, node, args, keywords, instance)
        readings.append(len(summary.inlined) - before)
        return result

    monkeypatch.setattr(walker.Walker, "inline", counting)
    run(HELPER)
    assert readings == [1, 1, 0]   # the third call reuses the first one's reading


def test_nested_helpers_name_the_whole_path() -> None:
    text = '''
import subprocess

def shell(cmd):
    subprocess.run(cmd, shell=True)

def drop(d):
    shell(f"rm -rf {d}")

def reset(d):
    drop(d)

reset("/srv/data")
'''
    found = [op for op in run(text).operations if op.rule == "shell.rm-recursive" and op.location.line == 13]
    assert [op.detail("via") for op in found] == ["reset > drop > shell"]
    assert found[0].message.endswith("(through reset > drop > shell)") and found[0].message.count("through") == 1


def test_a_branch_is_pruned_only_when_a_call_made_its_test_known() -> None:
    text = '''
def wipe(cur, table, where=None):
    sql = "DELETE FROM " + table
    if where:
        sql += " WHERE " + where
    cur.execute(sql)
'''
    # Read on its own, the WHERE branch may run: no finding for an unknown predicate.
    assert not [op for op in run(text).operations if op.rule == "sql.delete-all"]
    called = run(text + 'wipe(cur, "t", "id = 1")\nwipe(cur, "t")\n').operations
    assert [op.location.line for op in called if op.rule == "sql.delete-all"] == [8]


def test_fields_of_attrs_records_and_of_records_that_extend_them() -> None:
    text = '''
import attr

@attr.s
class Base:
    mode = attr.ib(default="append")

class Nightly(Base):
    table: str = "events"

def save(df, cfg):
    df.write.mode(cfg.mode).saveAsTable(cfg.table)

save(df, Nightly(mode="overwrite"))
save(df, Nightly())
'''
    found = [(op.location.line, op.targets) for op in run(text).operations if op.rule == "py.dataframe-replace-table"]
    assert found == [(14, ("events",))]


def _project(root: Path) -> list[str]:
    return sorted(str(path) for path in root.glob("*.py"))


def test_helpers_and_constants_of_sibling_modules_are_followed() -> None:
    files = _project(PROJECT)
    modules = frozenset(os.path.abspath(f) for f in files)
    for path in files:
        text = Path(path).read_text(encoding="utf-8")
        analysis = analyze("python", text, Location(path), Options(modules=modules))
        assert check(expectations(text), {(op.rule, op.location.line, None) for op in analysis.operations}) == []
    nightly = PROJECT / "nightly.py"
    found = analyze("python", nightly.read_text(encoding="utf-8"), Location(str(nightly)), Options(modules=modules))
    assert ("sql.delete-all", ("orders_archive",), "purge > run_sql") in {
        (op.rule, op.targets, op.detail("via")) for op in found.operations}


def test_one_file_alone_is_read_as_before() -> None:
    nightly = PROJECT / "nightly.py"
    found = analyze("python", nightly.read_text(encoding="utf-8"), Location(str(nightly)), Options())
    assert not [op for op in found.operations if op.rule == "sql.delete-all"]


def test_a_checked_set_reads_its_siblings_and_the_cache_follows_their_contents(tmp_path: Path) -> None:
    for path in _project(PROJECT):
        shutil.copy(path, tmp_path)
    checker = Checker(load_policy(), Context())
    report = checker.check_paths([str(tmp_path)], cache=True)
    assert {(f.operation.rule, Path(f.operation.location.path).name, f.operation.location.line)
            for f in report.findings} >= {("sql.delete-all", "nightly.py", 43)}
    assert checker.options.modules == frozenset(), "the set is the run's, not the checker's"
    # db.py's purge now always filters: nightly.py's cached analysis must not be served.
    db = tmp_path / "db.py"
    db.write_text(db.read_text().replace('clause = f" WHERE {where}" if where else ""',
                                         'clause = f" WHERE {where or \'false\'}"'))
    files = [str(tmp_path / "db.py"), str(tmp_path / "nightly.py"), str(tmp_path / "settings.py")]
    checker.options = replace(checker.options, modules=frozenset(os.path.abspath(f) for f in files))
    again = analyze_files(checker, files, cache=True)
    assert not [op for op in again[1].operations if op.rule == "sql.delete-all"]


def test_what_a_constructor_sets_on_self_reaches_the_methods_called_on_the_instance() -> None:
    text = '''
from dataclasses import dataclass

@dataclass
class Config:
    mode: str = "append"

class Job:
    def __init__(self, cfg):
        self.cfg = cfg

    def run(self, df):
        df.write.mode(self.cfg.mode).saveAsTable("events")

job = Job(Config(mode="overwrite"))
job.run(df)
Job(Config()).run(df)
'''
    found = [op.location.line for op in run(text).operations if op.rule == "py.dataframe-replace-table"]
    assert found == [16]
