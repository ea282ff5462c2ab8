"""``execgate hook AGENT``, run as each agent runs it: a real process fed the agent's event on stdin,
answering in that agent's documented protocol; and ``execgate hook install|uninstall AGENT``."""
from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.audit.log import verify
from analyzer.commands.main import main
from analyzer.gates.hooks import gate as hook_gate
from analyzer.gates.hooks.core import DO_NOT_WORK_AROUND
from analyzer.gates.hooks.gate import AGENTS, run_hook
from analyzer.gates.hooks.patch import apply_hunks, parse_patch

# The command installed next to the interpreter running the tests (the venv's bin/).
EXECGATE = str(Path(sys.executable).parent / "execgate")
FIXTURES = Path(__file__).parent / "fixtures" / "hooks"
EVENTS = sorted((FIXTURES / "events").glob("*.json"))
SAMPLES_DIR = Path(__file__).parent / "fixtures" / "agents"
SAMPLES = [(agent, path) for agent in AGENTS
           for path in sorted((SAMPLES_DIR / agent).glob("*.json")) if path.name != "expected.json"]
JSON_ANSWER = {"claude-code": ["--json"]}   # how each agent's hook is installed


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "workspace", root)
    return root


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if (not k.startswith("EXECGATE_") or k == "EXECGATE_CACHE_DIR")
           and k not in ("GITHUB_ACTIONS", "PRE_COMMIT")}
    env.update(extra)
    return env


