"""The files a Codex ``apply_patch`` call leaves behind.

Codex edits files with one patch language (the tool's ``command`` argument)::

    *** Begin Patch
    *** Add File: tools/wipe.py          every following line starts with "+"
    +import shutil
    *** Update File: app.py              optionally followed by "*** Move to: new.py"
    @@ def clean():                      a hunk; the text after @@ is a line to find first
     context line
    -removed line
    +added line
    *** Delete File: old.py
    *** End Patch

:func:`parse_patch` reads it; :func:`apply_hunks` makes the file after an update the way
Codex would, or says it cannot (a hunk whose old lines are not in the file).
"""
from __future__ import annotations

from ...records import Record

BEGIN, END = "*** Begin Patch", "*** End Patch"
ADD, UPDATE, DELETE, MOVE = "*** Add File: ", "*** Update File: ", "*** Delete File: ", "*** Move to: "
END_OF_FILE = "*** End of File"

Hunk = tuple[str, tuple[str, ...], tuple[str, ...]]   # (the @@ header, old lines, new lines)


class FileChange(Record, frozen=True):
    """One file section of a patch."""

    action: str                       # add | update | delete
    path: str
    move_to: str | None = None
    content: str | None = None        # add: the new file
    hunks: tuple[Hunk, ...] = ()      # update: the replacements, in file order


def parse_patch(text: str) -> list[FileChange]:
    """The file sections of a patch; ValueError in one line when it is not one."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    if not starts:
        raise ValueError(f"the patch has no {BEGIN!r} line")
    lines = lines[starts[0] + 1:]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if not ends:
        raise ValueError(f"the patch has no {END!r} line")
    lines = lines[:ends[0]]
    changes: list[FileChange] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        body_end = _next_header(lines, i + 1)
        body = lines[i + 1:body_end]
        if line.startswith(ADD):
            bad = [b for b in body if not b.startswith("+")]
            if bad:
                raise ValueError(f"a line of added file {line[len(ADD):].strip()!r} does not start with '+': "
                                 f"{bad[0]!r}")
            content = "".join(b[1:] + "\n" for b in body)
            changes.append(FileChange("add", _path(line, ADD), content=content))
        elif line.startswith(DELETE):
            changes.append(FileChange("delete", _path(line, DELETE)))
        elif line.startswith(UPDATE):
            move_to = None
            if body and body[0].startswith(MOVE):
                move_to, body = _path(body[0], MOVE), body[1:]
            changes.append(FileChange("update", _path(line, UPDATE), move_to, hunks=_hunks(body, line)))
        else:
            raise ValueError(f"unexpected line in the patch: {line!r}")
        i = body_end
    if not changes:
        raise ValueError("the patch changes no file")
    return changes


def _next_header(lines: list[str], start: int) -> int:
    for i in range(start, len(lines)):
        if lines[i].startswith((ADD, UPDATE, DELETE)):
            return i
    return len(lines)


def _path(line: str, prefix: str) -> str:
    path = line[len(prefix):].strip()
    if not path:
        raise ValueError(f"{prefix.strip()} names no file")
    return path


def _hunks(body: list[str], header_line: str) -> tuple[Hunk, ...]:
    hunks: list[Hunk] = []
    header, old, new = "", list[str](), list[str]()
    started = False
    for line in body:
        if line.startswith("@@"):
            if started and (old or new):
                hunks.append((header, tuple(old), tuple(new)))
            header, old, new, started = line[2:].strip().removesuffix("@@").strip(), [], [], True
        elif line.strip() == END_OF_FILE:
            continue
        elif line.startswith("+"):
            new.append(line[1:])
            started = True
        elif line.startswith("-"):
            old.append(line[1:])
            started = True
        elif line.startswith(" ") or line == "":
            old.append(line[1:])
            new.append(line[1:])
            started = True
        else:
            raise ValueError(f"a line of {header_line.strip()!r} is not context, '-' or '+': {line!r}")
    if old or new:
        hunks.append((header, tuple(old), tuple(new)))
    return tuple(hunks)


def apply_hunks(current: str, hunks: tuple[Hunk, ...]) -> str | None:
    """The file after the hunks, in order; None when a hunk's old lines are not in the file."""
    lines = current.split("\n")
    final_newline = current.endswith("\n")
    if final_newline:
        lines.pop()
    cursor = 0
    for header, old, new in hunks:
        if header:   # the line the hunk follows: move there when it is in the file
            cursor = next((at for at in range(cursor, len(lines)) if lines[at].strip().startswith(header)), cursor)
        if not old:
            lines[len(lines):] = list(new)
            cursor = len(lines)
            continue
        at = _find(lines, old, cursor)
        if at is None:
            at = _find(lines, old, 0)
        if at is None:
            return None
        lines[at:at + len(old)] = list(new)
        cursor = at + len(new)
    return "\n".join(lines) + ("\n" if final_newline or not lines else "")


def _find(lines: list[str], wanted: tuple[str, ...], start: int) -> int | None:
    """Where ``wanted`` starts at or after ``start``: exactly, else ignoring trailing whitespace."""
    for same in (lambda a, b: a == b, lambda a, b: a.rstrip() == b.rstrip()):
        for at in range(start, len(lines) - len(wanted) + 1):
            if all(same(lines[at + k], wanted[k]) for k in range(len(wanted))):
                return at
    return None
