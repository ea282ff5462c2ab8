"""The audit log in PostgreSQL: a real server started by the tests, one chain for many writers.

The server comes from the ``pgserver`` wheel (PostgreSQL's binaries inside a wheel, in the
test extra) or, where that wheel has no build, the system's PostgreSQL (``initdb`` on PATH
or in ``/usr/lib/postgresql/*/bin``); ``EXECGATE_TEST_PG_BIN`` names another folder. It
listens on a free loopback port and a Unix socket in a temporary folder, runs as an
unprivileged user when the tests run as root (PostgreSQL refuses root), and is stopped
when the module's tests end. Each test gets its own database.

The load test writes 8 processes x 250 records by default (a few seconds);
``EXECGATE_PG_LOAD=full`` writes the 8 x 2,000 of the issue::

    EXECGATE_PG_LOAD=full .venv/bin/python -m pytest -q tests/test_audit_postgres.py -k load
"""
from __future__ import annotations

import glob
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from analyzer.audit.log import canonical
from analyzer.audit.sign import generate, load_keyring, load_signer
from analyzer.audit.sinks import open_sink, read_records, verify_log
from analyzer.commands.main import main
from tests.audit_helpers import rechain

RM = "rm -rf /srv/data\n"
LOAD_WRITERS = 8
LOAD_EACH = 2000 if os.environ.get("EXECGATE_PG_LOAD") == "full" else 250


# -- the server ------------------------------------------------------------------------------------


def postgres_bin() -> Path:
    """Where initdb and postgres are (see the module docstring)."""
    named = os.environ.get("EXECGATE_TEST_PG_BIN")
    if named:
        return Path(named)
    spec = importlib.util.find_spec("pgserver")   # found, not imported: only its binaries are used
    if spec is not None and spec.origin:
        bundled = Path(spec.origin).parent / "pginstall" / "bin"
        if (bundled / "initdb").exists():
            return bundled
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    system = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if system:
        return Path(system[-1]).parent
    raise RuntimeError("no PostgreSQL server binaries: install the test extra (pgserver) or PostgreSQL")


def reachable(binaries: Path, base: Path, owner: dict) -> Path:
    """``binaries``, or a copy of their installation in ``base`` when the unprivileged user cannot run them
    (a virtualenv inside a folder only root may enter, as in a fresh CI clone)."""
    try:
        subprocess.run([str(binaries / "postgres"), "--version"], check=True, capture_output=True, timeout=30,
                       **owner)
        return binaries
    except (OSError, subprocess.CalledProcessError):
        pass
    install = binaries.parent                  # pgserver/pginstall
    site = install.parent.parent               # the wheel's libraries are in <site>/pgserver.libs (RPATH)
    copy = base / "site"
    shutil.copytree(install, copy / install.relative_to(site), symlinks=True,
                    ignore=shutil.ignore_patterns("include"))
    for libs in site.glob(f"{install.parent.name}.libs"):
        shutil.copytree(libs, copy / libs.name, symlinks=True)
    for folder, _, files in os.walk(copy):
        os.chown(folder, owner["user"], owner["group"])
        for name in files:
            os.chown(os.path.join(folder, name), owner["user"], owner["group"], follow_symlinks=False)
    return copy / install.relative_to(site) / binaries.name


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    port: int
    admin: str

    def database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql://execgate@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="module")
