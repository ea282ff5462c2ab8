"""``execgate hook claude-code``, run as Claude Code runs it: a real process fed a PreToolUse event on stdin."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.gates.agent_hook import run_hook
from analyzer.audit.log import verify

# The command installed next to the interpreter running the tests (the venv's bin/).
EXECGATE = str(Path(sys.executable).parent / "execgate")
FIXTURES = Path(__file__).parent / "fixtures" / "hooks"
EVENTS = sorted((FIXTURES / "events").glob("*.json"))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "workspace", root)
    return root


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("EXECGATE_") and k not in ("GITHUB_ACTIONS", "PRE_COMMIT")}
    env.update(extra)
    return env


def run(event: dict | bytes, cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    data = event if isinstance(event, bytes) else json.dumps(event).encode()
    return subprocess.run([EXECGATE, "hook", "claude-code", *args], input=data, capture_output=True, cwd=cwd,
                          env=env or clean_env(), timeout=120)


def load(path: Path, workspace: Path) -> tuple[dict, dict]:
    event = json.loads(path.read_text())
    expect = event.pop("_expect")
    event["cwd"] = str(workspace)
    return event, expect


def bash(command: str, cwd: Path) -> dict:
    return {"session_id": "s-1", "transcript_path": "/dev/null", "cwd": str(cwd), "hook_event_name": "PreToolUse",
            "tool_name": "Bash", "tool_input": {"command": command}, "tool_use_id": "toolu_01"}


@pytest.mark.parametrize("path", EVENTS, ids=[p.stem for p in EVENTS])
def test_events_exit_code_protocol(path, workspace):
    event, expect = load(path, workspace)
    before = {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()}
    result = run(event, workspace)
    err = result.stderr.decode()
    assert result.stdout == b""
    if expect["decision"] == "deny":
        assert result.returncode == 2, err
        assert err.startswith("execgate refused this"), err
        assert expect.get("rule", "") in err
        assert "Traceback" not in err
    else:
        assert (result.returncode, err) == (0, "")
    # The gate looks; it never runs or writes anything in the project.
    assert {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("path", EVENTS, ids=[p.stem for p in EVENTS])
def test_events_json_protocol(path, workspace, monkeypatch):
    """The same events through run_hook in this process (the command's wiring is run for real above and below)."""
    for name in [k for k in os.environ if k.startswith("EXECGATE_")] + ["GITHUB_ACTIONS", "PRE_COMMIT"]:
        monkeypatch.delenv(name, raising=False)
    event, expect = load(path, workspace)
    code, out, err = run_hook(json.dumps(event).encode(), as_json=True)
    assert code == 0, err
    if expect["decision"] == "allow":
        assert (out, err) == ("", "")   # never "allow": that would skip the user's own permission prompts
        return
    answer = json.loads(out)["hookSpecificOutput"]
    assert answer["hookEventName"] == "PreToolUse"
    assert answer["permissionDecision"] == "deny"
    assert expect.get("rule", "") in answer["permissionDecisionReason"]


def test_refusal_tells_the_model_why_and_what_to_do_instead(workspace):
    err = run(bash("git push --force origin main", workspace), workspace).stderr.decode()
    assert "shell.git-force-push (destructive) at line 1" in err
    why, policy, instead = (err.index(f"\n  {label}: ") for label in ("why", "policy", "instead"))
    assert why < policy < instead   # the order every gate prints
    assert "\n  policy: destructive operations block by default (built-in:destructive)\n" in err
    assert "ask the user" in err


def test_the_command_is_never_run(workspace):
    result = run(bash("touch SENTINEL && echo hi > OUT", workspace), workspace)
    assert result.returncode == 0
    assert not (workspace / "SENTINEL").exists() and not (workspace / "OUT").exists()


def test_decisions_are_recorded_with_the_command_hash(workspace, tmp_path):
    log = tmp_path / "audit.jsonl"
    env = clean_env(EXECGATE_ACTOR="dev-agent")
    assert run(bash("rm -rf /", workspace), workspace, "--audit-log", str(log), env=env).returncode == 2
    assert run(bash("ls -la", workspace), workspace, "--audit-log", str(log), "--env", "dev", env=env).returncode == 0
    assert verify(log).ok and verify(log).records == 2
    refused, clean = [json.loads(line) for line in log.read_text().splitlines()]
    assert (refused["gate"], refused["tool"], refused["session_id"], refused["tool_use_id"]) == \
        ("claude-code", "Bash", "s-1", "toolu_01")
    assert (refused["actor"], refused["actor_type"], refused["decision"], refused["rule"]) == \
        ("dev-agent", "agent", "block", "shell.rm-recursive")
    assert refused["source_sha256"] == hashlib.sha256(b"rm -rf /").hexdigest()
    assert refused["policy_source"] == "built-in" and len(refused["policy_sha256"]) == 64
    assert (clean["event"], clean["decision"], clean["environment"]) == ("clean", "allow", "dev")
    assert clean["source_sha256"] == hashlib.sha256(b"ls -la").hexdigest()


def test_audit_log_precedence(workspace, tmp_path):
    (workspace / ".execgate.yaml").write_text("audit:\n  log: logs/policy.jsonl\n")
    (workspace / "logs").mkdir()
    flag, env_log = tmp_path / "flag.jsonl", tmp_path / "env.jsonl"
    event = bash("ls", workspace)
    run(event, workspace, "--audit-log", str(flag), env=clean_env(EXECGATE_AUDIT_LOG=str(env_log)))
    run(event, workspace, env=clean_env(EXECGATE_AUDIT_LOG=str(env_log)))
    run(event, tmp_path)   # the policy's log is relative to the policy file, not to where the hook runs
    assert [verify(p).records for p in (flag, env_log, workspace / "logs" / "policy.jsonl")] == [1, 1, 1]


def test_an_unwritable_log_refuses_under_fail_closed(workspace, tmp_path):
    env = clean_env(EXECGATE_AUDIT_LOG=str(tmp_path))   # a folder, not a file
    result = run(bash("ls -la", workspace), workspace, env=env)
    err = result.stderr.decode()
    assert result.returncode == 2 and "is a directory" in err and "could not be recorded" in err
    (workspace / ".execgate.yaml").write_text("fail_closed: false\n")
    result = run(bash("ls -la", workspace), workspace, env=env)
    assert result.returncode == 0 and "is a directory" in result.stderr.decode()
    result = run(bash("rm -rf /", workspace), workspace, env=env)
    assert result.returncode == 2   # a refusal stays a refusal


def test_warn_lets_the_call_through_with_a_notice_and_asks_in_json(workspace):
    (workspace / ".execgate.yaml").write_text('rules:\n  - id: "shell.rm-recursive"\n    action: warn\n')
    event = bash("rm -rf build/output", workspace)
    result = run(event, workspace)
    assert result.returncode == 0 and result.stdout == b""
    assert result.stderr.decode().startswith("execgate warns about this Bash call")
    answer = json.loads(run(event, workspace, "--json").stdout)["hookSpecificOutput"]
    assert answer["permissionDecision"] == "ask" and "shell.rm-recursive" in answer["permissionDecisionReason"]


def test_context_options_reach_the_policy(workspace):
    (workspace / ".execgate.yaml").write_text(
        'rules:\n  - id: "shell.*"\n    action: allow\n    when: {environment: [dev], role: [dba]}\n')
    event = bash("rm -rf /srv/data", workspace)
    assert run(event, workspace, "--env", "dev", "--role", "dba").returncode == 0
    assert run(event, workspace, "--env", "dev").returncode == 2
    assert run(event, workspace, env=clean_env(EXECGATE_ENV="dev", EXECGATE_ROLE="dba")).returncode == 0
    assert run(event, workspace, "--policy", str(FIXTURES / "workspace" / "README.md"),
               "--env", "dev", "--role", "dba").returncode == 2   # not a policy: refuse


def test_a_broken_policy_refuses_in_one_line(workspace):
    (workspace / ".execgate.yaml").write_text("rules: [\n")
    result = run(bash("ls", workspace), workspace)
    err = result.stderr.decode()
    assert result.returncode == 2 and err.startswith("execgate: refused: ") and err.count("\n") == 1
    assert ".execgate.yaml" in err


MALFORMED = [
    (b"not json", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (b"\xff\xfe{}", "not valid UTF-8"),
    (json.dumps({"hook_event_name": "PreToolUse", "tool_input": {}}).encode(), "no tool_name"),
    (json.dumps({"tool_name": "Bash"}).encode(), "no tool_input"),
    (json.dumps({"tool_name": "Bash", "tool_input": {"command": ["rm", "-rf", "/"]}}).encode(), "no string 'command'"),
    (json.dumps({"tool_name": "Write", "tool_input": {"file_path": "a.py"}}).encode(), "no string 'content'"),
    (json.dumps({"tool_name": "MultiEdit", "tool_input": {"file_path": "a.py", "edits": "x"}}).encode(),
     "list of edits"),
    (json.dumps({"hook_event_name": "PostToolUse", "tool_name": "Bash",
                 "tool_input": {"command": "ls"}}).encode(), "expected a PreToolUse event"),
    (b"", "not JSON"),
]


@pytest.mark.parametrize("mode", [[], ["--json"]])
@pytest.mark.parametrize("data,problem", MALFORMED, ids=[m[1] for m in MALFORMED])
def test_malformed_events_are_refused_in_one_line(workspace, data, problem, mode):
    result = run(data, workspace, *mode)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert err.startswith("execgate: refused: ") and problem in err and err.count("\n") == 1, err


def test_the_hook_is_an_agent_whatever_a_flag_or_variable_claims(workspace, tmp_path):
    log = tmp_path / "audit.jsonl"
    env = clean_env(EXECGATE_ACTOR_TYPE="human")
    (workspace / ".execgate.yaml").write_text(
        'rules:\n  - {id: "shell.*", action: allow, when: {actor_type: [human]}}\n')
    result = run(bash("rm -rf /", workspace), workspace, "--actor-type", "human", "--audit-log", str(log), env=env)
    assert result.returncode == 2   # the human-only allowance does not apply to the agent
    [record] = [json.loads(line) for line in log.read_text().splitlines()]
    assert record["actor_type"] == "agent"


# -- execgate hook install claude-code ------------------------------------------------------------------


def install(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([EXECGATE, "hook", "install", "claude-code", *args], capture_output=True, text=True,
                          cwd=cwd, env=env or clean_env(), timeout=120)


def commands_in(settings: Path) -> list[str]:
    data = json.loads(settings.read_text())
    return [h["command"] for group in data["hooks"]["PreToolUse"] for h in group["hooks"]]


def test_install_writes_an_absolute_json_hook_that_runs_without_path(workspace):
    (workspace / ".git").mkdir()
    (workspace / "src").mkdir()
    result = install(workspace / "src")   # from a subfolder: the project's .claude/ at its root
    assert result.returncode == 0, result.stderr
    settings = workspace / ".claude" / "settings.json"
    assert str(settings) in result.stdout and result.stdout.count("\n") == 1
    data = json.loads(settings.read_text())
    [group] = data["hooks"]["PreToolUse"]
    assert group["matcher"] == "Bash|Write|Edit|MultiEdit|NotebookEdit"
    [command] = commands_in(settings)
    assert command == f"{EXECGATE} hook claude-code --json" and os.path.isabs(command.split()[0])
    # Claude Code runs the command through a shell that may not have execgate on its PATH.
    answer = subprocess.run(command, shell=True, input=json.dumps(bash("rm -rf /", workspace)).encode(),
                            capture_output=True, cwd=workspace, env=clean_env(PATH="/nonexistent"), timeout=120)
    assert answer.returncode == 0
    decision = json.loads(answer.stdout)["hookSpecificOutput"]
    assert decision["permissionDecision"] == "deny" and "shell.rm-recursive" in decision["permissionDecisionReason"]


def test_install_twice_changes_nothing(workspace):
    assert install(workspace).returncode == 0
    settings = workspace / ".claude" / "settings.json"
    before = settings.read_bytes()
    second = install(workspace)
    assert second.returncode == 0 and "already in" in second.stdout
    assert settings.read_bytes() == before


def test_install_merges_and_never_clobbers_other_hooks(workspace):
    settings = workspace / ".claude" / "settings.local.json"
    settings.parent.mkdir()
    original = {
        "model": "opus", "permissions": {"deny": ["Read(./.env)"]},
        "hooks": {"PostToolUse": [{"matcher": "Write", "hooks": [{"type": "command", "command": "fmt.sh"}]}],
                  "PreToolUse": [{"matcher": "Bash", "hooks": [
                      {"type": "command", "command": "execgate hook claude-code --policy team.yaml"},
                      {"type": "command", "command": "/opt/other-guard.sh", "timeout": 5}]}]},
    }
    settings.write_text(json.dumps(original))
    assert install(workspace, "--local").returncode == 0
    data = json.loads(settings.read_text())
    assert (data["model"], data["permissions"]) == ("opus", {"deny": ["Read(./.env)"]})
    assert data["hooks"]["PostToolUse"] == original["hooks"]["PostToolUse"]
    [group] = data["hooks"]["PreToolUse"]   # the execgate hook there is updated, not added again
    assert group["matcher"] == "Bash"
    assert group["hooks"][0]["command"] == f"{EXECGATE} hook claude-code --policy team.yaml --json"
    assert group["hooks"][1] == {"type": "command", "command": "/opt/other-guard.sh", "timeout": 5}
    assert not (workspace / ".claude" / "settings.json").exists()


@pytest.mark.parametrize("text, problem", [
    ('{"hooks": {"PreToolUse": [\n', "not valid JSON (line 2, column 1)"),
    ('{"hooks": // a comment\n {}}', "not valid JSON (line 1, column 11)"),
    ('["a list"]', "not a JSON object"),
    ('{"hooks": {"PreToolUse": {"matcher": "Bash"}}}', '"hooks.PreToolUse" is not a list'),
])
def test_install_refuses_a_settings_file_it_cannot_read(workspace, text, problem):
    settings = workspace / "my-settings.json"
    settings.write_text(text)
    result = install(workspace, "--settings", str(settings))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"execgate: {settings}: ") and problem in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and "not changed" in result.stderr
    assert settings.read_text() == text


def test_install_for_the_user_follows_claude_config_dir_and_symlinks(workspace, tmp_path):
    dotfiles = tmp_path / "dotfiles" / "claude-settings.json"
    dotfiles.parent.mkdir()
    dotfiles.write_text('{"theme": "dark"}')
    config = tmp_path / "claude-config"
    config.mkdir()
    (config / "settings.json").symlink_to(dotfiles)
    assert install(workspace, "--user", env=clean_env(CLAUDE_CONFIG_DIR=str(config))).returncode == 0
    assert (config / "settings.json").is_symlink()   # the link stays; the file it points at is written
    assert json.loads(dotfiles.read_text())["theme"] == "dark" and commands_in(dotfiles)
