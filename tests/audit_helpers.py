"""Helpers the audit tests share."""

from __future__ import annotations

import json
from pathlib import Path

from analyzer.audit.log import GENESIS, record_hash


def rechain(entries: list[dict]) -> list[dict]:
    """What someone without the key does after a change: renumber and rehash everything (signatures stay)."""
    prev = GENESIS
    out = []
    for seq, record in enumerate(entries, start=1):
        record = dict(record, seq=seq, prev=prev)
        record["hash"] = prev = record_hash(record)
        out.append(record)
    return out


def records(log: Path) -> list[dict]:
    """The records of an audit log file."""
    return [json.loads(line) for line in log.read_text(encoding="ascii").splitlines()]
