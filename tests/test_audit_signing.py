"""A signed audit log: keys, signatures, tampering by someone without the key, checkpoints, bad keys.

The attacker in these tests can write the log and knows the format: after each change they
recompute every later seq, prev and hash, so the hash chain alone verifies. Only the
signatures (and checkpoints kept elsewhere) can tell.
"""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from analyzer.audit import checkpoint as cp
from analyzer.audit.log import GENESIS, AuditKeyError, append_records, canonical, record_hash, verify
from analyzer.audit.sign import Signer, generate, load_keyring, load_public_key, load_signer
from analyzer.commands.main import main
from tests.audit_helpers import rechain, records

RM = "rm -rf /srv/data\n"


@pytest.fixture
def keys(tmp_path) -> Path:
    folder = tmp_path / "keys"
    generate(folder)
    return folder


def signer_of(folder: Path) -> Signer:
    return load_signer(str(folder / "audit.key"), "--audit-key")


def write_signed(path: Path, folder: Path, count: int = 10) -> None:
    signer = signer_of(folder)
    for i in range(count):
        append_records(path, [{"event": "finding", "rule": f"r{i}", "decision": "block", "actor": "claude"}],
                       signer=signer)


def write(path: Path, entries: list[dict]) -> None:
    path.write_text("".join(canonical(r) + "\n" for r in entries), encoding="ascii")


# -- keys ---------------------------------------------------------------------------------------