def server():
    binaries = postgres_bin()
    base = Path(tempfile.mkdtemp(prefix="execgate-pg-"))
    owner = {}
    if os.geteuid() == 0:     # PostgreSQL will not run as root
        import pwd

        name = "postgres" if any(p.pw_name == "postgres" for p in pwd.getpwall()) else "nobody"
        account = pwd.getpwnam(name)
        os.chown(base, account.pw_uid, account.pw_gid)
        owner = {"user": account.pw_uid, "group": account.pw_gid}
        binaries = reachable(binaries, base, owner)
    data = base / "data"
    subprocess.run([str(binaries / "initdb"), "-D", str(data), "-U", "execgate", "-A", "trust", "-E", "UTF8",
                    "--no-sync"], check=True, capture_output=True, timeout=120, **owner)
    port = free_port()
    process = subprocess.Popen([str(binaries / "postgres"), "-D", str(data), "-p", str(port), "-k", str(base),
                                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=60"],
                               stdout=subprocess.DEVNULL, stderr=open(base / "server.log", "wb"), **owner)
    admin = f"postgresql://execgate@127.0.0.1:{port}/postgres"
    deadline = time.monotonic() + 60
    while True:
        try:
            psycopg.connect(admin, connect_timeout=2).close()
            break
        except psycopg.OperationalError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not start: " + (base / "server.log").read_text()) from None
            time.sleep(0.1)
    try:
        yield Server(port, admin)
    finally:
        process.send_signal(signal.SIGINT)    # fast shutdown
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def dsn(server) -> str:
    return server.database()


@pytest.fixture
def keys(tmp_path) -> Path:
    generate(tmp_path / "keys")
    return tmp_path / "keys"


def rows(dsn: str) -> list[dict]:
    with psycopg.connect(dsn) as conn:
        return [json.loads(text) for (text,) in conn.execute("SELECT record FROM execgate_audit_log ORDER BY seq")]


def replace_rows(dsn: str, entries: list[dict]) -> None:
    """What someone with write access to the table does: put other records in it."""
    with psycopg.connect(dsn) as conn:
        conn.execute("DELETE FROM execgate_audit_log")
        for index, record in enumerate(entries, start=1):
            conn.execute("INSERT INTO execgate_audit_log (seq, decision_id, record) VALUES (%s, %s, %s)",
                         (index, f"x{index}", canonical(record)))


def write_records(dsn: str, count: int, keys: Path | None = None) -> None:
    sink = open_sink(dsn)
    signer = load_signer(str(keys / "audit.key"), "--audit-key") if keys else None
    for i in range(count):
        sink.append([{"event": "finding", "rule": f"r{i}", "decision": "block"}], signer)


# -- the gates write there, verify and report read it --------------------------------------------


def test_check_writes_signed_records_that_verify_and_report_read_like_a_file(dsn, keys, tmp_path, capsys):
    script = tmp_path / "job.sh"
    script.write_text(RM)
    key, pub = str(keys / "audit.key"), str(keys / "audit.pub")
    assert main(["check", str(script), "--audit-sink", dsn, "--audit-key", key]) == 1
    assert main(["check", str(script), "--audit-sink", dsn, "--audit-key", key, "--shadow"]) == 0
    written = rows(dsn)
    assert [(r["seq"], r["decision"], r["shadow"]) for r in written] == [(1, "block", False), (2, "block", True)]
    assert written[1]["prev"] == written[0]["hash"] and all("sig" in r for r in written)
    capsys.readouterr()
    assert main(["audit", "verify", dsn, "--public-key", pub]) == 0
    out = capsys.readouterr().out
    assert "intact, 2 records" in out and "2 signatures verify" in out
    assert main(["audit", "report", dsn, "--public-key", pub]) == 0
    report = capsys.readouterr().out
    assert "## Blocked (1)" in report and "## Would have blocked (shadow mode) (1)" in report
    assert "2 signatures verify" in report
    checkpoint = tmp_path / "checkpoint.json"
    assert main(["audit", "head", dsn, "--audit-key", key, "--output", str(checkpoint)]) == 0
    assert main(["audit", "verify", dsn, "--public-key", pub, "--checkpoint", str(checkpoint)]) == 0


def test_the_policy_names_the_sink_and_a_password_is_never_shown(server, tmp_path, capsys):
    database = server.database()
    with_password = database.replace("execgate@", "execgate:s3cret@")   # trust auth ignores it
    (tmp_path / ".execgate.yaml").write_text(f"audit: {{sink: '{with_password}'}}\n")
    script = tmp_path / "job.sh"
    script.write_text(RM)
    assert main(["check", str(script)]) == 1
    assert [r["rule"] for r in rows(database)] == ["shell.rm-recursive"]
    assert main(["audit", "verify", with_password]) == 0
    out = capsys.readouterr().out
    assert "s3cret" not in out and "execgate:***@" in out


# -- tampering -----------------------------------------------------------------------------------------


def edit(entries):
    entries[4] = dict(entries[4], decision="allow")
    return entries


def delete(entries):
    return entries[:4] + entries[5:]


def insert(entries):
    return entries[:4] + [{"event": "finding", "rule": "r-forged", "decision": "allow", "seq": 5,
                           "prev": entries[3]["hash"], "hash": "0" * 64}] + entries[4:]


def reorder(entries):
    entries[4], entries[5] = entries[5], entries[4]
    return entries


TAMPERING = [("an edited record", edit, "record 5 (row 5)"), ("a deleted record", delete, "record 6 (row 5)"),
             ("an inserted record", insert, "record 5 (row 5)"), ("reordered records", reorder, "record 6 (row 5)")]


@pytest.mark.parametrize("what,change,named", TAMPERING, ids=[t[0] for t in TAMPERING])
def test_tampering_in_the_table_is_named_without_the_key(dsn, what, change, named):
    write_records(dsn, 10)
    assert verify_log(dsn).ok
    replace_rows(dsn, change(rows(dsn)))
    result = verify_log(dsn)
    assert not result.ok and result.problem.startswith(named) and result.first_bad_line == 5


@pytest.mark.parametrize("what,change,named", TAMPERING, ids=[t[0] for t in TAMPERING])
def test_tampering_rechained_without_the_key_is_named_with_the_key(dsn, keys, what, change, named):
    write_records(dsn, 10, keys)
    replace_rows(dsn, rechain(change(rows(dsn))))
    assert verify_log(dsn).ok                                # the chain alone is fooled...
    result = verify_log(dsn, load_keyring([str(keys / "audit.pub")]))
    assert not result.ok and result.problem.startswith("record 5 (row 5)")   # ...the signatures are not
    assert "signature does not verify" in result.problem or "not signed" in result.problem


def test_the_chain_goes_on_after_the_head_row_not_after_what_is_left(dsn, keys):
    write_records(dsn, 5, keys)
    with psycopg.connect(dsn) as conn:
        conn.execute("DELETE FROM execgate_audit_log WHERE seq = 5")   # the last record removed
    write_records(dsn, 1, keys)
    result = verify_log(dsn, load_keyring([str(keys / "audit.pub")]))
    assert not result.ok and "record 6 (row 5): seq jumps from 4 to 6" in result.problem


# -- many writers --------------------------------------------------------------------------------------


WRITER = textwrap.dedent("""
    import sys
    from analyzer.audit.sign import load_signer
    from analyzer.audit.sinks import open_sink
    dsn, key, writer, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    sink, signer = open_sink(dsn), load_signer(key, "--audit-key")
    for i in range(count):
        sink.append([{"event": "finding", "writer": writer, "n": i, "decision": "block"}], signer)
""")


@pytest.mark.load
def test_load_8_processes_lose_nothing_duplicate_nothing_and_keep_one_chain(dsn, keys):
    open_sink(dsn).append([{"event": "clean", "decision": "allow"}])    # the tables exist before the race
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, dsn, str(keys / "audit.key"), f"w{w}",
                                   str(LOAD_EACH)]) for w in range(LOAD_WRITERS)]
    assert [p.wait(timeout=1800) for p in processes] == [0] * LOAD_WRITERS
    result = verify_log(dsn, load_keyring([str(keys / "audit.pub")]))
    assert result.ok, result.problem
    assert result.records == LOAD_WRITERS * LOAD_EACH + 1 and result.signed == LOAD_WRITERS * LOAD_EACH
    written = [record for _, record in read_records(dsn) if record and "writer" in record]
    assert len(written) == LOAD_WRITERS * LOAD_EACH
    assert len({(r["writer"], r["n"]) for r in written}) == LOAD_WRITERS * LOAD_EACH   # no duplicates
    for w in range(LOAD_WRITERS):    # each writer's records in its own order
        assert [r["n"] for r in written if r["writer"] == f"w{w}"] == list(range(LOAD_EACH))