def hook(agent: str, event: dict | bytes, cwd: Path, *args: str,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    data = event if isinstance(event, bytes) else json.dumps(event).encode()
    return subprocess.run([EXECGATE, "hook", agent, *args], input=data, capture_output=True, cwd=cwd,
                          env=env or clean_env(), timeout=120)


@pytest.fixture
def in_process(capsysbinary, monkeypatch, workspace):
    """``execgate ARGS`` through analyzer.commands.main.main in this process, in the workspace."""
    monkeypatch.chdir(workspace)
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8")

    def execgate(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = main(list(argv))
        out, err = capsysbinary.readouterr()
        return subprocess.CompletedProcess(argv, code, out, err)

    return execgate


def run(event: dict | bytes, cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return hook("claude-code", event, cwd, *args, env=env)


def answer(result: subprocess.CompletedProcess) -> dict | str:
    """The JSON object on stdout, or "" for no output; an answer is one line."""
    out = result.stdout.decode()
    if out == "":
        return ""
    assert out.endswith("\n") and out.count("\n") == 1, out
    return json.loads(out)


def check(actual, expected, where: str = "answer") -> None:
    """``actual`` is ``expected``; a reason written ``<refusal: RULE>``, ``<warning: RULE>`` or
    ``<failure: PROBLEM>`` is a text of that kind naming RULE (or PROBLEM)."""
    if isinstance(expected, str) and expected.startswith("<") and expected.endswith(">"):
        kind, _, detail = expected[1:-1].partition(": ")
        assert isinstance(actual, str), (where, actual)
        if kind == "refusal":
            assert actual.startswith("execgate refused this ") and f"\n- block: {detail} (" in actual, (where, actual)
            assert actual.endswith("\n" + DO_NOT_WORK_AROUND), (where, actual)
        elif kind == "warning":
            assert actual.startswith("execgate warns about this "), (where, actual)
            assert f"\n- warn: {detail} (" in actual, (where, actual)
            assert DO_NOT_WORK_AROUND not in actual, (where, actual)
        else:
            assert actual.startswith("execgate: refused: ") and detail in actual and "\n" not in actual, (where, actual)
        return
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and sorted(actual) == sorted(expected), (where, actual)
        for key, value in expected.items():
            check(actual[key], value, f"{where}.{key}")
        return
    assert actual == expected, (where, actual)


def shell_event(agent: str, command: str, cwd: Path, event: str = "") -> dict:
    """A shell tool call as ``agent`` sends it (``event`` picks Cursor's hook)."""
    if agent == "claude-code":
        return {"session_id": "s-1", "transcript_path": "/dev/null", "cwd": str(cwd), "hook_event_name": "PreToolUse",
                "tool_name": "Bash", "tool_input": {"command": command}, "tool_use_id": "toolu_01"}
    if agent == "codex":
        return {"session_id": "s-1", "turn_id": "7", "transcript_path": None, "cwd": str(cwd),
                "hook_event_name": "PreToolUse", "model": "gpt-5-codex", "permission_mode": "default",
                "tool_name": "Bash", "tool_input": {"command": command}, "tool_use_id": "call_1"}
    if agent == "gemini-cli":
        return {"session_id": "s-1", "transcript_path": "/dev/null", "cwd": str(cwd), "hook_event_name": "BeforeTool",
                "timestamp": "2026-12-01T10:30:00Z", "tool_name": "run_shell_command",
                "tool_input": {"command": command}}
    if agent == "cursor":
        common = {"conversation_id": "c-1", "generation_id": "g-1", "workspace_roots": [str(cwd)]}
        if event == "preToolUse":
            return {**common, "hook_event_name": "preToolUse", "tool_name": "Shell",
                    "tool_input": {"command": command, "cwd": "", "timeout": 30000}, "tool_use_id": "t-1", "cwd": ""}
        return {**common, "hook_event_name": "beforeShellExecution", "command": command, "cwd": str(cwd),
                "sandbox": False}
    return {"sessionId": "s-1", "timestamp": 1764585000000, "cwd": str(cwd), "toolName": "bash",
            "toolArgs": json.dumps({"command": command, "description": "run it"})}


def answer_of(agent: str, action: str, text: str = "", event: str = "") -> dict | str:
    """The stdout each agent's documentation requires for a refusal, a warning or nothing to say."""
    refuse = action == "refuse"
    if action == "allow":
        return {"gemini-cli": {}, "cursor": {"permission": "allow"}}.get(agent, "")
    if agent == "claude-code":
        return {"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny" if refuse else "ask",
                                       "permissionDecisionReason": text}}
    if agent == "codex":
        return ({"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny",
                                        "permissionDecisionReason": text}} if refuse else {"systemMessage": text})
    if agent == "gemini-cli":
        return {"decision": "deny", "reason": text} if refuse else {"systemMessage": text}
    if agent == "cursor":
        asks = event in ("", "beforeShellExecution", "beforeMCPExecution")
        return {"permission": "deny" if refuse else "ask" if asks else "allow", "user_message": text,
                "agent_message": text}
    return {"permissionDecision": "deny" if refuse else "ask", "permissionDecisionReason": text}


# -- every agent's recorded samples ------------------------------------------------------------------


@functools.cache
def expected(agent: str) -> dict:
    return json.loads((SAMPLES_DIR / agent / "expected.json").read_text())


@pytest.mark.parametrize("agent,path", SAMPLES, ids=[f"{a}/{p.stem}" for a, p in SAMPLES])
def test_each_sample_gets_the_answer_the_agents_docs_require(agent, path, workspace):
    spec = expected(agent)
    want = spec["samples"][path.stem]
    data = path.read_text().replace("${WORKSPACE}", str(workspace)).encode()
    before = {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()}
    result = subprocess.run([EXECGATE, *spec["command"]], input=data, capture_output=True, cwd=workspace,
                            env=clean_env(), timeout=120)
    assert (result.returncode, result.stderr.decode()) == (want["exit"], want["stderr"])
    check(answer(result), want["stdout"])
    # The gate looks; it never runs or writes anything in the project.
    assert {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("agent", AGENTS)
def test_samples_cover_every_tool_kind_with_a_twin_that_must_block(agent):
    stems = {p.stem for a, p in SAMPLES if a == agent}
    assert stems == set(expected(agent)["samples"])
    assert (SAMPLES_DIR / agent / "README.md").read_text().count("https://") >= 1   # the docs it follows
    for stem in stems:
        kind, _, outcome = stem.rpartition("-")
        if outcome == "block":
            assert f"{kind}-allow" in stems or kind.endswith("fallback"), stem
            assert expected(agent)["samples"][stem]["stdout"] != answer_of(agent, "allow")
        else:
            assert expected(agent)["samples"][stem]["stdout"] == answer_of(agent, "allow")
    kinds = {stem.rpartition("-")[0] for stem in stems}
    assert {"shell", "mcp"} <= kinds and ({"write", "edit"} <= kinds or {"patch-add", "patch-update"} <= kinds)


WARN_CASES = [("claude-code", ""), ("codex", ""), ("gemini-cli", ""), ("cursor", "beforeShellExecution"),
              ("cursor", "preToolUse"), ("copilot", "")]


@pytest.mark.parametrize("agent,event", WARN_CASES, ids=[f"{a}{'-' + e if e else ''}" for a, e in WARN_CASES])
def test_a_warning_asks_where_the_agent_can_ask_else_runs_with_the_message(agent, event, workspace):
    call = shell_event(agent, "rm -rf /srv/data", workspace, event)
    args = JSON_ANSWER.get(agent, [])
    (workspace / ".execgate.yaml").write_text('rules:\n  - id: "shell.rm-recursive"\n    action: warn\n')
    result = hook(agent, call, workspace, *args)
    assert (result.returncode, result.stderr) == (0, b"")
    check(answer(result), answer_of(agent, "warn", "<warning: shell.rm-recursive>", event))
    (workspace / ".execgate.yaml").unlink()   # the twin: the built-in policy blocks it
    result = hook(agent, call, workspace, *args)
    assert (result.returncode, result.stderr) == (0, b"")
    check(answer(result), answer_of(agent, "refuse", "<refusal: shell.rm-recursive>", event))


AGENT_MALFORMED = {
    "codex": [({"hook_event_name": "PreToolUse", "tool_name": "Bash"}, "no tool_input"),
              ({"tool_name": "apply_patch", "tool_input": {"command": "rm -rf /"}}, "no '*** Begin Patch' line"),
              ({"hook_event_name": "Stop"}, "expected a PreToolUse event")],
    "gemini-cli": [({"hook_event_name": "BeforeTool", "tool_name": "replace",
                     "tool_input": {"file_path": "a.py", "old_string": "x"}}, "no string 'new_string'"),
                   ({"hook_event_name": "AfterTool", "tool_name": "x", "tool_input": {}},
                    "expected a BeforeTool event")],
    "cursor": [({"hook_event_name": "afterFileEdit", "file_path": "a.py"}, "expected a beforeShellExecution"),
               ({"hook_event_name": "beforeMCPExecution", "tool_name": "q", "tool_input": "{not json"},
                "tool_input is a string that is not JSON"),
               ({"hook_event_name": "beforeShellExecution", "cwd": "/"}, "no command")],
    "copilot": [({"toolName": "bash", "toolArgs": json.dumps({"command": 5})}, "no string 'command'"),
                ({"toolName": "bash", "cwd": "/"}, "no toolArgs")],
    "claude-code": [({"tool_name": "Bash", "tool_input": {"command": ["rm", "-rf", "/"]}}, "no string 'command'")],
}
MALFORMED_CASES = [(agent, data, problem) for agent in AGENTS
                   for data, problem in [(b"not json", "not JSON"), (b"[1, 2]", "not a JSON object"),
                                         (b"\xff\xfe{}", "not valid UTF-8"), (b"", "not JSON")]
                   + [(json.dumps(e).encode(), p) for e, p in AGENT_MALFORMED[agent]]]


@pytest.mark.parametrize("agent,data,problem", MALFORMED_CASES,
                         ids=[f"{a}-{p}" for a, _, p in MALFORMED_CASES])
def test_a_malformed_event_is_refused_in_the_agents_own_shape(agent, data, problem, in_process):
    result = in_process("hook", agent, *JSON_ANSWER.get(agent, []), stdin=data)
    err = result.stderr.decode()
    assert err.startswith("execgate: refused: ") and problem in err and err.count("\n") == 1, err
    if agent == "claude-code":   # exit 2 refuses whatever Claude Code reads on stdout
        assert (result.returncode, result.stdout) == (2, b"")
    else:   # Copilot skips a hook that exits non-zero: every JSON agent gets its deny, exit 0
        assert result.returncode == 0
        check(answer(result), answer_of(agent, "refuse", f"<failure: {problem}>"))


@pytest.mark.parametrize("agent", AGENTS)
def test_a_broken_policy_is_refused_in_the_agents_own_shape(agent, workspace):
    (workspace / ".execgate.yaml").write_text("rules: [\n")
    result = hook(agent, shell_event(agent, "ls", workspace), workspace, *JSON_ANSWER.get(agent, []))
    if agent == "claude-code":
        assert (result.returncode, result.stdout) == (2, b"")
    else:
        assert result.returncode == 0
        check(answer(result), answer_of(agent, "refuse", "<failure: .execgate.yaml>"))


@pytest.mark.parametrize("agent", AGENTS)
def test_an_internal_error_is_refused_in_the_agents_own_shape(agent, workspace, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    event = json.dumps(shell_event(agent, "ls", workspace)).encode()
    code, out, err = run_hook(event, agent, as_json=True)
    assert code == 0 and err == ""   # the twin: the same call passes when nothing breaks
    monkeypatch.setattr(hook_gate.calls, "units_for", broken)
    code, out, err = run_hook(event, agent, as_json=True)
    problem = "internal error: RuntimeError: boom"
    assert err == f"execgate: refused: {problem}\n"
    if agent == "claude-code":
        assert (code, out) == (2, "")
    else:
        assert code == 0
        check(json.loads(out), answer_of(agent, "refuse", f"<failure: {problem}>"))


def test_an_mcp_argument_that_cannot_be_read_refuses_under_fail_closed(workspace):
    event = {**shell_event("codex", "ls", workspace), "tool_name": "mcp__sqlite__read_query",
             "tool_input": {"query": {"text": "SELECT 1"}}}
    result = hook("codex", event, workspace)
    reason = answer(result)["hookSpecificOutput"]["permissionDecisionReason"]
    assert result.returncode == 0 and "could not be analysed" in reason and "expected sql text, got dict" in reason
    (workspace / ".execgate.yaml").write_text("fail_closed: false\n")
    result = hook("codex", event, workspace)
    assert result.returncode == 0 and answer(result) == ""
    assert result.stderr.decode().startswith("execgate: warning: could not be analysed: ")


def test_a_policy_says_what_an_unknown_servers_arguments_hold(workspace):
    event = {**shell_event("claude-code", "ls", workspace), "tool_name": "mcp__warehouse__run",
             "tool_input": {"statement_text": "DROP TABLE sales"}}
    assert answer(run(event, workspace, "--json")) == ""   # no mapping: the argument is text
    (workspace / ".execgate.yaml").write_text(
        "mcp:\n  servers:\n    warehouse:\n      tools:\n        run: {statement_text: sql}\n")
    check(answer(run(event, workspace, "--json")), answer_of("claude-code", "refuse", "<refusal: sql.drop-table>"))


def test_the_mcp_server_is_a_context_key_for_the_policy(workspace):
    sample = (SAMPLES_DIR / "gemini-cli" / "mcp-block.json").read_text().replace("${WORKSPACE}", str(workspace))
    (workspace / ".execgate.yaml").write_text(
        'rules:\n  - {id: "sql.*", action: allow, when: {server: [analytics]}}\n')
    assert answer(hook("gemini-cli", sample.encode(), workspace)) == {}
    other = sample.replace('"analytics"', '"billing"').replace("mcp__analytics__", "mcp__billing__")
    check(answer(hook("gemini-cli", other.encode(), workspace)), answer_of("gemini-cli", "refuse",
                                                                          "<refusal: sql.delete-all>"))


def test_decisions_of_any_agent_are_recorded_with_its_ids_and_the_mcp_server(workspace, tmp_path):
    log = tmp_path / "audit.jsonl"
    assert hook("codex", shell_event("codex", "rm -rf /srv/data", workspace), workspace,
                "--audit-log", str(log)).returncode == 0
    sample = (SAMPLES_DIR / "codex" / "mcp-allow.json").read_text().replace("${WORKSPACE}", str(workspace))
    assert hook("codex", sample.encode(), workspace, "--audit-log", str(log)).returncode == 0
    assert verify(log).ok and verify(log).records == 2
    shell, mcp = [json.loads(line) for line in log.read_text().splitlines()]
    assert (shell["gate"], shell["tool"], shell["session_id"], shell["turn_id"], shell["tool_use_id"]) == \
        ("codex", "Bash", "s-1", "7", "call_1")
    assert (shell["actor_type"], shell["decision"], shell["rule"]) == ("agent", "block", "shell.rm-recursive")
    assert (mcp["gate"], mcp["tool"], mcp["server"], mcp["mcp_tool"], mcp["decision"]) == \
        ("codex", "mcp__postgres__query", "postgres", "query", "allow")


# -- Claude Code's exit-code protocol (execgate hook claude-code without --json) ---------------------


def load(path: Path, workspace: Path) -> tuple[dict, dict]:
    event = json.loads(path.read_text())
    expect = event.pop("_expect")
    event["cwd"] = str(workspace)
    return event, expect


def bash(command: str, cwd: Path) -> dict:
    return shell_event("claude-code", command, cwd)


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
    assert {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("path", EVENTS, ids=[p.stem for p in EVENTS])
def test_events_json_protocol(path, workspace):
    """The same events through run_hook in this process (the command's wiring is run for real above)."""
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
    (json.dumps({"hook_event_name": "PreToolUse", "tool_input": {}}).encode(), "no tool_name"),
    (json.dumps({"tool_name": "Bash"}).encode(), "no tool_input"),
    (json.dumps({"tool_name": "Write", "tool_input": {"file_path": "a.py"}}).encode(), "no string 'content'"),
    (json.dumps({"tool_name": "MultiEdit", "tool_input": {"file_path": "a.py", "edits": "x"}}).encode(),
     "list of edits"),
    (json.dumps({"tool_name": "MultiEdit", "tool_input": {"file_path": "a.py"}}).encode(), "list of edits"),
    (json.dumps({"hook_event_name": "PostToolUse", "tool_name": "Bash",
                 "tool_input": {"command": "ls"}}).encode(), "expected a PreToolUse event"),
]


@pytest.mark.parametrize("mode", [[], ["--json"]])
@pytest.mark.parametrize("data,problem", MALFORMED, ids=[m[1] for m in MALFORMED])
def test_malformed_events_are_refused_in_one_line(in_process, data, problem, mode):
    result = in_process("hook", "claude-code", *mode, stdin=data)
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


# -- Codex patches ----------------------------------------------------------------------------------


def test_a_patch_adds_updates_moves_and_deletes_files():
    changes = parse_patch("*** Begin Patch\n*** Add File: a.py\n+x = 1\n+\n*** Update File: b.py\n"
                          "*** Move to: c.py\n@@ def f():\n-    return 1\n+    return 2\n*** End of File\n"
                          "*** Delete File: d.py\n*** End Patch\n")
    assert [(c.action, c.path, c.move_to) for c in changes] == \
        [("add", "a.py", None), ("update", "b.py", "c.py"), ("delete", "d.py", None)]
    assert changes[0].content == "x = 1\n\n"
    assert apply_hunks("def g():\n    return 1\n\ndef f():\n    return 1\n", changes[1].hunks) == \
        "def g():\n    return 1\n\ndef f():\n    return 2\n"   # after the @@ line, not the first match
    assert apply_hunks("def f():\n    return 3\n", changes[1].hunks) is None


@pytest.mark.parametrize("text,problem", [
    ("rm -rf /", "no '*** Begin Patch' line"),
    ("*** Begin Patch\n*** Add File: a.py\n+x\n", "no '*** End Patch' line"),
    ("*** Begin Patch\n*** Add File: a.py\nx = 1\n*** End Patch", "does not start with '+'"),
    ("*** Begin Patch\n*** Copy File: a.py\n*** End Patch", "unexpected line"),
    ("*** Begin Patch\n*** End Patch", "changes no file"),
])
def test_a_malformed_patch_is_refused(text, problem):
    with pytest.raises(ValueError, match=re.escape(problem)):
        parse_patch(text)


def test_a_patch_hunk_that_does_not_apply_is_judged_on_its_new_lines(workspace):
    patch = ("*** Begin Patch\n*** Update File: cleanup.py\n@@\n-    print(\"not in the file\")\n"
             "+    shutil.rmtree(\"/srv/data\")\n*** End Patch\n")
    event = {**shell_event("codex", "ls", workspace), "tool_name": "apply_patch", "tool_input": {"command": patch}}
    check(answer(hook("codex", event, workspace)), answer_of("codex", "refuse", "<refusal: py.fs-delete-tree>"))
    event["tool_input"]["command"] = patch.replace('shutil.rmtree("/srv/data")', "print(1)")   # the twin
    assert answer(hook("codex", event, workspace)) == ""


# -- execgate hook install|uninstall AGENT ------------------------------------------------------------


PROJECT_FILE = {"claude-code": ".claude/settings.json", "codex": ".codex/hooks.json",
                "gemini-cli": ".gemini/settings.json", "cursor": ".cursor/hooks.json",
                "copilot": ".github/hooks/execgate.json"}
FOREIGN = {
    "claude-code": {"model": "opus", "permissions": {"deny": ["Read(./.env)"]}, "hooks": {
        "PreToolUse": [{"matcher": "Bash", "hooks": [
            {"type": "command", "command": "/opt/other-guard.sh", "timeout": 5}]}],
        "PostToolUse": [{"matcher": "Write", "hooks": [{"type": "command", "command": "fmt.sh"}]}]}},
    "codex": {"hooks": {
        "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "python3 .codex/hooks/policy.py",
                                                      "statusMessage": "Checking Bash command policy"}]}],
        "Stop": [{"hooks": [{"type": "command", "command": "notify.sh", "timeout": 30}]}]}},
    "gemini-cli": {"ui": {"theme": "GitHub"}, "hooks": {
        "BeforeTool": [{"matcher": "write_file|replace", "hooks": [
            {"name": "secret-scanner", "type": "command",
             "command": "$GEMINI_PROJECT_DIR/.gemini/hooks/block-secrets.sh"}]}]}},
    "cursor": {"version": 1, "hooks": {"beforeShellExecution": [{"command": "./hooks/audit.sh"}],
                                       "afterFileEdit": [{"command": "./hooks/format.sh"}]}},
    "copilot": {"version": 1, "hooks": {"preToolUse": [{"type": "command", "bash": "./scripts/security-check.sh",
                                                        "timeoutSec": 15}],
                                        "sessionStart": [{"type": "command", "bash": "./scripts/session-start.sh"}]}},
}


