"""Checkpoints: the head of the chain at one moment, signed, kept outside the log.

Cutting records off the end of a log leaves a shorter chain that verifies, signed or
not. A checkpoint says "the log held N records and record N had hash H, at time T"; kept
somewhere the log's writers cannot rewrite (the CI job summary and SARIF run properties,
a ticket, another machine), it proves later that no record up to N was removed or
rewritten: ``execgate audit verify LOG --checkpoint FILE``. With a key it is signed like a
record (``key_id``, ``sig`` over its canonical JSON without ``sig``).

One checkpoint is one canonical JSON object::

    {"checkpoint":1,"head":"<sha256>","key_id":"...","log":"audit.jsonl","records":1234,
     "sig":"...","time":"2025-03-01T09:15:00.000Z"}

:func:`load` finds checkpoints in a file that is one, in a Markdown job summary that holds
one on a line of its own, or in a SARIF file's run properties (``execgate/auditCheckpoint``).
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from .log import GENESIS, Anchor, AuditKeyError, Sealer, SignatureCheck, canonical, signed_bytes, utc_now

SARIF_PROPERTY = "execgate/auditCheckpoint"
FORMAT = 1


def make(records: int, head: str, log: str, signer: Sealer | None = None, time: str | None = None) -> dict[str, Any]:
    """The checkpoint of a log whose record ``records`` has hash ``head`` (0 and 64 zeros: an empty log)."""
    checkpoint: dict[str, Any] = {"checkpoint": FORMAT, "log": log, "records": records,
                                  "head": head if records else GENESIS, "time": time or utc_now()}
    if signer is not None:
        checkpoint["key_id"] = signer.key_id
        checkpoint["sig"] = signer.sign(signed_bytes(checkpoint))
    return checkpoint


def text(checkpoint: Mapping[str, Any]) -> str:
    return canonical(checkpoint)


def load(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every checkpoint in the file at ``path``; AuditKeyError when it holds none or cannot be read."""
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8") as handle:
            content = handle.read()
    except OSError as exc:
        raise AuditKeyError(f"checkpoint {name}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise AuditKeyError(f"checkpoint {name}: not text") from None
    found: list[dict[str, Any]] = []
    try:
        whole = json.loads(content)
    except ValueError:
        whole = None
    if isinstance(whole, dict) and "checkpoint" in whole:
        found.append(whole)
    elif isinstance(whole, dict) and isinstance(whole.get("runs"), list):   # SARIF
        for run in whole["runs"]:
            value = run.get("properties", {}).get(SARIF_PROPERTY) if isinstance(run, dict) else None
            if isinstance(value, dict):
                found.append(value)
    else:
        for line in content.splitlines():
            line = line.strip()
            if line.startswith('{"checkpoint"'):
                try:
                    value = json.loads(line)
                except ValueError:
                    continue
                if isinstance(value, dict):
                    found.append(value)
    if not found:
        raise AuditKeyError(f"checkpoint {name}: holds no execgate checkpoint (`execgate audit head LOG` makes one)")
    return found


def anchor(checkpoint: Mapping[str, Any], name: str, keys: SignatureCheck | None) -> Anchor:
    """The chain position a checkpoint vouches for; with ``keys`` a signed checkpoint must verify."""
    records, head = checkpoint.get("records"), checkpoint.get("head")
    if checkpoint.get("checkpoint") != FORMAT or not isinstance(records, int) or isinstance(records, bool) \
            or records < 0 or not isinstance(head, str) or len(head) != 64:
        raise AuditKeyError(f"checkpoint {name}: not an execgate checkpoint (records, head)")
    if keys is not None and "sig" in checkpoint:
        if not keys.valid(checkpoint):   # signed like a record: over its canonical JSON without sig
            raise AuditKeyError(f"checkpoint {name}: its signature does not verify with the public key "
                                f"(key {checkpoint.get('key_id')}): it was not made with the log's key, or was edited")
    return Anchor(records, head, f"the checkpoint of {checkpoint.get('time') or '?'}")


def signed_note(checkpoint: Mapping[str, Any], keys: SignatureCheck | None) -> str:
    if "sig" not in checkpoint:
        return "unsigned"
    return f"signed with key {checkpoint.get('key_id')}" + ("" if keys is not None else " (not checked)")
