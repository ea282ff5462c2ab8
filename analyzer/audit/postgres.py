"""The audit log in PostgreSQL: one chain for gates on many machines.

Two tables, made on first use in the connection's schema (name another schema with
``?options=-csearch_path%3Dmy_schema`` in the connection string):

- ``execgate_audit_log (seq bigint primary key, decision_id text unique, record text)``:
  each record as the canonical JSON text it was hashed and signed over (not ``jsonb``,
  which would reorder keys), so verifying reads a row exactly as it reads a line;
- ``execgate_audit_head (id, seq, hash)``: one row, the last record of the chain.

An append is one transaction: lock the head row (``SELECT ... FOR UPDATE``), chain and
sign the records after it, insert them, move the head, commit. Writers on any number of
machines queue on that row lock, so the chain stays one chain and no record is lost or
numbered twice (``seq`` is the primary key besides).

When the database cannot be reached the records go to a local JSON Lines buffer (under a
file lock) and :class:`SinkUnavailable` says so; the next append that reaches the
database sends the buffered records first, in their order, in the same transaction. A
decision id already in the table is not sent again (a commit that reached the server
whose answer was lost), and the buffer is emptied only after the commit.
"""
from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .log import LOCK_TIMEOUT, AuditError, Sealer, canonical, parse_record, seal
from .settings import is_database