def added_by_install(agent: str, command: str) -> dict[str, list]:
    """Exactly what install appends to each event's list: what the agent's settings look like."""
    if agent == "claude-code":
        return {"PreToolUse": [{"matcher": "Bash|Write|Edit|MultiEdit|NotebookEdit|mcp__.*",
                                "hooks": [{"type": "command", "command": command}]}]}
    if agent == "codex":
        return {"PreToolUse": [{"matcher": "Bash|apply_patch|mcp__.*",
                                "hooks": [{"type": "command", "command": command}]}]}
    if agent == "gemini-cli":
        return {"BeforeTool": [{"matcher": "run_shell_command|write_file|replace|mcp__.*", "hooks": [
            {"name": "execgate", "type": "command", "command": command,
             "description": "execgate: refuse destructive and exfiltrating tool calls"}]}]}
    if agent == "cursor":
        return {"beforeShellExecution": [{"command": command, "failClosed": True}],
                "beforeMCPExecution": [{"command": command, "failClosed": True}],
                "preToolUse": [{"command": command, "matcher": "Write|StrReplace|Edit", "failClosed": True}]}
    return {"preToolUse": [{"type": "command", "bash": command, "timeoutSec": 30}]}


def installed(agent: str) -> str:
    return shlex.join([EXECGATE, "hook", agent, *JSON_ANSWER.get(agent, [])])


