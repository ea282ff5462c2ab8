"""The GitHub Action: action.yml's structure, and its shell steps run for real in git repositories
shaped like an Actions checkout (shallow clone of a pull request against its base branch)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analyzer.gates import ci

REPO = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS = ACTION["runs"]["steps"]


def step(name_part: str) -> dict:
    [found] = [s for s in STEPS if name_part in s.get("name", "")]
    return found


# -- action.yml -------------------------------------------------------------------------------


def test_action_is_a_composite_with_the_documented_inputs():
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    assert inputs["paths"]["default"] == "."
    assert inputs["fail-on"]["default"] == "block"
    assert inputs["install-from"]["default"] == ""
    for name in ("policy", "environment", "role", "sarif-file", "python-version", "category", "changed-only"):
        assert name in inputs and "description" in inputs[name]
    assert {"exit-code", "blocked", "warned", "sarif-file"} <= set(ACTION["outputs"])


def test_action_steps_set_up_install_diff_check_and_upload():
    names = [s["name"] for s in STEPS]
    assert names == ["Set up Python", "Install execgate", "Find the changed files", "Check",
                     "Upload SARIF to code scanning"]
    assert step("Set up Python")["uses"].startswith("actions/setup-python@")
    install = step("Install execgate")
    assert "pip install" in install["run"] and "$GITHUB_ACTION_PATH" in install["run"]
    assert step("Find the changed files")["run"].startswith('bash "$GITHUB_ACTION_PATH/hooks/changed-files.sh"')
    assert step("Find the changed files")["env"]["EXECGATE_CI_BASE_REF"] == "${{ github.base_ref }}"
    assert step("Find the changed files")["env"]["EXECGATE_CI_BEFORE"] == "${{ github.event.before }}"
    check = step("Check")
    assert check["id"] == "check" and check["run"] == 'bash "$GITHUB_ACTION_PATH/hooks/ci-check.sh"'
    upload = step("Upload SARIF")
    assert upload["uses"] == "github/codeql-action/upload-sarif@v3"
    assert upload["if"].startswith("always()")
    assert upload["with"]["category"] == "${{ inputs.category }}"
    assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif-file }}"


def test_no_input_is_pasted_into_shell_code():
    for s in STEPS:
        if "run" in s:
            assert "${{" not in s["run"], f"{s['name']}: pass inputs through env, not into the script"
            assert s["shell"] == "bash"


@pytest.mark.parametrize("step_name, script", [("Find the changed files", "changed-files.sh"),
                                               ("Check", "ci-check.sh")])
def test_every_variable_the_action_sets_is_read_by_its_script(step_name, script):
    path = REPO / "hooks" / script
    assert path.is_file() and os.access(path, os.X_OK)
    read = set(re.findall(r"\b(EXECGATE_CI_\w+)", path.read_text()))
    assert set(step(step_name)["env"]) <= read


def test_the_example_workflow_uses_the_action_with_code_scanning_permission():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "example-execgate.yml").read_text())
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["execgate"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[1]["uses"] == "./"
    assert set(steps[1]["with"]) <= set(ACTION["inputs"])


# -- the shell steps, for real -----------------------------------------------------------------

GIT_ENV = {"GIT_AUTHOR_NAME": "dev", "GIT_AUTHOR_EMAIL": "dev@example.com", "GIT_COMMITTER_NAME": "dev",
           "GIT_COMMITTER_EMAIL": "dev@example.com", "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, **GIT_ENV}, check=True)
    return result.stdout.strip()


def commit(repo: Path, message: str, files: dict[str, str]) -> str:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def upstream(tmp_path_factory) -> dict:
    """main: c1 -> c4 (adds a dangerous scripts/wipe.sh); feature (the pull request) from c1 adds
    app/drop.sql and notes.md and edits app/util.py; pr-merge is feature merged into main, the
    commit actions/checkout checks out for a pull request; tidy is a harmless PR from c4."""
    repo = tmp_path_factory.mktemp("upstream")
    git(repo, "init", "-q", "-b", "main")
    c1 = commit(repo, "base", {"ok.sql": "SELECT 1;\n", "README.md": "hi\n", "app/util.py": "print('hi')\n"})
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, "add a migration", {"app/drop.sql": "SELECT 1;\nDROP TABLE users;\n", "notes.md": "x\n"})
    commit(repo, "tweak", {"app/util.py": "print('hello')\n", "weird name.py": "x = 1\n"})
    git(repo, "checkout", "-q", "main")
    c4 = commit(repo, "cleanup script", {"scripts/wipe.sh": "rm -rf /\n"})
    git(repo, "checkout", "-q", "-b", "pr-merge")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge feature into main", "feature")
    git(repo, "checkout", "-q", "-b", "tidy", "main")
    commit(repo, "harmless", {"ok.sql": "SELECT 2;\n"})
    git(repo, "checkout", "-q", "main")
    return {"path": repo, "c1": c1, "c4": c4}


def checkout(upstream: dict, branch: str, where: Path) -> Path:
    """Like actions/checkout: a depth-1 clone of one branch."""
    subprocess.run(["git", "clone", "-q", "--depth=1", "--branch", branch, upstream["path"].as_uri(), str(where)],
                   check=True, capture_output=True, env={**os.environ, **GIT_ENV})
    return where


def changed_files(work: Path, tmp_path: Path, **env: str) -> tuple[list[str] | None, str]:
    out = tmp_path / "changed-files"
    result = subprocess.run(["bash", str(REPO / "hooks" / "changed-files.sh"), str(out)], cwd=work,
                            capture_output=True, text=True, env={**os.environ, **GIT_ENV, **env}, timeout=120)
    assert result.returncode == 0, result.stderr
    if not out.exists():
        return None, result.stdout
    return sorted(p for p in out.read_bytes().decode().split("\0") if p), result.stdout


def ci_check(work: Path, tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess, dict, str, dict]:
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs"
    full = {**os.environ, **GIT_ENV, "EXECGATE_CI_PYTHON": sys.executable, "GITHUB_WORKSPACE": str(work),
            "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(outputs),
            "EXECGATE_CI_SARIF": str(tmp_path / "out.sarif"), **env}
    for name in ("EXECGATE_ENV", "EXECGATE_ROLE", "EXECGATE_ACTOR", "EXECGATE_AUDIT_LOG"):
        full.pop(name, None)
    result = subprocess.run(["bash", str(REPO / "hooks" / "ci-check.sh")], cwd=work, capture_output=True,
                            text=True, env=full, timeout=300)
    sarif = json.loads((tmp_path / "out.sarif").read_text()) if (tmp_path / "out.sarif").exists() else {}
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines()) if outputs.exists() else {}
    return result, sarif, summary.read_text() if summary.exists() else "", values


PR_FILES = ["app/drop.sql", "app/util.py", "notes.md", "weird name.py"]


@pytest.mark.parametrize("branch", ["feature", "pr-merge"])
def test_pull_request_files_come_from_a_shallow_clone(branch, upstream, tmp_path):
    work = checkout(upstream, branch, tmp_path / "work")
    assert git(work, "rev-parse", "--is-shallow-repository") == "true"
    files, said = changed_files(work, tmp_path, EXECGATE_CI_BASE_REF="main")
    assert files == PR_FILES  # not scripts/wipe.sh, which main gained after the branch point
    assert "4 changed files" in said


def test_a_blocking_pull_request_fails_with_sarif_summary_and_annotations(upstream, tmp_path):
    work = checkout(upstream, "pr-merge", tmp_path / "work")
    files, _ = changed_files(work, tmp_path, EXECGATE_CI_BASE_REF="main")
    result, sarif, summary, outputs = ci_check(work, tmp_path, EXECGATE_CI_CHANGED=str(tmp_path / "changed-files"))
    assert result.returncode == 1, result.stderr
    run = sarif["runs"][0]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]] \
        == [("sql.drop-table", "app/drop.sql", 2)]
    assert run["automationDetails"]["id"] == "execgate/"
    assert run["properties"]["summary"]["files"] == 3  # the .md file is not checked; wipe.sh is not changed
    assert re.search(r"^::error file=app/drop\.sql,line=2,col=1,title=execgate sql\.drop-table::", result.stdout,
                     re.MULTILINE)
    assert "## execgate: :no_entry: blocked" in summary and "app/drop.sql:2" in summary
    assert "wipe.sh" not in summary + result.stdout
    assert outputs["block"] == "1" and outputs["exit-code"] == "1" and outputs["sarif-file"].endswith("out.sarif")


def test_a_harmless_pull_request_passes_though_the_tree_holds_dangerous_files(upstream, tmp_path):
    work = checkout(upstream, "tidy", tmp_path / "work")
    assert (work / "scripts" / "wipe.sh").exists()
    files, _ = changed_files(work, tmp_path, EXECGATE_CI_BASE_REF="main")
    assert files == ["ok.sql"]
    result, sarif, summary, outputs = ci_check(work, tmp_path, EXECGATE_CI_CHANGED=str(tmp_path / "changed-files"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert sarif["runs"][0]["results"] == [] and outputs["block"] == "0" and outputs["files"] == "1"
    assert ":white_check_mark: passed" in summary


def test_a_push_compares_with_the_previous_commit(upstream, tmp_path):
    work = checkout(upstream, "main", tmp_path / "work")
    files, _ = changed_files(work, tmp_path, EXECGATE_CI_BEFORE=upstream["c1"])
    assert files == ["scripts/wipe.sh"]
    result, sarif, _, _ = ci_check(work, tmp_path, EXECGATE_CI_CHANGED=str(tmp_path / "changed-files"))
    assert result.returncode == 1
    assert [r["ruleId"].split(".")[0] for r in sarif["runs"][0]["results"]] == ["shell"]


@pytest.mark.parametrize("env", [{}, {"EXECGATE_CI_BEFORE": "0" * 40}, {"EXECGATE_CI_BEFORE": "f" * 40},
                                 {"EXECGATE_CI_BASE_REF": "no-such-branch"}])
def test_without_a_base_every_file_is_checked(env, upstream, tmp_path):
    work = checkout(upstream, "pr-merge", tmp_path / "work")
    files, said = changed_files(work, tmp_path, **env)
    assert files is None and "checking every file" in said
    result, sarif, _, _ = ci_check(work, tmp_path, EXECGATE_CI_CHANGED=str(tmp_path / "changed-files"))
    assert result.returncode == 1
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"])
    assert uris == ["app/drop.sql", "scripts/wipe.sh"]


def test_paths_limit_the_changed_files_and_nothing_left_passes(upstream, tmp_path):
    work = checkout(upstream, "feature", tmp_path / "work")
    changed_files(work, tmp_path, EXECGATE_CI_BASE_REF="main")
    result, sarif, summary, outputs = ci_check(work, tmp_path, EXECGATE_CI_PATHS="docs\nscripts other",
                                               EXECGATE_CI_CHANGED=str(tmp_path / "changed-files"))
    assert result.returncode == 0 and "no changed Python, SQL, shell or notebook files" in result.stdout
    assert "No changed Python, SQL, shell or notebook files" in summary and outputs["files"] == "0"


def test_inputs_reach_the_check(upstream, tmp_path):
    work = checkout(upstream, "feature", tmp_path / "work")
    (tmp_path / "policy.yaml").write_text('rules:\n  - id: "sql.*"\n    action: warn\n')
    args = {"EXECGATE_CI_POLICY": str(tmp_path / "policy.yaml"), "EXECGATE_CI_ENVIRONMENT": "staging",
            "EXECGATE_CI_ROLE": "dba", "EXECGATE_CI_PATHS": "app"}
    result, sarif, summary, _ = ci_check(work, tmp_path, **args)
    assert result.returncode == 0, result.stderr  # warn does not fail with fail-on block
    run = sarif["runs"][0]
    assert [r["level"] for r in run["results"]] == ["warning"]
    assert run["properties"]["context"]["environment"] == "staging" and run["properties"]["context"]["role"] == "dba"
    assert run["properties"]["policy"]["source"].endswith("policy.yaml")
    result, _, _, _ = ci_check(work, tmp_path, **args, EXECGATE_CI_FAIL_ON="warn")
    assert result.returncode == 1


def test_a_bad_policy_is_one_line_and_exit_2(upstream, tmp_path):
    work = checkout(upstream, "feature", tmp_path / "work")
    (tmp_path / "bad.yaml").write_text("rules: [\n")
    result, sarif, summary, outputs = ci_check(work, tmp_path, EXECGATE_CI_POLICY=str(tmp_path / "bad.yaml"))
    assert result.returncode == 2 and sarif == {} and "sarif-file" not in outputs
    assert result.stderr.startswith("execgate: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert "could not run" in summary


# -- analyzer.gates.ci helpers -----------------------------------------------------------------------


def test_read_file_list_takes_nul_or_newline_separated_lists(tmp_path):
    (tmp_path / "z").write_bytes(b"a b.py\0c.sql\0")
    (tmp_path / "n").write_text("a b.py\r\nc.sql\n\n")
    assert ci.read_file_list(str(tmp_path / "z")) == ci.read_file_list(str(tmp_path / "n")) == ["a b.py", "c.sql"]
    with pytest.raises(ci.CIError, match="cannot read the list"):
        ci.read_file_list(str(tmp_path / "missing"))


def test_select_changed_keeps_existing_analysable_files_under_the_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("src/a.py", "src/b.md", "src/run", "other/c.sql", "src/nb.ipynb"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text("#!/bin/bash\necho\n" if name == "src/run" else "x\n")
    changed = ["src/a.py", "src/b.md", "src/run", "other/c.sql", "src/gone.py", "src/nb.ipynb", "src/a.py"]
    assert ci.select_changed(changed, ["src"]) == ["src/a.py", "src/nb.ipynb", "src/run"]
    assert ci.select_changed(changed, ["."]) == ["other/c.sql", "src/a.py", "src/nb.ipynb", "src/run"]
    assert ci.select_changed(changed, ["sr"]) == []  # a prefix of a folder name is not the folder


def test_unknown_option_values_are_usage_errors(capsys):
    with pytest.raises(SystemExit) as exc:
        ci.main(["--fail-on", "sometimes", "."])
    assert exc.value.code == 2
