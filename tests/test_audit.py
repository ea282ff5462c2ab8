"""The audit log: records for every decision, a hash chain that shows tampering, safe concurrent writers."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from analyzer.audit.log import (GENESIS, AuditError, append_records, canonical, record_hash, record_report,
                                records_for_report, resolve_log_path, text_sha256, verify)
from analyzer.commands.main import main
from analyzer.model import Report
from analyzer.model import AnalysisError, Decision, Finding, Location, Operation, Suppression
from analyzer.policy.rules import Policy
from analyzer.model import Context


def finding(rule: str = "shell.rm-recursive", action: str = "block", path: str = "<stdin>", line: int = 1,
            targets: tuple[str, ...] = ("/srv/data",), suppressed: bool = False, baselined: bool = False) -> Finding:
    location = Location(path, line)
    op = Operation(rule, "destructive", "critical", "shell", location, f"{rule} on {targets}", targets=targets)
    suppression = Suppression(rule, "nightly reload", location) if suppressed else None
    return Finding(op, Decision(action, f"{action} by test policy", "policy.yaml:3"), suppression, baselined)


def report(findings=(), errors=(), paths=("<stdin>",), actor="alice", fail_closed=True) -> Report:
    policy = Policy(source=".execgate.yaml", sha256="ab" * 32, fail_closed=fail_closed, environment="staging")
    context = Context(actor=actor, role="analyst", environment="prod", actor_type="agent")
    return Report(list(findings), list(errors), [], policy, context, list(paths))


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="ascii").splitlines(keepends=True)


def write_log(path: Path, count: int) -> None:
    append_records(path, [{"event": "finding", "rule": f"r{i}", "decision": "block"} for i in range(count)])


# -- records ------------------------------------------------------------------------------------


def test_every_finding_error_and_clean_path_becomes_a_record(tmp_path):
    source = tmp_path / "job.sh"
    source.write_bytes(b"rm -rf /srv/data\n")
    findings = [finding(path=str(source)), finding("shell.chmod", "allow", str(source), 2),
                finding("shell.dd", "block", str(source), 3, suppressed=True),
                finding("shell.mkfs", "block", str(source), 4, baselined=True)]
    errors = [AnalysisError(str(tmp_path / "bad.py"), "invalid syntax", line=7)]
    clean = tmp_path / "ok.py"
    clean.write_text("print('hi')\n")
    records = records_for_report(report(findings, errors, [str(source), str(clean)]), "pre-commit")

    assert [r["event"] for r in records] == ["finding"] * 4 + ["error", "clean"]
    assert [r["decision"] for r in records] == ["block", "allow", "allow", "allow", "block", "allow"]
    assert [r.get("policy_decision") for r in records][:4] == ["block", "allow", "block", "block"]
    suppressed, baselined = records[2], records[3]
    assert suppressed["suppressed"] is True and suppressed["justification"] == "nightly reload"
    assert baselined["baselined"] is True and baselined["suppressed"] is False
    first = records[0]
    assert first["source_sha256"] == hashlib.sha256(b"rm -rf /srv/data\n").hexdigest()
    assert (first["actor"], first["role"], first["environment"], first["actor_type"]) == \
        ("alice", "analyst", "prod", "agent")
    assert (first["gate"], first["policy_source"], first["policy_sha256"]) == \
        ("pre-commit", ".execgate.yaml", "ab" * 32)
    assert (first["rule"], first["category"], first["line"], first["targets"]) == \
        ("shell.rm-recursive", "destructive", 1, ["/srv/data"])
    assert first["reason"] == "block by test policy" and first["policy_rule"] == "policy.yaml:3"
    assert first["time"].endswith("Z")
    assert records[4]["source_sha256"] is None  # bad.py does not exist on disk
    assert records[5]["path"] == str(clean)
    assert records[5]["source_sha256"] == hashlib.sha256(clean.read_bytes()).hexdigest()


def test_errors_allow_when_fail_closed_is_off():
    records = records_for_report(report(errors=[AnalysisError("<stdin>", "nested too deeply")], fail_closed=False),
                                 "cli")
    assert [(r["event"], r["decision"]) for r in records] == [("error", "allow")]


def test_snippet_hashes_come_from_the_caller_and_an_empty_check_is_still_recorded():
    text = "DROP TABLE users;"
    records = records_for_report(report([finding()]), "cli", sources={"<stdin>": text_sha256(text)},
                                 extra={"tool": "Bash"})
    assert records[0]["source_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert records[0]["tool"] == "Bash"
    empty = records_for_report(report(paths=()), "ci")
    assert [(r["event"], r["path"], r["decision"]) for r in empty] == [("clean", None, "allow")]


def test_records_are_chained_in_canonical_json(tmp_path):
    log = tmp_path / "audit.jsonl"
    first = record_report(log, report([finding(), finding("shell.dd")]), "cli")
    second = record_report(log, report([finding("shell.mkfs")]), "ipython")
    records = [json.loads(line) for line in lines(log)]
    assert records == first + second
    assert [r["seq"] for r in records] == [1, 2, 3]
    assert records[0]["prev"] == GENESIS
    for before, after in zip(records, records[1:], strict=False):
        assert after["prev"] == before["hash"]
    for raw, record in zip(lines(log), records, strict=True):
        assert raw == canonical(record) + "\n"
        without = {k: v for k, v in record.items() if k != "hash"}
        assert record["hash"] == hashlib.sha256(canonical(without).encode()).hexdigest() == record_hash(record)
    assert verify(log).ok and verify(log).records == 3 and verify(log).head == records[-1]["hash"]


def test_hostile_text_round_trips(tmp_path):
    log = tmp_path / "audit.jsonl"
    path = "weird\udcff\n\u2028name.py"   # a surrogate-escaped byte and line separators in a file name
    record_report(log, report([finding(path=path)], paths=[path], actor='<script>"x"</script>'), "cli")
    assert len(lines(log)) == 1
    assert json.loads(lines(log)[0])["path"] == path
    assert verify(log).ok


# -- tampering -------------------------------------------------------------------------------


def edit_field(entries: list[str]) -> list[str]:
    record = json.loads(entries[4])
    record["decision"] = "allow"
    entries[4] = canonical(record) + "\n"
    return entries


def forge_with_rehash(entries: list[str]) -> list[str]:
    """An edit that recomputes the record's own hash still breaks the next record's prev."""
    record = json.loads(entries[4])
    record["decision"] = "allow"
    record["hash"] = record_hash(record)
    entries[4] = canonical(record) + "\n"
    return entries


def insert_forged(entries: list[str]) -> list[str]:
    previous = json.loads(entries[3])
    forged = {"event": "finding", "rule": "r-forged", "decision": "allow", "seq": 5, "prev": previous["hash"]}
    forged["hash"] = record_hash(forged)
    return entries[:4] + [canonical(forged) + "\n"] + entries[4:]


def swap(entries: list[str]) -> list[str]:
    entries[4], entries[5] = entries[5], entries[4]
    return entries


def reformat(entries: list[str]) -> list[str]:
    entries[4] = json.dumps(json.loads(entries[4]), indent=None) + "\n"   # same values, spaces added
    return entries


TAMPERING = [
    # (what, change, first bad line, words the problem must contain)
    ("edit a field", edit_field, 5, "record 5 (line 5): hash mismatch (edited)"),
    ("edit and rehash", forge_with_rehash, 6, "record 6 (line 6): prev does not match record 5"),
    ("delete a record", lambda e: e[:4] + e[5:], 5, "seq jumps from 4 to 6 (removed"),
    ("delete the first record", lambda e: e[1:], 1, "seq jumps from 0 to 2 (removed"),
    ("insert a forged record", insert_forged, 6, "record 5 (line 6): seq 5 after 5 (inserted"),
    ("swap two records", swap, 5, "record 6 (line 5): seq jumps from 4 to 6"),
    ("reformat a record", reformat, 5, "not in canonical form (edited)"),
    ("truncate the last line", lambda e: e[:-1] + [e[-1][:40]], 10, "line 10: cut off"),
    ("truncate a record in the middle", lambda e: e[:4] + [e[4][:80] + "\n"] + e[5:], 5,
     "line 5: not JSON (truncated?)"),
    ("cut bytes out of the middle", lambda e: e[:4] + [e[4][:50] + e[5][60:]] + e[6:], 5, "line 5"),
    ("blank line", lambda e: e[:4] + ["\n"] + e[4:], 5, "line 5: not JSON"),
]


@pytest.mark.parametrize("what,change,bad_line,problem", TAMPERING, ids=[t[0] for t in TAMPERING])
def test_verify_names_the_first_tampered_record(tmp_path, what, change, bad_line, problem):
    log = tmp_path / "audit.jsonl"
    write_log(log, 10)
    assert verify(log).ok
    log.write_text("".join(change(lines(log))), encoding="ascii")
    result = verify(log)
    assert not result.ok
    assert result.first_bad_line == bad_line
    assert problem in result.problem
    assert result.records == bad_line - 1


def test_records_cut_from_the_end_are_caught_with_an_anchored_head(tmp_path):
    log = tmp_path / "audit.jsonl"
    write_log(log, 10)
    head = verify(log).head
    write_log(log, 2)                       # the log grows: the old head is still in it
    assert verify(log, expected_head=head).ok
    log.write_text("".join(lines(log)[:8]), encoding="ascii")
    assert verify(log).ok                   # a shorter chain is still a chain...
    cut = verify(log, expected_head=head)   # ...but not one that reaches the anchored head
    assert not cut.ok and "expected head" in cut.problem and cut.records == 8


# -- refusing to write ----------------------------------------------------------------------


def test_a_damaged_last_line_is_never_extended(tmp_path):
    log = tmp_path / "audit.jsonl"
    write_log(log, 3)
    data = log.read_bytes()
    log.write_bytes(data[:-20])
    with pytest.raises(AuditError, match=rf"{log.name}:3: the last record is cut off mid-line"):
        write_log(log, 1)
    assert log.read_bytes() == data[:-20]
    log.write_bytes(data + b"garbage\n")
    with pytest.raises(AuditError, match=rf"{log.name}:4: the last line is not an audit record"):
        write_log(log, 1)


def test_unwritable_paths_are_audit_errors(tmp_path):
    with pytest.raises(AuditError, match="is a directory"):
        write_log(tmp_path, 1)
    afile = tmp_path / "plain"
    afile.write_text("x")
    with pytest.raises(AuditError, match="cannot write the audit log"):
        write_log(afile / "audit.jsonl", 1)
    with pytest.raises(AuditError, match="cannot write the audit log: no folder"):
        write_log(tmp_path / "missing" / "audit.jsonl", 1)
    assert not (tmp_path / "missing").exists()


HOLD_LOCK = textwrap.dedent("""
    import sys, time
    from filelock import FileLock
    with FileLock(sys.argv[1] + ".lock"):
        print("held", flush=True)
        time.sleep(30)
