"""Down (undo) migrations: which part of a SQL text undoes an up-migration, and where that up-migration is.

A file holds both parts when migration tools mark them with comments (goose ``-- +goose Down``,
dbmate ``-- migrate:down``, sql-migrate ``-- +migrate Down``, MyBatis ``-- //@UNDO``); a down file
has its up file beside it (golang-migrate ``1_x.down.sql`` / ``1_x.up.sql``, diesel ``down.sql`` /
``up.sql``, Flyway ``U1__x.sql`` / ``V1__x.sql``). Which markers and names mean what is
``migrations`` in rules/sql.yaml. Nothing here decides: the ledger (:mod:`.ledger`) uses the parts
to tell a down-migration that removes what its up-migration made from one that removes more.

Some tools write the down part in comments: in Liquibase formatted SQL every ``--changeset`` is a
migration of its own and its ``--rollback DROP TABLE x;`` lines are its down part, which
``liquibase rollback`` runs. :func:`uncomment_downs` turns those comment lines into the SQL they
hold (same length: positions stay right) and :func:`parts` pairs each with its own changeset (the
part's group): a rollback undoes its changeset, not the ones before it, which may have run long ago.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ...records import Record
from ...sourcefile import MAX_FILE_BYTES, SourceError, decode

UP, DOWN, WHOLE = "up", "down", ""


_FLAGS = re.IGNORECASE | re.MULTILINE


class CommentedDowns(Record, frozen=True):
    """A tool that writes each migration's down part in comment lines (``commented_downs``)."""

    file: re.Pattern[str]      # the text is in this tool's format (``--liquibase formatted sql``)
    up: re.Pattern[str]        # a line that starts a migration (``--changeset author:id``)
    down: re.Pattern[str]      # the comment prefix of a down line; the rest of the line is SQL
    nothing: re.Pattern[str]   # down text that means no SQL (``not required``, ``empty``)
    block: re.Pattern[str]     # the start of a block comment that holds down SQL (up to its "*/")

    @classmethod
    def from_entry(cls, entry: dict[str, Any]) -> CommentedDowns:
        nothing = "|".join(re.escape(str(n)) for n in entry.get("nothing") or ()) or "(?!)"
        return cls(re.compile(str(entry["file"]), _FLAGS), re.compile(str(entry["up"]), _FLAGS),
                   re.compile(str(entry["down"]), _FLAGS), re.compile(rf"\s*(?:{nothing})\s*;?\s*", re.IGNORECASE),
                   re.compile(str(entry.get("block") or "(?!)"), _FLAGS))


class Migrations(Record, frozen=True):
    """The ``migrations`` section of the catalogue, compiled."""

    up_markers: tuple[re.Pattern[str], ...]
    down_markers: tuple[re.Pattern[str], ...]
    down_files: tuple[tuple[re.Pattern[str], str], ...]   # (down file name, glob of its up file)
    commented_downs: tuple[CommentedDowns, ...] = ()

    @classmethod
    def from_section(cls, entry: dict[str, Any] | None) -> Migrations:
        entry = entry or {}

        def compiled(key: str) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(str(p), _FLAGS) for p in entry.get(key) or ())

        return cls(compiled("up_markers"), compiled("down_markers"),
                   tuple((re.compile(str(f["down"])), str(f["up"])) for f in entry.get("down_files") or ()),
                   tuple(CommentedDowns.from_entry(e) for e in entry.get("commented_downs") or ()))


# A part of a text: where it starts, its role (UP, DOWN, WHOLE) and its group (a down part undoes
# the up parts of its own group: the changeset it is written in; one group for marker files).
Part = tuple[int, str, int]


def parts(text: str, migrations: Migrations) -> list[Part]:
    """Where each part of ``text`` starts, what it is and its group: ``[(0, "", 0)]`` for a text
    without a down part; else the up and down parts in order (text before the first marker is up)."""
    style = _commented_style(text, migrations)
    if style is not None:
        return _commented_parts(text, style)
    downs = [m.start() for p in migrations.down_markers for m in p.finditer(text)]
    if not downs:
        return [(0, WHOLE, 0)]
    ups = [m.start() for p in migrations.up_markers for m in p.finditer(text)]
    marks = sorted([(o, UP, 0) for o in ups] + [(o, DOWN, 0) for o in downs])
    return [(0, UP, 0)] + marks if marks[0][0] > 0 else marks


def part_of(offset: int, found: list[Part]) -> int:
    """Index of the part holding ``offset``."""
    index = 0
    for number, (start, _, _) in enumerate(found):
        if start <= offset:
            index = number
    return index


def _commented_style(text: str, migrations: Migrations) -> CommentedDowns | None:
    return next((style for style in migrations.commented_downs if style.file.match(text)), None)


def _commented_parts(text: str, style: CommentedDowns) -> list[Part]:
    """Each migration (``--changeset``) is an up part of its own group; each run of its down lines
    (blank lines inside a run belong to it) is a down part of that group."""
    found: list[Part] = [(0, UP, 0)]
    group, in_down, offset = 0, False, 0
    for line in text.splitlines(keepends=True):
        if style.up.match(line):
            group += 1
            found.append((offset, UP, group))
            in_down = False
        elif style.down.match(line):
            if not in_down:
                found.append((offset, DOWN, group))
            in_down = True
        elif line.strip() and in_down:
            found.append((offset, UP, group))
            in_down = False
        offset += len(line)
    for start, _, end in _blocks(text, style):
        # A down block of the migration it is written in; the text after it is that migration's again.
        group = found[part_of(start, found)][2]
        found += [(start, DOWN, group), (end, UP, group)]
    return sorted(found)


def uncomment_downs(text: str, migrations: Migrations) -> str:
    """``text`` with the down lines of a tool that writes them in comments turned into their SQL,
    positions kept: the comment prefix becomes blanks (its first character ``;``, which ends the
    statement above it), a line that says there is nothing to undo becomes blank, and a line that
    starts a migration becomes ``;`` and blanks (the tool ends a migration's last statement there)."""
    style = _commented_style(text, migrations)
    if style is None:
        return text
    pieces: list[str] = []
    in_down = False
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        down = style.down.match(body)
        if down is not None:
            rest = body[down.end():]
            start = " " if in_down else ";"   # a multi-line down statement goes on over its lines
            pieces.append((" " * len(body) if style.nothing.fullmatch(rest) else
                           start + " " * (down.end() - 1) + rest) + ending)
            in_down = True
        elif style.up.match(body) and body:
            pieces.append(";" + " " * (len(body) - 1) + ending)
            in_down = False
        else:
            pieces.append(line)
            in_down = in_down and not body.strip()
    uncommented = "".join(pieces)
    for opens, sql_at, closes in _blocks(text, style):
        # /* liquibase rollback <SQL> */: the SQL stays, the comment's start (";" first) and end go.
        uncommented = (uncommented[:opens] + ";" + _blank(text[opens + 1:sql_at]) + text[sql_at:closes - 2] + "  "
                       + uncommented[closes:])
    return uncommented


def _blocks(text: str, style: CommentedDowns) -> list[tuple[int, int, int]]:
    """(start, body start, end) of each down block comment; an unclosed one ends the search (no
    later one can close either: each search would run to the end of the text)."""
    found: list[tuple[int, int, int]] = []
    position = 0
    while (opener := style.block.search(text, position)) is not None:
        close = text.find("*/", opener.end())
        if close < 0:
            break
        found.append((opener.start(), opener.end(), close + 2))
        position = close + 2
    return found


def _blank(chunk: str) -> str:
    return "".join(c if c in "\r\n" else " " for c in chunk)


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