# -- a database that cannot be reached ---------------------------------------------------------------


def test_an_unreachable_database_warns_in_dev_blocks_in_prod_and_loses_nothing(server, tmp_path, monkeypatch,
                                                                               capsys):
    database = server.database()
    dead = f"postgresql://execgate@127.0.0.1:{free_port()}/nowhere"
    buffer = tmp_path / "buffer.jsonl"
    monkeypatch.setenv("EXECGATE_AUDIT_BUFFER", str(buffer))
    clean = tmp_path / "ok.sh"
    clean.write_text("echo hello\n")
    blocked = tmp_path / "job.sh"
    blocked.write_text(RM)

    assert main(["check", str(clean), "--audit-sink", dead, "--env", "dev"]) == 0      # dev: a warning
    err = capsys.readouterr().err
    assert "warning" in err and "cannot be reached" in err and "1 record kept in" in err
    assert main(["check", str(clean), "--audit-sink", dead, "--env", "prod"]) == 2     # prod: fail closed
    assert "cannot be reached" in capsys.readouterr().err
    assert main(["check", str(blocked), "--audit-sink", dead, "--env", "dev"]) == 1    # a block stays a block
    assert len(buffer.read_text().splitlines()) == 3

    # The policy says what an unreachable database means, per environment.
    (tmp_path / ".execgate.yaml").write_text("audit: {on_sink_error: {prod: warn, '*': block}}\n")
    assert main(["check", str(clean), "--audit-sink", dead, "--env", "prod"]) == 0
    assert main(["check", str(clean), "--audit-sink", dead, "--env", "staging"]) == 2
    assert len(buffer.read_text().splitlines()) == 5
    (tmp_path / ".execgate.yaml").unlink()

    # Back: the buffered records go first, in their order, then the new one; the buffer is emptied.
    assert main(["check", str(blocked), "--audit-sink", database, "--env", "prod"]) == 1
    written = rows(database)
    assert [r.get("buffered", False) for r in written] == [True] * 5 + [False]
    assert [r["environment"] for r in written] == ["dev", "prod", "dev", "prod", "staging", "prod"]
    assert buffer.read_text() == ""
    assert verify_log(database).ok


def test_a_replay_whose_commit_was_already_made_is_not_sent_twice(server, tmp_path):
    database = server.database()
    sink = open_sink(database, str(tmp_path / "buffer.jsonl"))
    first = sink.append([{"event": "clean", "decision": "allow"}])
    # The commit reached the server but the answer was lost: the record is still in the buffer.
    (tmp_path / "buffer.jsonl").write_text(canonical({k: v for k, v in first[0].items()
                                                      if k not in ("seq", "prev", "hash")}) + "\n")
    sink.append([{"event": "finding", "decision": "block"}])
    assert [r["event"] for r in rows(database)] == ["clean", "finding"]
    assert verify_log(database).ok


def test_verify_of_a_database_that_cannot_be_reached_is_one_line_and_exit_2(capsys):
    assert main(["audit", "verify", f"postgresql://execgate:pw@127.0.0.1:{free_port()}/x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read the audit log" in err and ":pw@" not in err