""")


def test_a_writer_that_cannot_get_the_lock_gives_up_with_an_error(tmp_path):
    log = tmp_path / "audit.jsonl"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(log)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(AuditError, match="held the lock"):
            append_records(log, [{"event": "clean"}], timeout=0.3)
    finally:
        holder.kill()
        holder.wait()
    assert not log.exists()


WRITER = textwrap.dedent("""
    import sys
    from analyzer.audit.log import append_records
    log, writer, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(count):
        append_records(log, [{"event": "finding", "writer": writer, "n": i, "decision": "block"}])
""")


def test_concurrent_writers_lose_nothing_and_keep_the_chain(tmp_path):
    log = tmp_path / "audit.jsonl"
    writers, each = 4, 500
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, str(log), f"w{w}", str(each)])
                 for w in range(writers)]
    assert [p.wait(timeout=300) for p in processes] == [0] * writers
    result = verify(log)
    assert result.ok, result.problem
    assert result.records == writers * each
    records = [json.loads(line) for line in lines(log)]
    assert sorted((r["writer"], r["n"]) for r in records) == sorted(
        (f"w{w}", i) for w in range(writers) for i in range(each))
    for w in range(writers):   # each writer's records are in its own order
        assert [r["n"] for r in records if r["writer"] == f"w{w}"] == list(range(each))


# -- command line -----------------------------------------------------------------------------


def test_verify_command_exit_codes(tmp_path, capsys):
    log = tmp_path / "audit.jsonl"
    write_log(log, 6)
    assert main(["audit", "verify", str(log)]) == 0
    assert "intact, 6 records" in capsys.readouterr().out
    log.write_text("".join(swap(lines(log))), encoding="ascii")
    assert main(["audit", "verify", str(log)]) == 1
    err = capsys.readouterr().err
    assert "BROKEN" in err and "record 6 (line 5)" in err and "4 records verified" in err
    assert main(["audit", "verify", str(tmp_path / "nope.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.jsonl: cannot read" in err and "Traceback" not in err
    assert main(["audit", "verify", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


# -- where the log is ---------------------------------------------------------------------------


def test_the_flag_wins_then_the_variable_then_the_policy():
    policy = Policy(audit_log="/var/log/policy.jsonl")
    environ = {"EXECGATE_AUDIT_LOG": "env.jsonl"}
    assert resolve_log_path("flag.jsonl", policy, environ) == "flag.jsonl"
    assert resolve_log_path(None, policy, environ) == "env.jsonl"
    assert resolve_log_path(None, policy, {}) == "/var/log/policy.jsonl"
    assert resolve_log_path("", policy, {"EXECGATE_AUDIT_LOG": ""}) == "/var/log/policy.jsonl"  # empty: not set
    assert resolve_log_path(None, Policy(), {}) is None
    assert resolve_log_path(None, None, environ) == "env.jsonl"        # the kernel has no flag, maybe no policy
    assert resolve_log_path(None, None, {}) is None


def test_the_process_environment_is_the_default(monkeypatch):
    monkeypatch.setenv("EXECGATE_AUDIT_LOG", "from-env.jsonl")
    assert resolve_log_path(None, Policy(audit_log="policy.jsonl")) == "from-env.jsonl"
    monkeypatch.delenv("EXECGATE_AUDIT_LOG")
    assert resolve_log_path(None, Policy(audit_log="policy.jsonl")) == "policy.jsonl"


@pytest.mark.parametrize("named", ["relative", "absolute", "found upward"])
def test_the_policy_key_is_relative_to_the_policy_file(tmp_path, monkeypatch, named):
    from analyzer.policy.load import load_policy

    folder = tmp_path / "project" / "sub"
    folder.mkdir(parents=True)
    (folder / ".execgate.yaml").write_text("audit: {log: logs/audit.jsonl}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "project")
    monkeypatch.delenv("EXECGATE_AUDIT_LOG", raising=False)
    if named == "relative":
        policy = load_policy("sub/.execgate.yaml")
    elif named == "absolute":
        policy = load_policy(str(folder / ".execgate.yaml"))
    else:
        policy = load_policy(None, start=folder)
    log = resolve_log_path(None, policy)
    assert log is not None and Path(log).resolve() == (folder / "logs" / "audit.jsonl").resolve()
    # The flag and the variable are relative to the working folder, as given.
    assert resolve_log_path("mine.jsonl", policy) == "mine.jsonl"
    assert resolve_log_path(None, policy, {"EXECGATE_AUDIT_LOG": "env/a.jsonl"}) == "env/a.jsonl"


# -- what a decision record tells an auditor ---------------------------------------------------------------


def test_a_record_says_who_decided_under_which_policy_commit_and_where_each_value_came_from(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / ".execgate.yaml").write_text("environment: staging\naudit: {log: audit.jsonl}\n")
    (project / "job.sh").write_text("rm -rf /srv/data\n")
    subprocess.run([*git, "add", ".execgate.yaml"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "policy"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    monkeypatch.setenv("EXECGATE_ACTOR", "claude")
    assert main(["check", str(project / "job.sh"), "--role", "developer", "--actor-type", "agent"]) == 1
    assert main(["check", str(project / "job.sh")]) == 1
    first, second = [json.loads(line) for line in lines(project / "audit.jsonl")]
    assert first["decision_id"] != second["decision_id"] and first["run_id"] != second["run_id"]
    assert first["context_sources"] == {"actor": "EXECGATE_ACTOR", "role": "--role", "actor_type": "--actor-type",
                                        "environment": "policy"}
    assert (first["actor"], first["role"], first["actor_type"], first["environment"]) == \
        ("claude", "developer", "agent", "staging")
    assert first["policy_commit"] == commit and "policy_modified" not in first
    assert first["policy_sha256"] == hashlib.sha256((project / ".execgate.yaml").read_bytes()).hexdigest()
    assert first["source_sha256"] == hashlib.sha256(b"rm -rf /srv/data\n").hexdigest()
    assert (first["rule"], first["decision"], first["shadow"]) == ("shell.rm-recursive", "block", False)
    # A policy changed since its commit says so.
    (project / ".execgate.yaml").write_text("environment: staging\naudit: {log: audit.jsonl}\nfail_closed: true\n")
    assert main(["check", str(project / "job.sh")]) == 1
    third = json.loads(lines(project / "audit.jsonl")[-1])
    assert third["policy_commit"] == commit and third["policy_modified"] is True