TABLE = "execgate_audit_log"
HEAD = "execgate_audit_head"
CONNECT_TIMEOUT = 5          # seconds, unless the connection string sets connect_timeout
_SCHEMA_LOCK = 0x65786563    # pg_advisory_xact_lock key while the tables are made
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    seq bigint PRIMARY KEY,
    decision_id text UNIQUE,
    record text NOT NULL
);
CREATE TABLE IF NOT EXISTS {HEAD} (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    seq bigint NOT NULL,
    hash text NOT NULL
);
INSERT INTO {HEAD} (id, seq, hash) VALUES (true, 0, repeat('0', 64)) ON CONFLICT (id) DO NOTHING;
"""


class SinkUnavailable(AuditError):
    """The database could not be reached; the records wait in the buffer (``buffered`` of them)."""

    def __init__(self, message: str, buffered: int) -> None:
        super().__init__(message)
        self.buffered = buffered


def redact(destination: str) -> str:
    """The destination as it may be shown: a connection string's password replaced by ``***``."""
    if not is_database(destination):
        return destination
    shown = re.sub(r"^(postgres(?:ql)?://[^:/@?#]*):[^@/?#]*@", r"\1:***@", destination)
    return re.sub(r"(?i)([?&]password=)[^&#]*", r"\1***", shown)


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class PostgresSink:
    """A log in a PostgreSQL database (see the module docstring)."""

    unit = "row"

    def __init__(self, dsn: str, buffer: str | None = None) -> None:
        self.dsn = dsn
        self.display = redact(dsn)
        self.buffer = buffer
        self._schema_ready = False

    # -- connecting ------------------------------------------------------------------------------

    def _connect(self) -> Any:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        try:
            params = conninfo_to_dict(self.dsn)
        except psycopg.ProgrammingError as exc:
            raise AuditError(f"{self.display}: not a PostgreSQL connection string: {_reason(exc)}") from None
        if "connect_timeout" not in params:
            return psycopg.connect(self.dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
        return psycopg.connect(self.dsn, autocommit=True)

    def _ensure_schema(self, conn: Any) -> None:
        if self._schema_ready:
            return
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            for statement in filter(None, (s.strip() for s in _SCHEMA.split(";"))):
                conn.execute(statement)
        self._schema_ready = True

    # -- appending -----------------------------------------------------------------------------

    def append(self, records: Iterable[Mapping[str, Any]], signer: Sealer | None = None) -> list[dict[str, Any]]:
        """Chain ``records`` onto the log in one transaction (buffered ones first); the records as written."""
        import psycopg

        pending = [dict(r) for r in records]
        for record in pending:
            record.setdefault("decision_id", uuid.uuid4().hex)
        if not pending:
            return []
        try:
            if self.buffer and _has_content(self.buffer):
                return self._replay_with(pending, signer)
            return self._insert(pending, signer, replay=False)
        except psycopg.Error as exc:
            if not self.buffer:
                raise AuditError(f"{self.display}: cannot write the audit log: {_reason(exc)}") from None
            count = self._keep(pending)
            raise SinkUnavailable(f"{self.display}: the audit database cannot be reached ({_reason(exc)}); "
                                  f"{count} record{'s' if count != 1 else ''} kept in {self.buffer}, sent when "
                                  "it is back", count) from None

    def _replay_with(self, pending: list[dict[str, Any]], signer: Sealer | None) -> list[dict[str, Any]]:
        from filelock import FileLock, Timeout

        assert self.buffer is not None
        try:
            with FileLock(self.buffer + ".lock", timeout=LOCK_TIMEOUT):
                try:
                    waiting = _read_buffer(self.buffer)
                except AuditError:
                    self._insert(pending, signer, replay=False)   # today's records are not held hostage
                    raise
                written = self._insert(waiting + pending, signer, replay=bool(waiting))
                with open(self.buffer, "wb") as handle:   # emptied only once the records are committed
                    handle.flush()
                    os.fsync(handle.fileno())
                return written
        except Timeout:
            raise AuditError(f"{self.buffer}: another writer held the buffer's lock for {LOCK_TIMEOUT:g} s; "
                             "nothing was recorded") from None

    def _insert(self, records: list[dict[str, Any]], signer: Sealer | None, replay: bool) -> list[dict[str, Any]]:
        with self._connect() as conn:
            self._ensure_schema(conn)
            with conn.transaction():
                cursor = conn.cursor()
                head = cursor.execute(f"SELECT seq, hash FROM {HEAD} WHERE id FOR UPDATE").fetchone()
                if head is None:
                    raise AuditError(f"{self.display}: the table {HEAD} has lost its row; refusing to start "
                                     "a second chain (see `execgate audit verify`)")
                seq, prev = head
                if replay:
                    ids = [r["decision_id"] for r in records]
                    cursor.execute(f"SELECT decision_id FROM {TABLE} WHERE decision_id = ANY(%s)", (ids,))
                    known = {row[0] for row in cursor.fetchall()}
                    records = [r for r in records if r["decision_id"] not in known]
                if not records:
                    return []
                sealed = seal(records, int(seq), str(prev), signer)
                with cursor.copy(f"COPY {TABLE} (seq, decision_id, record) FROM STDIN") as copy:
                    for record in sealed:
                        copy.write_row((record["seq"], record.get("decision_id"), canonical(record)))
                cursor.execute(f"UPDATE {HEAD} SET seq = %s, hash = %s WHERE id",
                               (sealed[-1]["seq"], sealed[-1]["hash"]))
        return sealed

    def _keep(self, records: list[dict[str, Any]]) -> int:
        """Append unsealed records to the buffer, durably; how many are waiting there now."""
        from filelock import FileLock, Timeout

        assert self.buffer is not None
        folder = os.path.dirname(os.path.abspath(self.buffer))
        data = "".join(canonical(dict(r, buffered=True)) + "\n" for r in records).encode("ascii")
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            with FileLock(self.buffer + ".lock", timeout=LOCK_TIMEOUT):
                with open(self.buffer, "ab") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                return len(_read_buffer(self.buffer))
        except Timeout:
            raise AuditError(f"{self.display}: the audit database cannot be reached and another writer held the "
                             f"buffer {self.buffer}'s lock; nothing was recorded") from None
        except OSError as exc:
            raise AuditError(f"{self.display}: the audit database cannot be reached and the buffer "
                             f"{self.buffer} cannot be written: {exc.strerror or exc}; nothing was recorded") from None

    # -- reading -------------------------------------------------------------------------------

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """(row number in chain order, the record's line), streamed from the server."""
        import psycopg

        try:
            with self._connect() as conn:
                with conn.transaction():
                    exists = conn.execute("SELECT to_regclass(%s)", (TABLE,)).fetchone()
                    if exists is None or exists[0] is None:
                        raise AuditError(f"{self.display}: no audit log in this database (no table {TABLE})")
                    cursor = conn.cursor(name="execgate_audit_read")
                    cursor.itersize = 5000
                    cursor.execute(f"SELECT record FROM {TABLE} ORDER BY seq")
                    for number, (text,) in enumerate(cursor, start=1):
                        yield number, text.encode("utf-8", "surrogateescape") + b"\n"
        except psycopg.Error as exc:
            raise AuditError(f"{self.display}: cannot read the audit log: {_reason(exc)}") from None


def _has_content(path: str) -> bool:
    try:
        return os.path.getsize(path) > 0
    except OSError:
        return False


def _read_buffer(path: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    try:
        with open(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                record = parse_record(raw)
                if record is None or not isinstance(record.get("decision_id"), str):
                    raise AuditError(f"{path}:{number}: the audit buffer is damaged; its records are kept "
                                     "there until it is repaired")
                records.append(record)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise AuditError(f"{path}: cannot read the audit buffer: {exc.strerror or exc}") from None
    return records
