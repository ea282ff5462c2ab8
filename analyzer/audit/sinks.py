"""Where an audit log lives: a JSON Lines file (the default) or a PostgreSQL database.

A destination is a path, or a ``postgresql://`` (``postgres://``) connection string
(:mod:`analyzer.audit.postgres`). Both kinds append sealed records under a lock that
spans the whole chain and give their lines back in chain order, so verifying and
reporting read a database exactly as they read a file (:func:`verify_log`,
:func:`read_records`). A password in a connection string is never shown: messages
use :func:`redact`.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from .log import Anchor, Sealer, SignatureCheck, VerifyResult, append_records, file_lines, parse_record, verify_lines
from .postgres import PostgresSink, is_database, redact

__all__ = ["FileSink", "Sink", "default_buffer", "is_database", "open_sink", "read_records", "redact", "verify_log"]


class Sink(Protocol):
    """An audit log: appends sealed records, reads them back in chain order."""

    @property
    def display(self) -> str: ...

    @property
    def unit(self) -> str: ...   # what a position is: "line" of a file, "row" of a table

    def append(self, records: Iterable[Mapping[str, Any]], signer: Sealer | None = None) -> list[dict[str, Any]]: ...

    def lines(self) -> Iterator[tuple[int, bytes]]: ...


class FileSink:
    """The JSON Lines file (:mod:`analyzer.audit.log`): one machine, or a shared file system."""

    unit = "line"

    def __init__(self, path: str) -> None:
        self.path = path
        self.display = path

    def append(self, records: Iterable[Mapping[str, Any]], signer: Sealer | None = None) -> list[dict[str, Any]]:
        return append_records(self.path, records, signer=signer)

    def lines(self) -> Iterator[tuple[int, bytes]]:
        return file_lines(self.path)


def open_sink(destination: str, buffer: str | None = None) -> FileSink | PostgresSink:
    """The sink for ``destination``; ``buffer`` is where a database sink keeps records while the
    database cannot be reached (None: records are not buffered, an unreachable database is an error)."""
    if is_database(destination):
        return PostgresSink(destination, buffer)
    return FileSink(destination)


def verify_log(destination: str, keys: SignatureCheck | None = None, anchors: Iterable[Anchor] = ()) -> VerifyResult:
    """:func:`analyzer.audit.log.verify_lines` over a file or a database log."""
    sink = open_sink(destination)
    return verify_lines(sink.lines(), sink.unit, keys, anchors)


def read_records(destination: str) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(position, record or None when the line is not a JSON object) of a file or a database log."""
    for number, raw in open_sink(destination).lines():
        yield number, parse_record(raw)


def default_buffer(destination: str, environ: Mapping[str, str] | None = None) -> str:
    """Where records for an unreachable database wait: the user's cache folder (of the user whose
    ``environ`` it is; None: this process's), one file per database."""
    import hashlib

    from ..cachedir import cache_dir

    name = hashlib.sha256(redact(destination).encode("utf-8")).hexdigest()[:16]
    return os.path.join(str(cache_dir(environ)), "audit-buffer", f"{name}.jsonl")