def settings_cli(action: str, agent: str, cwd: Path, *args: str,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([EXECGATE, "hook", action, agent, *args], capture_output=True, text=True,
                          cwd=cwd, env=env or clean_env(), timeout=120)


def install(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return settings_cli("install", "claude-code", cwd, *args, env=env)


def commands_in(settings: Path) -> list[str]:
    data = json.loads(settings.read_text())
    return [h["command"] for group in data["hooks"]["PreToolUse"] for h in group["hooks"]]


@pytest.mark.parametrize("agent", AGENTS)
def test_install_keeps_foreign_hooks_and_uninstall_takes_out_exactly_its_own(agent, workspace):
    (workspace / ".git").mkdir()
    (workspace / "src").mkdir()
    settings = workspace / PROJECT_FILE[agent]
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps(FOREIGN[agent], indent=4))
    original = settings.read_text()
    result = settings_cli("install", agent, workspace / "src")   # from a subfolder: the project's root
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout == f"execgate: the {title(agent)} hook ({installed(agent)}) is added to {settings}\n"
    want = json.loads(original)
    for event, entries in added_by_install(agent, installed(agent)).items():
        want["hooks"][event] = want["hooks"].get(event, []) + entries
    assert json.loads(settings.read_text()) == want
    written = settings.read_bytes()
    again = settings_cli("install", agent, workspace)
    assert again.returncode == 0 and "is already in" in again.stdout and settings.read_bytes() == written
    result = settings_cli("uninstall", agent, workspace)
    assert result.returncode == 0 and result.stdout == f"execgate: the {title(agent)} hook is removed from {settings}\n"
    assert json.loads(settings.read_text()) == FOREIGN[agent]
    again = settings_cli("uninstall", agent, workspace)
    assert again.returncode == 0 and "no execgate" in again.stdout
    assert json.loads(settings.read_text()) == FOREIGN[agent]


def title(agent: str) -> str:
    return {"claude-code": "Claude Code", "codex": "Codex CLI", "gemini-cli": "Gemini CLI", "cursor": "Cursor",
            "copilot": "GitHub Copilot CLI and coding agent"}[agent]


@pytest.mark.parametrize("agent", AGENTS)
def test_install_into_nothing_and_uninstall_leave_nothing_behind(agent, workspace):
    settings = workspace / PROJECT_FILE[agent]
    assert settings_cli("install", agent, workspace).returncode == 0
    data = json.loads(settings.read_text())
    assert data == {**({"version": 1} if agent in ("cursor", "copilot") else {}),
                    "hooks": added_by_install(agent, installed(agent))}
    assert settings_cli("uninstall", agent, workspace).returncode == 0
    if agent in ("claude-code", "gemini-cli"):   # a settings file of the agent's: it stays, empty
        assert json.loads(settings.read_text()) == {}
    else:   # a hooks file execgate created: nothing else is in it, so it goes
        assert not settings.exists()


@pytest.mark.parametrize("agent", AGENTS)
def test_the_readme_shows_what_install_writes(agent, workspace):
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme[readme.index("### Gates for agents"):readme.index("## MCP gateway")]
    shown = [json.loads(block.split("```", 1)[0]) for block in section.split("```json\n")[1:]]
    assert settings_cli("install", agent, workspace).returncode == 0
    written = (workspace / PROJECT_FILE[agent]).read_text().replace(EXECGATE, "/home/you/.venv/bin/execgate")
    assert json.loads(written) in shown


@pytest.mark.parametrize("agent", AGENTS)
def test_the_installed_hook_runs_without_execgate_on_path(agent, workspace):
    settings = workspace / PROJECT_FILE[agent]
    assert settings_cli("install", agent, workspace).returncode == 0
    data = json.loads(settings.read_text())
    entries = [e for group in next(iter(data["hooks"].values())) for e in group.get("hooks", [group])]
    command = entries[0].get("command") or entries[0]["bash"]
    assert os.path.isabs(shlex.split(command)[0])
    # Agents run the command through a shell that may not have execgate on its PATH.
    result = subprocess.run(command, shell=True, input=json.dumps(shell_event(agent, "rm -rf /srv/data", workspace)),
                            capture_output=True, text=True, cwd=workspace, env=clean_env(PATH="/nonexistent"),
                            timeout=120)
    assert result.returncode == 0, result.stderr
    check(json.loads(result.stdout), answer_of(agent, "refuse", "<refusal: shell.rm-recursive>"))


BAD_SETTINGS = [
    ('{"hooks": {"PreToolUse": [\n', "not valid JSON (line 2, column 1)"),
    ('{"hooks": // a comment\n {}}', "not valid JSON (line 1, column 11)"),
    ('["a list"]', "not a JSON object"),
    ('{"hooks": ["a list"]}', '"hooks" is not an object'),
]


@pytest.mark.parametrize("action", ["install", "uninstall"])
@pytest.mark.parametrize("agent", AGENTS)
@pytest.mark.parametrize("text, problem", BAD_SETTINGS, ids=[p for _, p in BAD_SETTINGS])
def test_a_settings_file_that_cannot_be_read_is_refused_in_one_line(agent, action, text, problem, workspace,
                                                                    in_process):
    settings = workspace / "my-settings.json"
    settings.write_text(text)
    result = in_process("hook", action, agent, "--settings", str(settings))
    err = result.stderr.decode()
    assert result.returncode == 2 and result.stdout == b""
    assert err.startswith(f"execgate: {settings}: ") and problem in err, err
    assert err.count("\n") == 1 and "not changed" in err
    assert settings.read_text() == text


@pytest.mark.parametrize("agent,variable,path", [
    ("claude-code", "CLAUDE_CONFIG_DIR", "settings.json"), ("codex", "CODEX_HOME", "hooks.json"),
    ("copilot", "COPILOT_HOME", "hooks/execgate.json"), ("gemini-cli", "HOME", ".gemini/settings.json"),
    ("cursor", "HOME", ".cursor/hooks.json")])
def test_install_for_the_user_writes_the_agents_home(agent, variable, path, workspace, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = settings_cli("install", agent, workspace, "--user", env=clean_env(**{variable: str(home)}))
    assert result.returncode == 0, result.stderr
    assert json.loads((home / path).read_text())["hooks"] == added_by_install(agent, installed(agent))
    assert not (workspace / PROJECT_FILE[agent]).exists()


@pytest.mark.parametrize("agent", [a for a in AGENTS if a != "claude-code"])
def test_only_claude_code_has_local_settings(agent, workspace):
    result = settings_cli("install", agent, workspace, "--local")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "has no local settings" in result.stderr
    assert not (workspace / PROJECT_FILE[agent]).exists()


def test_install_updates_an_older_claude_code_hook_and_never_clobbers_other_hooks(workspace):
    settings = workspace / ".claude" / "settings.local.json"
    settings.parent.mkdir()
    original = {
        "model": "opus",
        "hooks": {"PreToolUse": [
            {"matcher": "Bash", "hooks": [
                {"type": "command", "command": "execgate hook claude-code --policy team.yaml"},
                {"type": "command", "command": "/opt/other-guard.sh", "timeout": 5}]},
            {"matcher": "Bash|Write|Edit|MultiEdit|NotebookEdit", "hooks": [
                {"type": "command", "command": "/old/venv/bin/execgate hook claude-code --json"}]}]},
    }
    settings.write_text(json.dumps(original))
    result = install(workspace, "--local")
    assert result.returncode == 0 and "is updated in" in result.stdout
    groups = json.loads(settings.read_text())["hooks"]["PreToolUse"]
    assert groups[0] == {"matcher": "Bash", "hooks": [   # the execgate hook there is updated, not added again
        {"type": "command", "command": f"{EXECGATE} hook claude-code --policy team.yaml --json"},
        {"type": "command", "command": "/opt/other-guard.sh", "timeout": 5}]}
    assert groups[1] == {"matcher": "Bash|Write|Edit|MultiEdit|NotebookEdit|mcp__.*",   # MCP tools too now
                         "hooks": [{"type": "command", "command": f"{EXECGATE} hook claude-code --json"}]}
    assert not (workspace / ".claude" / "settings.json").exists()
    assert settings_cli("uninstall", "claude-code", workspace, "--local").returncode == 0
    assert json.loads(settings.read_text()) == {"model": "opus", "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [
        {"type": "command", "command": "/opt/other-guard.sh", "timeout": 5}]}]}}


