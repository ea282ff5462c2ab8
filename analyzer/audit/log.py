"""The audit log: every decision a gate makes, as a hash-chained JSON Lines file.

Each line is one record in canonical JSON (sorted keys, no spaces, ASCII).
``hash`` is the sha256 of the record's canonical JSON without ``hash`` and
``sig``, and ``prev`` is the ``hash`` of the record before it (64 zeros for the
first), so editing, removing, inserting or reordering a record breaks the chain
where it happened and :func:`verify_lines` names that place. Whoever can write
the log can also recompute every hash after an edit: with a signing key
(:mod:`analyzer.audit.sign`) each record also carries ``key_id`` and ``sig``, an
Ed25519 signature over its canonical JSON without ``sig`` (so over ``prev``,
``seq`` and ``hash`` too), which nobody without the key can recompute.
Removing records from the *end* leaves a valid, shorter chain: a checkpoint
kept elsewhere (:mod:`analyzer.audit.checkpoint`; an :class:`Anchor` here)
catches that.

Writers serialise on ``<log>.lock`` (filelock), read only the last line of the
log under the lock, and append, flush and fsync their records in one write, so
several kernels or CI jobs can share one log without losing or interleaving
records. Library code never prints; problems are :class:`AuditError`.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from ..records import Record
from .settings import ENV_LOG

if TYPE_CHECKING:
    from ..model import AnalysisError, Context, Finding, PolicyFacts, Report

GENESIS = "0" * 64
LOCK_TIMEOUT = 10.0          # seconds a writer waits for the lock before giving up
_TAIL_CHUNK = 4096


class AuditError(Exception):
    """The log cannot be written (or read): one line for the user, naming the file.

    ``refuse`` says whether the gate must refuse because the decision was not recorded
    (set by :class:`analyzer.audit.trail.AuditTrail`; None: the policy's ``fail_closed`` says)."""

    refuse: bool | None = None


class AuditKeyError(AuditError):
    """A signing or public key, or a checkpoint, that cannot be used: one line, exit 2."""


class VerifyResult(Record, frozen=True):
    ok: bool
    records: int                      # records read before the first problem (all of them when ok)
    first_bad_line: int | None = None  # 1-based line (file) or row (database) of the log
    problem: str | None = None
    head: str | None = None           # hash of the last good record: anchor it elsewhere
    signed: int = 0                   # records that carry a signature (checked when keys were given)
    unsigned_prefix: int = 0          # with keys: unsigned records before the first signed one
    signatures_checked: bool = False
    key_ids: tuple[str, ...] = ()     # the keys the records were signed with, in order of first use
    anchors: int = 0                  # checkpoints (and heads) the log was held against


class Anchor(Record, frozen=True):
    """A point of the chain noted outside the log: record ``seq`` had hash ``head``.

    ``seq`` None: only the hash is known (``verify --head``); it must be somewhere in the log."""

    seq: int | None
    head: str
    label: str


class Sealer(Protocol):
    """What signs records (:class:`analyzer.audit.sign.Signer`)."""

    @property
    def key_id(self) -> str: ...

    def sign(self, message: bytes) -> str: ...


class SignatureCheck(Protocol):
    """What checks record signatures (:class:`analyzer.audit.sign.Keyring`)."""

    def key_ids(self) -> frozenset[str]: ...

    def valid(self, record: Mapping[str, Any]) -> bool: ...


# -- where the log is ------------------------------------------------------------------------


class LogSetting(Protocol):
    """What :func:`resolve_log_path` needs of a policy: its ``audit.log`` as the loader resolved it."""

    @property
    def audit_log(self) -> str | None: ...


def resolve_log_path(flag: str | None, policy: LogSetting | None,
                     environ: Mapping[str, str] = os.environ) -> str | None:
    """The audit log every gate writes: ``--audit-log``, else ``EXECGATE_AUDIT_LOG``, else the
    policy key ``audit.log``; None when none of them names one (an empty value names none).

    Relative paths: the flag and the variable are taken as given, relative to the working
    directory, as the person or CI job that wrote them means. The policy key is relative to the
    folder of the policy file that sets it; the policy loader (analyzer/policy/load.py) has
    already joined the two into ``policy.audit_log``, so it is used as is and never joined
    again (joining ``policy.root`` once more doubled the folder of a policy named by a relative
    path: ``sub/sub/audit.jsonl``). A gate without the flag (the IPython kernel) passes None."""
    if flag:
        return flag
    if environ.get(ENV_LOG):
        return environ[ENV_LOG]
    if policy is not None and policy.audit_log:
        return policy.audit_log
    return None


# -- records -------------------------------------------------------------------------------


def canonical(record: Mapping[str, Any]) -> str:
    """The one serialisation hashes are computed over (and the one written)."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def record_hash(record: Mapping[str, Any]) -> str:
    """sha256 of the record without ``hash`` and ``sig`` (the signature is made after the hash)."""
    return hashlib.sha256(canonical({k: v for k, v in record.items() if k not in ("hash", "sig")}).encode()
                          ).hexdigest()


def signed_bytes(record: Mapping[str, Any]) -> bytes:
    """What a record's signature is over: its canonical JSON without ``sig`` (``prev`` and ``hash`` included)."""
    return canonical({k: v for k, v in record.items() if k != "sig"}).encode("ascii")


def seal(records: Iterable[Mapping[str, Any]], seq: int, prev: str,
         signer: Sealer | None = None) -> list[dict[str, Any]]:
    """Chain ``records`` after the record (``seq``, ``prev``): number, link, hash and, with a signer, sign them."""
    sealed = []
    for record in records:
        entry = {k: v for k, v in record.items() if k not in ("hash", "sig", "key_id")}
        seq += 1
        entry.update(seq=seq, prev=prev)
        if signer is not None:
            entry["key_id"] = signer.key_id
        entry["hash"] = prev = record_hash(entry)
        if signer is not None:
            entry["sig"] = signer.sign(signed_bytes(entry))
        sealed.append(entry)
    return sealed


def text_sha256(text: str) -> str:
    """Source hash of a snippet (stdin, a notebook cell, an agent's command): sha256 of its UTF-8."""
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def file_sha256(path: str) -> str | None:
    """Source hash of a file's bytes, or None when it cannot be read (it may be gone by now)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def utc_now() -> str:
    from datetime import datetime, timezone  # only when a record is written

    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def records_for_report(report: Report, gate: str, sources: Mapping[str, str] | None = None,
                       extra: Mapping[str, Any] | None = None, time: str | None = None) -> list[dict[str, Any]]:
    """One record per finding (allowed, suppressed and baselined ones too), per analysis error,
    and per checked path with neither, so "checked, nothing found" is evidence as well.

    ``sources`` maps a path to the sha256 of what was analysed; paths not in it are hashed from
    disk (snippets such as ``<stdin>`` must be given, see :func:`text_sha256`). ``extra`` is
    merged into every record (the agent hook adds the tool name and session)."""
    known: dict[str, str | None] = dict(sources or {})

    def source_hash(path: str | None) -> str | None:
        if path is None:
            return None
        if path not in known:
            known[path] = file_sha256(path) if not path.startswith("<") else None
        return known[path]

    policy = report.policy
    base = record_base(report.context, policy, gate, time)
    base.update(extra or {})
    records = [_finding_record(base, f, source_hash(f.operation.location.path)) for f in report.findings]
    records += [_error_record(base, e, source_hash(e.path), policy.fail_closed) for e in report.errors]
    seen = {f.operation.location.path for f in report.findings} | {e.path for e in report.errors}
    clean: list[str | None] = [p for p in report.paths if p not in seen] or ([] if records else [None])
    records += [dict(base, event="clean", path=p, source_sha256=source_hash(p), decision="allow",
                     policy_decision="allow", reason="checked: nothing found", targets=[]) for p in clean]
    return records


def record_base(ctx: Context, policy: PolicyFacts | None, gate: str, time: str | None = None) -> dict[str, Any]:
    """What every record of one decision says: when, which gate, who acts where, under which policy
    (None: a policy that could not be used)."""
    sources_of = dict(ctx.sources)
    environment = ctx.environment or (policy.environment if policy is not None else None)
    if not ctx.environment and environment:
        sources_of.setdefault("environment", "policy")
    return {
        "time": time or utc_now(), "gate": gate, "actor": ctx.actor, "role": ctx.role,
        "environment": environment, "actor_type": ctx.actor_type,
        "context_sources": {k: sources_of[k] for k in ("actor", "role", "environment", "actor_type")
                            if k in sources_of},
        "policy_source": policy.source if policy is not None else None,
        "policy_sha256": policy.sha256 if policy is not None else None,
    }


def event_record(ctx: Context, policy: PolicyFacts | None, gate: str, event: str, reason: str, rule: str,
                 path: str | None = None, source: str | None = None) -> dict[str, Any]:
    """A refusal that is no finding (a gate's own guard tripped, the gate failing closed), in the shape
    of the others."""
    return dict(record_base(ctx, policy, gate), event=event, path=path, source_sha256=source,
                decision="block", policy_decision="block", reason=reason, policy_rule=rule, targets=[])


def _finding_record(base: dict[str, Any], finding: Finding, source: str | None) -> dict[str, Any]:
    op = finding.operation
    loc = op.location
    record = dict(base, event="finding", path=loc.path, cell=loc.cell, cell_id=loc.cell_id, line=loc.line,
                  column=loc.column, source_sha256=source, rule=op.rule, category=op.category,
                  severity=op.severity, language=op.language, message=op.message, targets=list(op.targets),
                  decision=finding.action, policy_decision=finding.decision.action,
                  reason=finding.decision.reason, policy_rule=finding.decision.policy_rule,
                  suppressed=finding.suppression is not None, baselined=finding.baselined)
    if finding.suppression is not None:
        record["justification"] = finding.suppression.justification
    return record


def _error_record(base: dict[str, Any], error: AnalysisError, source: str | None, fail_closed: bool) -> dict[str, Any]:
    refused = "block" if fail_closed else "allow"
    why = "fail_closed refuses what cannot be analysed" if fail_closed else "fail_closed is off"
    return dict(base, event="error", path=error.path, cell=error.cell, line=error.line, source_sha256=source,
                message=error.message, decision=refused, policy_decision=refused,
                reason=f"could not be analysed: {error.message} ({why})", policy_rule="built-in:fail-closed",
                targets=[])


# -- writing -------------------------------------------------------------------------------


def record_report(log_path: str | os.PathLike[str], report: Report, gate: str,
                  sources: Mapping[str, str] | None = None, extra: Mapping[str, Any] | None = None,
                  timeout: float = LOCK_TIMEOUT, signer: Sealer | None = None) -> list[dict[str, Any]]:
    """Append the decisions of ``report`` made at ``gate`` to a JSON Lines file; returns the records as
    written. Gates go through :class:`analyzer.audit.trail.AuditTrail`, which also signs, stamps
    decision ids and writes to a database."""
    return append_records(log_path, records_for_report(report, gate, sources, extra), timeout=timeout,
                          signer=signer)


def append_records(log_path: str | os.PathLike[str], records: Iterable[Mapping[str, Any]],
                   timeout: float = LOCK_TIMEOUT, signer: Sealer | None = None) -> list[dict[str, Any]]:
    """Chain ``records`` (adding seq, prev, hash and, with a signer, key_id and sig) onto the log and
    append them durably."""
    from filelock import FileLock, Timeout

    path = os.fspath(log_path)
    pending = [dict(r) for r in records]
    if not pending:
        return []
    if os.path.isdir(path):
        raise AuditError(f"{path}: is a directory, not an audit log")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):  # filelock would create it: a mistyped path must not make folders
        raise AuditError(f"{path}: cannot write the audit log: no folder {folder}")
    try:
        with FileLock(path + ".lock", timeout=timeout):
            seq, prev = _tail(path)
            written = seal(pending, seq, prev, signer)
            data = "".join(canonical(r) + "\n" for r in written).encode("ascii")
            created = not os.path.exists(path)
            with open(path, "ab") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if created:
                _fsync_dir(folder)
    except Timeout:
        raise AuditError(f"{path}: another writer held the lock for {timeout:g} s; nothing was recorded") from None
    except OSError as exc:
        raise AuditError(f"{path}: cannot write the audit log: {exc.strerror or exc}") from None
    return written


def _fsync_dir(directory: str) -> None:
    """Make a newly created log's directory entry durable too (POSIX; a no-op where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _tail(path: str) -> tuple[int, str]:
    """(seq, hash) of the last record, reading backwards from the end; (0, GENESIS) for a new log."""
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return 0, GENESIS
    with handle:
        end = handle.seek(0, os.SEEK_END)
        if end == 0:
            return 0, GENESIS
        handle.seek(end - 1)
        if handle.read(1) != b"\n":
            raise AuditError(f"{path}:{_count_lines(path)}: the last record is cut off mid-line; refusing to "
                             f"extend a damaged chain (see `execgate audit verify {path}`)")
        position, tail = end - 1, b""
        while position > 0 and b"\n" not in tail:
            step = min(_TAIL_CHUNK, position)
            position -= step
            handle.seek(position)
            tail = handle.read(step) + tail
        line = tail.rsplit(b"\n", 1)[-1] if b"\n" in tail else tail
    try:
        record = json.loads(line)
        return int(record["seq"]), str(record["hash"])
    except (ValueError, TypeError, KeyError):
        raise AuditError(f"{path}:{_count_lines(path)}: the last line is not an audit record; refusing to "
                         f"extend a damaged chain (see `execgate audit verify {path}`)") from None


def _count_lines(path: str) -> int:
    """Number of the last line (only on the error path: this reads the whole file)."""
    count, last = 0, b"\n"
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


# -- reading and verifying -----------------------------------------------------------------


def parse_record(raw: bytes) -> dict[str, Any] | None:
    """One JSON Lines line as a record; None when it is not a JSON object."""
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def file_lines(log_path: str | os.PathLike[str]) -> Iterator[tuple[int, bytes]]:
    """(line number, raw line with its end of line) of a log file; AuditError when it cannot be read."""
    path = os.fspath(log_path)
    if os.path.isdir(path):
        raise AuditError(f"{path}: is a directory, not an audit log")
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise AuditError(f"{path}: cannot read the audit log: {exc.strerror or exc}") from None
    with handle:
        yield from enumerate(handle, start=1)


def verify(log_path: str | os.PathLike[str], expected_head: str | None = None,
           keys: SignatureCheck | None = None, anchors: Iterable[Anchor] = ()) -> VerifyResult:
    """Check a log file's whole chain (see :func:`verify_lines`); AuditError when it cannot be read."""
    found = [Anchor(None, expected_head, f"head {expected_head}")] if expected_head else []
    return verify_lines(file_lines(log_path), "line", keys, [*found, *anchors])


def verify_lines(lines: Iterable[tuple[int, bytes]], unit: str = "line", keys: SignatureCheck | None = None,
                 anchors: Iterable[Anchor] = ()) -> VerifyResult:
    """Check the chain of a log read as (position, raw line) pairs; the first problem is named by its
    position (``unit``: line of a file, row of a database), its record and what it suggests.

    With ``keys`` every record from the first signed one on must carry a valid signature by one of
    them (unsigned records before it were written before signing began: the first signed record's
    ``prev`` covers them). A log whose first signature is by none of the keys raises
    :class:`AuditKeyError` (a wrong public key: exit 2). ``anchors`` are checkpoints: record
    ``seq`` must still have hash ``head`` (an anchor without ``seq``: the hash must be in the log)."""
    pinned = {a.seq: a for a in anchors if a.seq is not None}
    loose = {a.head: a for a in anchors if a.seq is None}
    total_anchors = len(pinned) + len(loose)
    prev, seq, count = GENESIS, 0, 0
    signed, unsigned_prefix = 0, 0
    key_ids: list[str] = []
    known = keys.key_ids() if keys is not None else frozenset()

    def result(ok: bool, line: int | None = None, problem: str | None = None) -> VerifyResult:
        return VerifyResult(ok, count, line, problem, prev, signed, unsigned_prefix if keys is not None else 0,
                            keys is not None, tuple(key_ids), total_anchors)

    for number, raw in lines:
        where = f"{unit} {number}"
        if not raw.endswith(b"\n"):
            return result(False, number, f"{where}: cut off (no end of line: truncated?)")
        try:
            record = json.loads(raw)
        except ValueError:
            return result(False, number, f"{where}: not JSON (truncated?)")
        if not isinstance(record, dict) or not {"seq", "prev", "hash"} <= record.keys():
            return result(False, number, f"{where}: not an audit record (no seq, prev and hash)")
        label = f"record {record['seq']} ({where})"
        if record_hash(record) != record["hash"]:
            return result(False, number, f"{label}: hash mismatch (edited)")
        if raw.rstrip(b"\r\n").decode("ascii", "replace") != canonical(record):
            return result(False, number, f"{label}: not in canonical form (edited)")
        if not isinstance(record["seq"], int) or isinstance(record["seq"], bool):
            return result(False, number, f"{label}: seq is not a number (edited)")
        if record["seq"] > seq + 1:
            return result(False, number, f"{label}: seq jumps from {seq} to {record['seq']} (removed or reordered)")
        if record["seq"] < seq + 1:
            return result(False, number, f"{label}: seq {record['seq']} after {seq} (inserted or reordered)")
        if record["prev"] != prev:
            before = f"record {seq}" if seq else "the start of the log"
            return result(False, number, f"{label}: prev does not match {before} (removed, inserted or reordered)")
        key_id = record.get("key_id") if "sig" in record else None
        if key_id is not None and str(key_id) not in key_ids:
            key_ids.append(str(key_id))
        if keys is not None:
            if "sig" not in record:
                if signed:
                    return result(False, number, f"{label}: not signed, after signed records (signatures "
                                                 "stripped, or a record forged without the key)")
                unsigned_prefix += 1
            elif key_id not in known:
                if not signed:
                    raise AuditKeyError(f"the public key does not match this log: its first signed record "
                                        f"({label}) is signed with key {key_id}, the key given is "
                                        f"{', '.join(sorted(known)) or 'none'}")
                return result(False, number, f"{label}: signed with another key ({key_id}): forged")
            elif not keys.valid(record):
                return result(False, number, f"{label}: the signature does not verify (edited, inserted, "
                                             "removed or reordered by someone without the key)")
        if "sig" in record:
            signed += 1
        anchor = pinned.get(record["seq"])
        if anchor is not None and anchor.head != record["hash"]:
            return result(False, number, f"{label}: not the record {anchor.label} saw (its hash was "
                                         f"{anchor.head}): rewritten after it was taken")
        loose.pop(record["hash"], None)
        prev, seq, count = record["hash"], record["seq"], count + 1
    if keys is not None and count and not signed:
        return result(False, 1, f"record 1 ({unit} 1): no record of the log is signed, but a public key was "
                                "given (signatures stripped, or the log rewritten without the key)")
    beyond = sorted((a for a in pinned.values() if a.seq is not None and a.seq > seq), key=lambda a: a.seq or 0)
    if beyond:
        anchor = beyond[-1]
        return result(False, None, f"the log ends at record {seq}, but {anchor.label} saw {anchor.seq} records: "
                                   f"{(anchor.seq or 0) - seq} removed from the end")
    if loose:
        anchor = next(iter(loose.values()))
        return result(False, None, f"the expected {anchor.label} is not in the log (records removed from the end?)")
    return result(True)
