"""Shadow mode in every gate: decide and record everything as in enforce mode, refuse nothing, say so.

``--shadow``, ``EXECGATE_SHADOW=1`` or the policy's ``mode: shadow``. Each test makes the
same change that enforce mode refuses, runs it in shadow mode, and looks at the world: the
check exits 0, the cell ran, the hook allowed the call, the MCP server got the call; and
the audit log holds the block with ``"shadow": true``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from analyzer.audit.log import verify
from analyzer.commands.main import main
from tests.audit_helpers import records
from analyzer.gates.ci import main as ci_main

RM = "rm -rf /srv/data\n"
RMTREE = "import shutil\nshutil.rmtree('data/precious')"


@pytest.fixture
def job(tmp_path) -> Path:
    path = tmp_path / "job.sh"
    path.write_text(RM)
    return path


# -- check ----------------------------------------------------------------------------------------------


def test_check_exits_0_says_shadow_and_records_the_block(job, tmp_path, capsys):
    log = tmp_path / "audit.jsonl"
    assert main(["check", str(job), "--audit-log", str(log)]) == 1
    capsys.readouterr()
    assert main(["check", str(job), "--audit-log", str(log), "--shadow"]) == 0
    out = capsys.readouterr().out
    assert "BLOCK shell.rm-recursive" in out                  # decided exactly as in enforce mode
    assert out.rstrip().endswith("shadow mode: would have been blocked, nothing was blocked")
    assert main(["check", str(job), "--shadow", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mode"] == "shadow" and report["summary"]["exit_code"] == 0
    assert report["summary"]["would_exit_code"] == 1 and report["findings"][0]["decision"] == "block"
    enforce, shadow = records(log)
    assert (enforce["decision"], enforce["shadow"]) == ("block", False)
    assert (shadow["decision"], shadow["shadow"], shadow["shadow_source"]) == ("block", True, "--shadow")
    assert verify(log).ok


def test_unanalysable_input_under_fail_closed_passes_in_shadow_mode(tmp_path, capsys):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ not json")
    assert main(["check", str(broken)]) == 2
    assert main(["check", str(broken), "--shadow"]) == 0
    assert "shadow mode: would have failed closed" in capsys.readouterr().out


def test_the_variable_and_the_policy_turn_it_on_and_enforce_pins_it_off(job, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EXECGATE_SHADOW", "1")
    assert main(["check", str(job)]) == 0
    monkeypatch.delenv("EXECGATE_SHADOW")
    (tmp_path / ".execgate.yaml").write_text("mode: shadow\n")
    assert main(["check", str(job)]) == 0
    monkeypatch.setenv("EXECGATE_SHADOW", "0")               # a person can still enforce a shadow policy
    assert main(["check", str(job)]) == 1
    monkeypatch.delenv("EXECGATE_SHADOW")
    (tmp_path / ".execgate.yaml").write_text("mode: enforce\n")
    capsys.readouterr()
    assert main(["check", str(job), "--shadow"]) == 1         # a flag cannot switch an enforcing policy off
    assert "the policy says mode: enforce; --shadow is ignored" in capsys.readouterr().err
    monkeypatch.setenv("EXECGATE_SHADOW", "1")
    assert main(["check", str(job)]) == 1
    (tmp_path / ".execgate.yaml").write_text("mode: watch\n")
    assert main(["check", str(job)]) == 2                     # an unknown mode is a policy error


# -- CI -------------------------------------------------------------------------------------------------


def test_the_ci_gate_passes_and_its_summary_says_what_would_have_been_blocked(job, tmp_path):
    summary, sarif, log = tmp_path / "summary.md", tmp_path / "out.sarif", tmp_path / "audit.jsonl"
    args = [str(job.parent), "--summary", str(summary), "--sarif", str(sarif), "--no-annotations",
            "--root", str(job.parent), "--audit-log", str(log)]
    assert ci_main(args) == 1
    assert ci_main([*args, "--shadow"]) == 0
    text = summary.read_text()
    assert ":eyes: shadow mode: would have been blocked; nothing was blocked" in text
    run = json.loads(sarif.read_text())["runs"][0]
    assert run["properties"]["mode"] == "shadow" and run["invocations"][0]["exitCode"] == 0
    assert [r["shadow"] for r in records(log)] == [False, True]


# -- the kernel -------------------------------------------------------------------------------------------


@pytest.fixture
def shell(tmp_path, monkeypatch):
    for name in ("EXECGATE_ENV", "EXECGATE_ROLE", "EXECGATE_ACTOR", "EXECGATE_POLICY", "EXECGATE_AUDIT_LOG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data" / "precious").mkdir(parents=True)
    InteractiveShell.clear_instance()
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    shell.run_cell("%load_ext analyzer")
    yield shell
    shell.extension_manager.unload_extension("analyzer")
    InteractiveShell.clear_instance()


def test_the_kernel_runs_the_cell_and_prints_what_would_have_been_refused(shell, tmp_path, monkeypatch, capsys):
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("EXECGATE_AUDIT_LOG", str(log))
    refused = shell.run_cell(RMTREE)
    assert refused.error_before_exec is not None and (tmp_path / "data" / "precious").is_dir()
    capsys.readouterr()
    monkeypatch.setenv("EXECGATE_SHADOW", "1")
    ran = shell.run_cell(RMTREE)
    assert ran.error_before_exec is None and ran.success
    assert not (tmp_path / "data" / "precious").exists()     # the cell ran
    err = capsys.readouterr().err
    assert "execgate (shadow mode) would have refused this cell; it runs:" in err and "py.fs-delete-tree" in err
    shell.run_cell("%execgate status")
    assert "mode: shadow (from EXECGATE_SHADOW)" in capsys.readouterr().out
    assert [(r["decision"], r["shadow"]) for r in records(log)] == [("block", False), ("block", True)]
    shell.run_cell("%reload_ext analyzer")
    assert "guard on in SHADOW mode" in capsys.readouterr().out


# -- agent hooks ----------------------------------------------------------------------------------------------


def agents() -> tuple[str, ...]:
    from analyzer.gates.hooks.gate import AGENTS

    return AGENTS


@pytest.mark.parametrize("agent", agents())
def test_every_agent_hook_allows_and_says_so(agent, tmp_path):
    from test_agent_hook import answer_of, clean_env, hook, shell_event

    log = tmp_path / "audit.jsonl"
    event = shell_event(agent, "rm -rf /srv/data", tmp_path)
    enforced = hook(agent, event, tmp_path, env=clean_env(EXECGATE_AUDIT_LOG=str(log)))
    assert b"shell.rm-recursive" in enforced.stdout + enforced.stderr
    shadow = hook(agent, event, tmp_path, env=clean_env(EXECGATE_AUDIT_LOG=str(log), EXECGATE_SHADOW="1"))
    assert shadow.returncode == 0
    out = shadow.stdout.decode()
    assert (json.loads(out) if out else "") == answer_of(agent, "allow")   # the agent's own "go ahead"
    err = shadow.stderr.decode()
    assert "execgate (shadow mode): nothing is refused" in err and "shell.rm-recursive" in err
    assert [(r["decision"], r["shadow"]) for r in records(log)] == [("block", False), ("block", True)]


# -- the MCP proxy ----------------------------------------------------------------------------------------------


def test_the_mcp_proxy_forwards_what_it_would_have_refused(tmp_path):
    import sqlite3

    from test_mcp_proxy import SQLITE_SERVER, calls, drive

    database = tmp_path / "app.db"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    log = tmp_path / "audit.jsonl"
    (tmp_path / ".execgate.yaml").write_text("mode: shadow\n")
    (result,), stderr = drive(tmp_path, [*SQLITE_SERVER, "--db-path", str(database)],
                              calls(("write_query", {"query": "DROP TABLE users"})),
                              "--name", "app-db", "--audit-log", str(log))
    assert not result.isError
    with sqlite3.connect(database) as db:                     # the server got the call
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'users'").fetchall() == []
    assert "shadow mode: would have refused app-db/write_query, forwarded" in stderr
    assert [(r["rule"], r["decision"], r["shadow"]) for r in records(log)] == [("sql.drop-table", "block", True)]


# -- the report ------------------------------------------------------------------------------------------------


def test_the_report_has_a_would_have_blocked_section(job, tmp_path, capsys):
    log = tmp_path / "audit.jsonl"
    main(["check", str(job), "--audit-log", str(log)])
    main(["check", str(job), "--audit-log", str(log), "--shadow"])
    capsys.readouterr()
    assert main(["audit", "report", str(log)]) == 0
    text = capsys.readouterr().out
    assert "## Blocked (1)" in text and "## Would have blocked (shadow mode) (1)" in text
    assert "1 would have been blocked" in text