def test_keygen_writes_a_private_key_only_its_owner_reads_and_a_public_key(tmp_path, capsys):
    out = tmp_path / "k"
    assert main(["audit", "keygen", "--out", str(out)]) == 0
    key, pub = out / "audit.key", out / "audit.pub"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert pub.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    kid, _ = load_public_key(str(pub))
    printed = capsys.readouterr().out
    assert kid in printed and signer_of(out).key_id == kid
    # A key is never overwritten.
    assert main(["audit", "keygen", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and err.count("\n") == 1
    assert load_public_key(str(pub))[0] == kid


def test_every_record_is_signed_over_its_canonical_json_with_prev(tmp_path, keys):
    log = tmp_path / "audit.jsonl"
    write_signed(log, keys, 3)
    ring = load_keyring([str(keys / "audit.pub")])
    for record in records(log):
        assert record["key_id"] == signer_of(keys).key_id and ring.valid(record)
        assert record["hash"] == record_hash(record)         # the hash leaves the signature out
        assert not ring.valid(dict(record, prev=GENESIS if record["seq"] > 1 else "1" * 64))
    result = verify(log, keys=ring)
    assert result.ok and result.signed == 3 and result.signatures_checked and result.unsigned_prefix == 0


# -- tampering by someone without the key --------------------------------------------------------


def edit(entries):
    entries[4] = dict(entries[4], decision="allow")
    return rechain(entries)


def delete(entries):
    return rechain(entries[:4] + entries[5:])


def insert_unsigned(entries):
    forged = {"event": "finding", "rule": "r-forged", "decision": "allow", "actor": "claude"}
    return rechain(entries[:4] + [forged] + entries[4:])


def insert_signed_with_another_key(tmp_path):
    def change(entries):
        folder = tmp_path / "attacker"
        generate(folder)
        mallory = signer_of(folder)
        chained = rechain(entries[:4] + [{"event": "finding", "rule": "r-forged", "decision": "allow"}])
        forged = dict(chained[4], key_id=mallory.key_id)
        forged["hash"] = record_hash(forged)
        forged["sig"] = mallory.sign(canonical({k: v for k, v in forged.items() if k != "sig"}).encode())
        return rechain(chained[:4] + [forged] + entries[4:])
    return change


def reorder(entries):
    entries[4], entries[5] = entries[5], entries[4]
    return rechain(entries)


def strip_signatures(entries):
    return rechain([{k: v for k, v in r.items() if k not in ("sig", "key_id")} for r in entries])


def strip_from_the_fifth(entries):
    return rechain(entries[:4] + [{k: v for k, v in r.items() if k not in ("sig", "key_id")} for r in entries[4:]])


TAMPERING = [
    ("an edited record", edit, "record 5 (line 5): the signature does not verify"),
    ("a deleted record", delete, "record 5 (line 5): the signature does not verify"),
    ("an inserted unsigned record", insert_unsigned, "record 5 (line 5): not signed, after signed records"),
    ("reordered records", reorder, "record 5 (line 5): the signature does not verify"),
    ("signatures stripped from the fifth on", strip_from_the_fifth, "record 5 (line 5): not signed"),
    ("every signature stripped", strip_signatures, "record 1 (line 1): no record of the log is signed"),
]


@pytest.mark.parametrize("what,change,problem", TAMPERING, ids=[t[0] for t in TAMPERING])
def test_a_rewrite_without_the_key_passes_the_chain_but_not_the_signatures(tmp_path, keys, what, change, problem):
    log = tmp_path / "audit.jsonl"
    write_signed(log, keys)
    write(log, change(records(log)))
    assert verify(log).ok                                  # the hash chain alone is fooled...
    result = verify(log, keys=load_keyring([str(keys / "audit.pub")]))
    assert not result.ok and problem in result.problem      # ...the signatures are not
    assert result.first_bad_line == int(problem.split("line ")[1].split(")")[0])


def test_a_record_forged_with_another_key_is_named(tmp_path, keys):
    log = tmp_path / "audit.jsonl"
    write_signed(log, keys)
    write(log, insert_signed_with_another_key(tmp_path)(records(log)))
    result = verify(log, keys=load_keyring([str(keys / "audit.pub")]))
    assert not result.ok and "record 5 (line 5): signed with another key" in result.problem


def test_verify_command_names_the_first_bad_record_and_exits_1(tmp_path, keys, capsys):
    log = tmp_path / "audit.jsonl"
    write_signed(log, keys)
    pub = str(keys / "audit.pub")
    assert main(["audit", "verify", str(log), "--public-key", pub]) == 0
    assert "10 signatures verify" in capsys.readouterr().out
    write(log, edit(records(log)))
    assert main(["audit", "verify", str(log)]) == 0           # without the key: only the chain
    out = capsys.readouterr().out
    assert "10 records signed" in out and "not checked" in out
    assert main(["audit", "verify", str(log), "--public-key", pub]) == 1
    err = capsys.readouterr().err
    assert "BROKEN: record 5 (line 5): the signature does not verify" in err and "4 records verified" in err


def test_records_written_before_signing_began_are_vouched_for_by_the_first_signed_one(tmp_path, keys):
    log = tmp_path / "audit.jsonl"
    append_records(log, [{"event": "clean", "decision": "allow"}] * 3)
    write_signed(log, keys, 2)
    ring = load_keyring([str(keys / "audit.pub")])
    result = verify(log, keys=ring)
    assert result.ok and result.unsigned_prefix == 3 and result.signed == 2
    entries = records(log)
    entries[1] = dict(entries[1], decision="block")
    write(log, rechain(entries))                              # a rewrite of the unsigned part shows too
    assert not verify(log, keys=ring).ok


def test_a_replaced_key_verifies_with_both_public_keys(tmp_path, keys):
    log = tmp_path / "audit.jsonl"
    write_signed(log, keys, 2)
    generate(tmp_path / "new")
    write_signed(log, tmp_path / "new", 2)
    both = load_keyring([str(keys / "audit.pub"), str(tmp_path / "new" / "audit.pub")])
    result = verify(log, keys=both)
    assert result.ok and len(result.key_ids) == 2
    only_old = verify(log, keys=load_keyring([str(keys / "audit.pub")]))
    assert not only_old.ok and "record 3 (line 3): signed with another key" in only_old.problem


# -- truncation and checkpoints -------------------------------------------------------------------


def test_records_cut_from_the_end_are_caught_by_a_checkpoint(tmp_path, keys, capsys):
    log = tmp_path / "audit.jsonl"
    write_signed(log, keys)
    checkpoint = tmp_path / "checkpoint.json"
    assert main(["audit", "head", str(log), "--audit-key", str(keys / "audit.key"), "--output", str(checkpoint)]) == 0
    saved = json.loads(checkpoint.read_text())
    assert saved["records"] == 10 and saved["head"] == records(log)[-1]["hash"] and saved["sig"]
    pub = str(keys / "audit.pub")
    write_signed(log, keys, 2)                                # the log grows: the checkpoint still holds
    assert main(["audit", "verify", str(log), "--public-key", pub, "--checkpoint", str(checkpoint)]) == 0
    capsys.readouterr()
    write(log, records(log)[:7])                              # three records before the checkpoint cut off
    assert main(["audit", "verify", str(log), "--public-key", pub]) == 0   # a shorter log still verifies...
    capsys.readouterr()
    assert main(["audit", "verify", str(log), "--public-key", pub, "--checkpoint", str(checkpoint)]) == 1
    err = capsys.readouterr().err
    assert "the log ends at record 7" in err and "saw 10 records: 3 removed from the end" in err


def test_a_checkpoint_catches_a_rewrite_before_it_even_without_the_key(tmp_path):
    log = tmp_path / "audit.jsonl"
    append_records(log, [{"event": "finding", "decision": "block", "n": i} for i in range(5)])
    checkpoint = tmp_path / "checkpoint.json"
    assert main(["audit", "head", str(log), "--output", str(checkpoint)]) == 0
    write(log, edit(records(log) + [{"event": "clean"}]))
    assert verify(log).ok
    assert main(["audit", "verify", str(log), "--checkpoint", str(checkpoint)]) == 1


def test_head_refuses_to_anchor_a_broken_log(tmp_path, capsys):
    log = tmp_path / "audit.jsonl"
    append_records(log, [{"event": "clean"}] * 3)
    lines = log.read_text().splitlines(keepends=True)
    log.write_text(lines[0] + lines[2])
    assert main(["audit", "head", str(log)]) == 1
    assert "no checkpoint made" in capsys.readouterr().err


def test_a_forged_checkpoint_is_refused_in_one_line(tmp_path, keys, capsys):
    log = tmp_path / "audit.jsonl"
    write_signed(log, keys, 3)
    made = cp.make(3, records(log)[-1]["hash"], str(log), signer_of(keys))
    forged = dict(made, records=2, head=records(log)[1]["hash"])
    path = tmp_path / "forged.json"
    path.write_text(cp.text(forged))
    assert main(["audit", "verify", str(log), "--public-key", str(keys / "audit.pub"), "--checkpoint", str(path)]) == 2
    err = capsys.readouterr().err
    assert "its signature does not verify" in err and err.count("\n") == 1
    path.write_text("no checkpoint here\n")
    assert main(["audit", "verify", str(log), "--checkpoint", str(path)]) == 2
    assert "holds no execgate checkpoint" in capsys.readouterr().err


def test_the_ci_gate_keeps_a_signed_checkpoint_in_the_job_summary_and_sarif(tmp_path, keys, monkeypatch):
    from analyzer.gates.ci import main as ci_main

    project = tmp_path / "project"
    project.mkdir()
    (project / "job.sh").write_text(RM)
    log, summary, sarif = tmp_path / "audit.jsonl", tmp_path / "summary.md", tmp_path / "out.sarif"
    monkeypatch.setenv("EXECGATE_AUDIT_KEY", (keys / "audit.key").read_text())   # a CI secret holds the PEM
    code = ci_main([str(project), "--audit-log", str(log), "--summary", str(summary), "--sarif", str(sarif),
                    "--no-annotations", "--root", str(project)])
    assert code == 1
    written = records(log)
    assert all("sig" in r and r["gate"] == "ci" for r in written)
    text = summary.read_text()
    assert "Audit log checkpoint" in text and f'"head":"{written[-1]["hash"]}"' in text
    properties = json.loads(sarif.read_text())["runs"][0]["properties"]
    assert properties["execgate/auditCheckpoint"]["records"] == len(written)
    pub = str(keys / "audit.pub")
    for kept in (summary, sarif):         # either kept file proves the log's records up to it
        assert main(["audit", "verify", str(log), "--public-key", pub, "--checkpoint", str(kept)]) == 0
    write(log, records(log)[:-1])
    assert main(["audit", "verify", str(log), "--public-key", pub, "--checkpoint", str(summary)]) == 1


# -- bad keys --------------------------------------------------------------------------------------


def rsa_key(path: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return path


def bad_signing_keys(tmp_path: Path, keys: Path) -> list[tuple[str, str]]:
    (tmp_path / "garbage.key").write_text("not a key\n")
    return [(str(tmp_path / "missing.key"), "no such file"),
            (str(tmp_path), "is a folder"),
            (str(tmp_path / "garbage.key"), "not a PEM private key"),
            (str(rsa_key(tmp_path / "rsa.key")), "not Ed25519"),
            (str(keys / "audit.pub"), "is a public key")]


def test_check_with_a_key_it_cannot_use_fails_closed_and_writes_nothing(tmp_path, keys, capsys):
    script = tmp_path / "ok.sh"
    script.write_text("echo hello\n")
    log = tmp_path / "audit.jsonl"
    for key, problem in bad_signing_keys(tmp_path, keys):
        assert main(["check", str(script), "--audit-log", str(log), "--audit-key", key]) == 2, key
        err = capsys.readouterr().err
        assert problem in err and err.count("\n") == 1 and "Traceback" not in err, err
        assert not log.exists()                               # never unsigned records instead


def test_the_key_comes_from_the_flag_then_the_variable_then_the_policy(tmp_path, keys, monkeypatch):
    other = tmp_path / "other"
    generate(other)
    (tmp_path / "keys-in-policy").mkdir()
    generate(tmp_path / "keys-in-policy" / "k")
    (tmp_path / ".execgate.yaml").write_text("audit: {log: audit.jsonl, key: keys-in-policy/k/audit.key}\n")
    script = tmp_path / "ok.sh"
    script.write_text("echo hello\n")
    log = tmp_path / "audit.jsonl"

    def last_key_id() -> str:
        return records(log)[-1]["key_id"]

    assert main(["check", str(script)]) == 0
    assert last_key_id() == signer_of(tmp_path / "keys-in-policy" / "k").key_id
    monkeypatch.setenv("EXECGATE_AUDIT_KEY", str(other / "audit.key"))
    assert main(["check", str(script)]) == 0
    assert last_key_id() == signer_of(other).key_id
    assert main(["check", str(script), "--audit-key", str(keys / "audit.key")]) == 0
    assert last_key_id() == signer_of(keys).key_id
    monkeypatch.setenv("EXECGATE_AUDIT_KEY", str(tmp_path / "gone.key"))
    assert main(["check", str(script)]) == 2


def test_a_public_key_that_is_not_the_logs_is_one_line_and_exit_2(tmp_path, keys, capsys):
    log = tmp_path / "audit.jsonl"
    write_signed(log, keys, 3)
    generate(tmp_path / "other")
    assert main(["audit", "verify", str(log), "--public-key", str(tmp_path / "other" / "audit.pub")]) == 2
    err = capsys.readouterr().err
    assert "the public key does not match this log" in err and err.count("\n") == 1
    for bad, problem in [(str(tmp_path / "missing.pub"), "no such file"), (str(rsa_key(tmp_path / "rsa.pem")),
                                                                            "not Ed25519")]:
        assert main(["audit", "verify", str(log), "--public-key", bad]) == 2
        err = capsys.readouterr().err
        assert problem in err and err.count("\n") == 1


def test_key_errors_are_values_not_tracebacks(tmp_path):
    with pytest.raises(AuditKeyError, match="not a PEM private key"):
        load_signer("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "EXECGATE_AUDIT_KEY")
    assert os.environ.get("EXECGATE_AUDIT_KEY") is None
