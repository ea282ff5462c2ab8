"""The pre-commit hooks, run by the real pre-commit (``try-repo``) on real repositories.

``try-repo`` installs this checkout into a fresh hook environment from the package index
every time it runs (it uses a throw-away store, whatever PRE_COMMIT_HOME says), so the
two runs below start together and share one PRE_COMMIT_HOME for everything else:
one on the staged (harmless) files only, one on all files (the committed dangerous ones).
"""
from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from pre_commit.clientlib import load_manifest
from pre_commit.commands.run import Classifier

pytestmark = pytest.mark.precommit

REPO = Path(__file__).resolve().parents[1]
MANIFEST = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))  # pre-commit's own validation
HOOKS = {hook["id"]: hook for hook in MANIFEST}
LANGUAGE_HOOKS = ("execgate-python", "execgate-sql", "execgate-notebook", "execgate-shell")
GIT_ENV = {"GIT_AUTHOR_NAME": "dev", "GIT_AUTHOR_EMAIL": "dev@example.com", "GIT_COMMITTER_NAME": "dev",
           "GIT_COMMITTER_EMAIL": "dev@example.com"}


def notebook(*cells: str) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    return nbformat.writes(nb)


DANGEROUS = {  # committed: only --all-files sees them
    "jobs/danger.py": 'import shutil\n\nshutil.rmtree("/srv/data")\n',
    "db/drop.sql": "DROP TABLE users;\n",
    "db/legacy.ddl": "DROP TABLE users;\n",
    "ops/wipe.sh": "rm -rf /\n",
    "ops/deploy": "#!/bin/bash\nrm -rf /\n",       # no extension: a shell script by its shebang
    "nb/explore.ipynb": notebook("x = 1", 'import shutil\nshutil.rmtree("/srv/data")'),
}
HARMLESS = {  # staged: what a plain `pre-commit` run checks
    "jobs/ok.py": "import shutil\n\nprint(shutil.which('ls'))\n",
    "db/ok.sql": "SELECT id FROM users WHERE id = 1;\n",
    "ops/ok.sh": "echo hello\nls -la\n",
    "nb/ok.ipynb": notebook("x = 1", "print(x + 1)"),
    "README.md": "rm -rf / is only text here\n",
}
EXECUTABLE = {"ops/deploy", "ops/wipe.sh", "ops/ok.sh"}
EXPECTED = {  # hook: the dangerous files it must report
    "execgate-python": {"jobs/danger.py"},
    "execgate-sql": {"db/drop.sql", "db/legacy.ddl"},
    "execgate-notebook": {"nb/explore.ipynb"},
    "execgate-shell": {"ops/wipe.sh", "ops/deploy"},
    "execgate": {"jobs/danger.py", "db/drop.sql", "nb/explore.ipynb", "ops/wipe.sh", "ops/deploy"},
}


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        if name in EXECUTABLE:
            path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def make_repo(root: Path) -> Path:
    root.mkdir(parents=True)
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, env=env)
    write(root, DANGEROUS)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", "dangerous"], cwd=root, check=True, env=env)
    write(root, HARMLESS)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    return root


def sections(output: str) -> dict[str, tuple[str, str]]:
    """hook id -> (Passed | Failed | Skipped, the hook's output), from pre-commit's report."""
    result = {}
    parts = re.split(r"^.+?\.{3,}(Passed|Failed|\(no files to check\)Skipped)\n", output, flags=re.MULTILINE)
    # One capture group: parts is [before, status, body, status, body, ...], so statuses and bodies pair up.
    for status, body in zip(parts[1::2], parts[2::2], strict=True):
        match = re.search(r"^- hook id: (\S+)", body, re.MULTILINE)
        assert match, body
        result[match.group(1)] = (status.replace("(no files to check)", ""), body)
    return result


@pytest.fixture(scope="session")
def precommit_runs(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    base = tmp_path_factory.mktemp("precommit")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(base / "home"), "PRE_COMMIT_COLOR": "never"}
    for name in ("EXECGATE_ENV", "EXECGATE_ROLE", "EXECGATE_ACTOR", "EXECGATE_AUDIT_LOG", "PRE_COMMIT"):
        env.pop(name, None)
    commands = {
        "staged": ["try-repo", str(REPO), "--verbose"],
        "all": ["try-repo", str(REPO), "--all-files", "--verbose"],
    }
    started = {}
    for name, args in commands.items():
        repo = make_repo(base / name)
        started[name] = subprocess.Popen([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    results = {}
    for name, process in started.items():
        out, _ = process.communicate(timeout=600)
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, out, "")
    return results


def test_the_manifest_has_one_hook_per_language_and_one_for_all():
    assert set(HOOKS) == {"execgate", *LANGUAGE_HOOKS}
    for hook in MANIFEST:
        assert hook["language"] == "python"
        assert hook["entry"] == "execgate check --gate pre-commit"
        # One execgate process per commit: starting it once costs less than splitting the files.
        assert hook["pass_filenames"] is True and hook["require_serial"] is True


def test_each_hook_selects_its_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {**DANGEROUS, **HARMLESS})
    classifier = Classifier(sorted([*DANGEROUS, *HARMLESS]))
    selected = {}
    for hook_id, hook in HOOKS.items():
        spec = SimpleNamespace(files=hook["files"], exclude=hook["exclude"], types=hook["types"],
                               types_or=hook["types_or"], exclude_types=hook["exclude_types"])
        selected[hook_id] = set(classifier.filenames_for_hook(spec))
    assert selected["execgate-python"] == {"jobs/danger.py", "jobs/ok.py"}
    assert selected["execgate-sql"] == {"db/drop.sql", "db/legacy.ddl", "db/ok.sql"}
    assert selected["execgate-notebook"] == {"nb/explore.ipynb", "nb/ok.ipynb"}
    assert selected["execgate-shell"] == {"ops/wipe.sh", "ops/deploy", "ops/ok.sh"}
    everything = set().union(*(selected[h] for h in LANGUAGE_HOOKS)) - {"db/legacy.ddl"}
    assert selected["execgate"] == everything  # .ddl has no identify tag: only the SQL hook takes it


def test_staged_harmless_files_pass_every_hook(precommit_runs):
    run = precommit_runs["staged"]
    found = sections(run.stdout)
    assert set(found) == set(HOOKS), run.stdout
    assert {hook: status for hook, (status, _) in found.items()} == {hook: "Passed" for hook in HOOKS}, run.stdout
    assert run.returncode == 0
    for _, body in found.values():
        assert "passed" in body and "BLOCK" not in body, body
        for name in DANGEROUS:  # committed files are not staged: not handed to the hooks
            assert name not in body


def test_all_files_fail_each_hook_on_its_dangerous_files(precommit_runs):
    run = precommit_runs["all"]
    found = sections(run.stdout)
    assert set(found) == set(HOOKS), run.stdout
    assert run.returncode == 1
    for hook, expected in EXPECTED.items():
        status, body = found[hook]
        assert status == "Failed", body
        assert "- exit code: 1" in body, body
        blocked = {line.split(":", 1)[0] for line in body.splitlines() if " BLOCK " in line}
        assert blocked == expected, (hook, body)
        assert "Traceback" not in body
