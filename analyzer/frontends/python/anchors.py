"""Paths named from the running file (``Path(__file__).parent / "sql"``, ``os.path.dirname(__file__)``).

Such a path is kept apart from constants (``Value.anchor``, relative to the folder of the file being
read): it only finds a file the code runs or reads as code (scriptfile reads it from the checked
tree), and never changes what a removal or a request targets.
"""
from __future__ import annotations

import posixpath


def here(file_name: str) -> str:
    """The anchor of ``__file__`` in the file ``file_name``: its own name beside it."""
    return posixpath.basename(file_name.replace("\\", "/")) or "."


def step(anchor: str, how: str, parts: list[str | None]) -> str | None:
    """The anchor of a path made from ``anchor`` (``how``: same, parent, join, sibling) and the
    constant ``parts`` of the call; None when a part is not known."""
    if how == "same":
        return anchor
    if how == "parent":
        return posixpath.normpath(posixpath.join(anchor, ".."))
    if any(part is None for part in parts):
        return None
    texts = [part for part in parts if part is not None]
    if how == "join":
        return posixpath.normpath(posixpath.join(anchor, *texts))
    if how == "sibling" and len(texts) == 1:
        return posixpath.normpath(posixpath.join(anchor, "..", texts[0]))
    return None
