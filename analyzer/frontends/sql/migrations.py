"""Down (undo) migrations: which part of a SQL text undoes an up-migration, and where that up-migration is.

A file holds both parts when migration tools mark them with comments (goose ``-- +goose Down``,
dbmate ``-- migrate:down``, sql-migrate ``-- +migrate Down``, MyBatis ``-- //@UNDO``); a down file
has its up file beside it (golang-migrate ``1_x.down.sql`` / ``1_x.up.sql``, diesel ``down.sql`` /
``up.sql``, Flyway ``U1__x.sql`` / ``V1__x.sql``). Which markers and names mean what is
``migrations`` in rules/sql.yaml. Nothing here decides: the ledger (:mod:`.ledger`) uses the parts
to tell a down-migration that removes what its up-migration made from one that removes more.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...sourcefile import MAX_FILE_BYTES, SourceError, decode

UP, DOWN, WHOLE = "up", "down", ""


@dataclass(frozen=True)
class Migrations:
    """The ``migrations`` section of the catalogue, compiled."""

    up_markers: tuple[re.Pattern[str], ...]
    down_markers: tuple[re.Pattern[str], ...]
    down_files: tuple[tuple[re.Pattern[str], str], ...]   # (down file name, glob of its up file)

    @classmethod
    def from_section(cls, entry: dict[str, Any] | None) -> Migrations:
        entry = entry or {}

        def compiled(key: str) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(str(p), re.IGNORECASE | re.MULTILINE) for p in entry.get(key) or ())

        return cls(compiled("up_markers"), compiled("down_markers"),
                   tuple((re.compile(str(f["down"])), str(f["up"])) for f in entry.get("down_files") or ()))


def parts(text: str, migrations: Migrations) -> list[tuple[int, str]]:
    """Where each part of ``text`` starts and what it is: ``[(0, "")]`` for a text without a down
    marker; else the up and down parts in order (text before the first marker is up)."""
    downs = [m.start() for p in migrations.down_markers for m in p.finditer(text)]
    if not downs:
        return [(0, WHOLE)]
    ups = [m.start() for p in migrations.up_markers for m in p.finditer(text)]
    marks = sorted([(o, UP) for o in ups] + [(o, DOWN) for o in downs])
    return [(0, UP)] + marks if marks[0][0] > 0 else marks


def part_of(offset: int, found: list[tuple[int, str]]) -> int:
    """Index of the part holding ``offset``."""
    index = 0
    for number, (start, _) in enumerate(found):
        if start <= offset:
            index = number
    return index


def up_file(path: str, migrations: Migrations) -> Path | None:
    """The up file of a down file (exactly one match beside it), or None."""
    if not path or path.startswith("<"):
        return None
    down = Path(path)
    for pattern, up in migrations.down_files:
        match = pattern.match(down.name)
        if match is None:
            continue
        try:
            found = [p for p in down.parent.glob(up.format(**match.groupdict())) if p.is_file() and p != down]
        except (OSError, ValueError):
            return None
        return found[0] if len(found) == 1 else None
    return None


def read_up(path: Path) -> str | None:
    """The text of an up file, or None when it cannot be read (then nothing counts as made by it)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        return decode(path.read_bytes(), "sql")
    except (OSError, SourceError):
        return None
