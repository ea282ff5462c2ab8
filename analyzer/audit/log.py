"""The audit log: every decision a gate makes, as a hash-chained JSON Lines file.

Each line is one record in canonical JSON (sorted keys, no spaces, ASCII).
``hash`` is the sha256 of the record's canonical JSON without ``hash``, and
``prev`` is the ``hash`` of the record before it (64 zeros for the first), so
editing, removing, inserting or reordering a record breaks the chain where it
happened and :func:`verify` names that place. Removing records from the *end*
leaves a valid, shorter chain: keep the head hash somewhere else (``verify``
returns it) and pass it back as ``expected_head`` to detect that too.

Writers serialise on ``<log>.lock`` (filelock), read only the last line of the
log under the lock, and append, flush and fsync their records in one write, so
several kernels or CI jobs can share one log without losing or interleaving
records. Library code never prints; problems are :class:`AuditError`.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..model import AnalysisError, Finding, Report

GENESIS = "0" * 64
ENV_LOG = "EXECGATE_AUDIT_LOG"
LOCK_TIMEOUT = 10.0          # seconds a writer waits for the lock before giving up
_TAIL_CHUNK = 4096


class AuditError(Exception):
    """The log cannot be written (or read): one line for the user, naming the file."""


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    records: int                      # records read before the first problem (all of them when ok)
    first_bad_line: int | None = None  # 1-based line of the log
    problem: str | None = None
    head: str | None = None           # hash of the last good record: anchor it elsewhere


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
    return hashlib.sha256(canonical({k: v for k, v in record.items() if k != "hash"}).encode()).hexdigest()


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

    ctx = report.context
    policy = report.policy
    base: dict[str, Any] = {
        "time": time or utc_now(), "gate": gate, "actor": ctx.actor, "role": ctx.role,
        "environment": ctx.environment or policy.environment, "actor_type": ctx.actor_type,
        "policy_source": policy.source, "policy_sha256": policy.sha256,
    }
    base.update(extra or {})
    records = [_finding_record(base, f, source_hash(f.operation.location.path)) for f in report.findings]
    records += [_error_record(base, e, source_hash(e.path), policy.fail_closed) for e in report.errors]
    seen = {f.operation.location.path for f in report.findings} | {e.path for e in report.errors}
    clean: list[str | None] = [p for p in report.paths if p not in seen] or ([] if records else [None])
    records += [dict(base, event="clean", path=p, source_sha256=source_hash(p), decision="allow",
                     policy_decision="allow", reason="checked: nothing found", targets=[]) for p in clean]
    return records


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
                  timeout: float = LOCK_TIMEOUT) -> list[dict[str, Any]]:
    """Append the decisions of ``report`` made at ``gate``; returns the records as written."""
    return append_records(log_path, records_for_report(report, gate, sources, extra), timeout=timeout)


def append_records(log_path: str | os.PathLike[str], records: Iterable[Mapping[str, Any]],
                   timeout: float = LOCK_TIMEOUT) -> list[dict[str, Any]]:
    """Chain ``records`` (adding seq, prev and hash) onto the log and append them durably."""
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
            written = []
            for record in pending:
                seq += 1
                record.pop("hash", None)
                record.update(seq=seq, prev=prev)
                record["hash"] = prev = record_hash(record)
                written.append(record)
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


def read_records(log_path: str | os.PathLike[str]) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line number, record or None when the line is not a JSON object), streaming the file."""
    try:
        with open(log_path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    record = json.loads(raw)
                except ValueError:
                    record = None
                yield number, record if isinstance(record, dict) else None
    except OSError as exc:
        raise AuditError(f"{os.fspath(log_path)}: cannot read the audit log: {exc.strerror or exc}") from None


def verify(log_path: str | os.PathLike[str], expected_head: str | None = None) -> VerifyResult:
    """Check the whole chain; the first problem is named by line, record and what it suggests.

    Raises :class:`AuditError` when the file cannot be read at all."""
    path = os.fspath(log_path)
    if os.path.isdir(path):
        raise AuditError(f"{path}: is a directory, not an audit log")
    prev, seq, count, seen_head = GENESIS, 0, 0, expected_head is None

    def bad(line: int, problem: str) -> VerifyResult:
        return VerifyResult(False, count, line, problem, prev)

    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise AuditError(f"{path}: cannot read the audit log: {exc.strerror or exc}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.endswith(b"\n"):
                return bad(number, f"line {number}: cut off (no end of line: truncated?)")
            try:
                record = json.loads(raw)
            except ValueError:
                return bad(number, f"line {number}: not JSON (truncated?)")
            if not isinstance(record, dict) or not {"seq", "prev", "hash"} <= record.keys():
                return bad(number, f"line {number}: not an audit record (no seq, prev and hash)")
            label = f"record {record['seq']} (line {number})"
            if record_hash(record) != record["hash"]:
                return bad(number, f"{label}: hash mismatch (edited)")
            if raw.rstrip(b"\r\n").decode("ascii", "replace") != canonical(record):
                return bad(number, f"{label}: not in canonical form (edited)")
            if not isinstance(record["seq"], int) or isinstance(record["seq"], bool):
                return bad(number, f"{label}: seq is not a number (edited)")
            if record["seq"] > seq + 1:
                return bad(number, f"{label}: seq jumps from {seq} to {record['seq']} (removed or reordered)")
            if record["seq"] < seq + 1:
                return bad(number, f"{label}: seq {record['seq']} after {seq} (inserted or reordered)")
            if record["prev"] != prev:
                before = f"record {seq}" if seq else "the start of the log"
                return bad(number, f"{label}: prev does not match {before} (removed, inserted or reordered)")
            prev, seq, count = record["hash"], record["seq"], count + 1
            seen_head = seen_head or prev == expected_head
    if not seen_head:
        return VerifyResult(False, count, None, f"the expected head {expected_head} is not in the log "
                            f"(records removed from the end?)", prev)
    return VerifyResult(True, count, None, None, prev)