def test_install_for_the_user_follows_symlinks(workspace, tmp_path):
    dotfiles = tmp_path / "dotfiles" / "claude-settings.json"
    dotfiles.parent.mkdir()
    dotfiles.write_text('{"theme": "dark"}')
    config = tmp_path / "claude-config"
    config.mkdir()
    (config / "settings.json").symlink_to(dotfiles)
    assert install(workspace, "--user", env=clean_env(CLAUDE_CONFIG_DIR=str(config))).returncode == 0
    assert (config / "settings.json").is_symlink()   # the link stays; the file it points at is written
    assert json.loads(dotfiles.read_text())["theme"] == "dark" and commands_in(dotfiles)


# -- scripts a command runs by path are read in the call's working folder --------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project the agent works in, with the script it may run, and a script beside (outside) it."""
    shutil.copytree(FIXTURES / "project_scripts", tmp_path / "project")
    shutil.copy(FIXTURES / "outside-the-project.sh", tmp_path / "outside-the-project.sh")
    return tmp_path / "project"


def bash_event(command: str, cwd: Path) -> dict:
    return {"session_id": "s", "hook_event_name": "PreToolUse", "tool_name": "Bash",
            "tool_input": {"command": command}, "cwd": str(cwd)}


@pytest.mark.parametrize("command,refused", [
    ("bash scripts/reset-db.sh", True), ("bash scripts/lint.sh", False),
    ("npm run db:reset", True), ("npm run lint", False),
    ("bash ../outside-the-project.sh", False),   # outside the call's folder: never read
])
def test_a_script_the_command_runs_is_read_in_the_calls_folder(project, tmp_path, command, refused):
    # The hook process runs elsewhere: the event's cwd says where the agent's command runs.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run(bash_event(command, project), elsewhere)
    assert done.returncode == (2 if refused else 0), done.stderr.decode()
    if refused:
        assert b"reset-db.sh" in done.stderr and b"dropdb" in done.stderr


@pytest.mark.parametrize("folder,code", [("project", 1), ("elsewhere", 0)])
def test_check_stdin_reads_a_script_in_its_working_folder(project, tmp_path, folder, code):
    # The twin: where there is no such script, `bash scripts/reset-db.sh` alone decides nothing.
    where = project if folder == "project" else tmp_path / "elsewhere"
    where.mkdir(exist_ok=True)
    done = subprocess.run([EXECGATE, "check", "--stdin", "--lang", "shell"], input=b"bash scripts/reset-db.sh\n",
                          capture_output=True, cwd=where, env=clean_env(), timeout=120)
    assert done.returncode == code, done.stdout.decode() + done.stderr.decode()
