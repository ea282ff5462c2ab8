"""Value flow in the Python front end: through helpers (parameters, defaults, returns), record
fields and config mappings, sibling modules of the checked set, thread pools and task groups.

The agent-style fixtures (tests/fixtures/python/flow_*.py) are checked line by line by
tests/test_python_frontend.py; these tests look at what a finding says and at what crosses files.
"""
from __future__ import annotations

from analyzer.frontends import Options, analyze
from analyzer.frontends.python import walker
from analyzer.model import Location


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


def test_a_helper_is_read_once_for_the_same_arguments(monkeypatch) -> None:
    readings = []
    original = walker.Walker.inline

    def counting(self, summary, node, args, keywords):
        before = len(summary.inlined)
        result = original(self, summary, node, args, keywords)
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
