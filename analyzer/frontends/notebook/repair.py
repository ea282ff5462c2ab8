"""A notebook that fails nbformat's schema, repaired the way Jupyter opens it.

Jupyter reads a notebook with nbformat, which upgrades it (``nbformat.v4.upgrade``: cell ids
from nbformat 4.5), normalises it (``nbformat.validator.normalize``: missing and duplicate
cell ids, metadata that does not fit the schema stripped), logs what still does not validate,
and opens it anyway. Notebooks written by other tools often lack a code cell's ``outputs`` or
``execution_count``, keep a stray key (``outputs`` on a markdown cell, a tool's own key at the
top level), a ``kernelspec`` without ``display_name``, an id nbformat's pattern refuses, or
no ``nbformat_minor``: none of that changes what a cell runs. Those are repaired here, on a
copy, each repair said in a note; the cells were read from the file itself (analyzer/frontends/
notebook/read.py), so a repair never changes what is analysed. What no repair of nbformat's
kind fixes (a source that is not text, an unknown cell type, an execution count that is not a
number) stays a problem: the notebook is reported as invalid and the run fails closed.
"""
from __future__ import annotations

import copy
import re
import warnings
from collections.abc import Iterable
from typing import Any

_MESSAGE_CHARS = 160
_ROUNDS = 8           # each round repairs every error found; repairs uncover at most a few more
_MAX_NOTES = 4
_REQUIRED = re.compile(r"'([^']+)' is a required property")


def check(data: dict[str, Any]) -> tuple[list[str], tuple[int | None, str] | None]:
    """(what was repaired, the first problem no repair fixes) for a v4 notebook's JSON."""
    import nbformat

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # from_dict copies, so the validator's own repairs (duplicate ids) never touch ``data``.
            nbformat.validate(nbformat.from_dict(data), version=4)
            return [], None
        except nbformat.ValidationError:
            pass
        except Exception as exc:  # noqa: BLE001 - a validator failure must be reported, not escape
            return [], (None, f"cannot validate the notebook: {type(exc).__name__}")
        try:
            return _repair(copy.deepcopy(data))
        except Exception as exc:  # noqa: BLE001 - as above
            return [], (None, f"cannot validate the notebook: {type(exc).__name__}")


def _repair(nb: dict[str, Any]) -> tuple[list[str], tuple[int | None, str] | None]:
    from nbformat import v4
    from nbformat.validator import get_validator

    notes: list[str] = []
    minor = nb.get("nbformat_minor")
    if not isinstance(minor, int) or isinstance(minor, bool):
        nb["nbformat_minor"] = v4.nbformat_minor
        notes.append("nbformat_minor: missing, read as the current nbformat 4"
                     if minor is None else "nbformat_minor: not a number, read as the current nbformat 4")
    validator = get_validator(version=4, version_minor=min(nb["nbformat_minor"], v4.nbformat_minor),
                              name="jsonschema")
    if validator is None:
        return [], (None, "cannot validate the notebook: no nbformat 4 schema")
    for _ in range(_ROUNDS):
        errors = list(validator.iter_errors(nb))
        if not errors:
            return _summary(notes), None
        for error in errors:
            for path, specific in _specific(error, nb):
                note = _fix(nb, path, specific)
                if note is None:
                    return [], _problem(path, specific)
                notes.append(note)
    return [], (None, "not a valid nbformat 4 notebook: repairs do not converge")


def _specific(error: Any, nb: dict[str, Any]) -> Iterable[tuple[list[Any], Any]]:
    """A cell's error is "fits none of raw, markdown, code": the errors against its own type."""
    path = list(error.absolute_path)
    if error.validator == "oneOf" and len(path) == 2 and path[0] == "cells" and isinstance(path[1], int):
        cell = nb["cells"][path[1]]
        cell_type = cell.get("cell_type") if isinstance(cell, dict) else None
        refs = [option.get("$ref") for option in error.schema.get("oneOf", ())]
        wanted = f"#/definitions/{cell_type}_cell"
        if wanted in refs:
            own = refs.index(wanted)
            return [(path + list(sub.relative_path), sub) for sub in error.context if sub.schema_path[0] == own]
    return [(path, error)]


def _fix(nb: dict[str, Any], path: list[Any], error: Any) -> str | None:
    """Repair one error as nbformat would; the note, or None when nbformat repairs no such thing."""
    place = _place(path)
    if "metadata" in path:
        # nbformat's normalize(strip_invalid_metadata=True): a metadata key that does not fit goes.
        at = path.index("metadata")
        holder = _resolve(nb, path[:at + 1])
        if len(path) > at + 1 and isinstance(holder, dict) and path[at + 1] in holder:
            del holder[path[at + 1]]
            return f"{_place(path[:at + 2])}: removed ({_short(error.message)})"
        parent = _resolve(nb, path[:at])
        if len(path) == at + 1 and isinstance(parent, dict) and error.validator == "type":
            parent["metadata"] = {}
            return f"{place}: not an object, read as empty"
        return None
    target = _resolve(nb, path)
    if error.validator == "additionalProperties" and isinstance(target, dict):
        allowed = set(error.schema.get("properties", {}))
        patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
        stray = sorted(key for key in target if key not in allowed and not any(p.search(key) for p in patterns))
        for key in stray:
            del target[key]
        return f"{place}: stray {', '.join(repr(k) for k in stray)} removed" if stray else None
    if error.validator == "required" and isinstance(target, dict):
        match = _REQUIRED.search(error.message)
        key = match.group(1) if match else ""
        default = _defaults(target.get("cell_type")) if len(path) == 2 and path[0] == "cells" else {"metadata": {}}
        if key in default and key not in ("source", "cell_type"):
            target[key] = copy.deepcopy(default[key])
            return f"{place}: missing {key!r} added"
        return None
    if len(path) == 3 and path[0] == "cells" and path[2] == "id":
        # nbformat replaces missing and duplicate ids; an id its pattern refuses is replaced alike.
        _resolve(nb, path[:2])["id"] = f"repaired-{path[1]}"
        return f"{place}: invalid id replaced"
    return None


def _defaults(cell_type: Any) -> dict[str, Any]:
    from nbformat import v4

    makers = {"code": v4.new_code_cell, "markdown": v4.new_markdown_cell, "raw": v4.new_raw_cell}
    maker = makers.get(cell_type) if isinstance(cell_type, str) else None
    return dict(maker()) if maker else {}


def _resolve(nb: Any, path: list[Any]) -> Any:
    value = nb
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _place(path: list[Any]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".") or "notebook"


def _problem(path: list[Any], error: Any) -> tuple[int | None, str]:
    cell = path[1] if len(path) > 1 and path[0] == "cells" and isinstance(path[1], int) else None
    return cell, f"not a valid nbformat 4 notebook at {_place(path)}: {_short(error.message)}"


def _short(message: str) -> str:
    text = " ".join(str(message).split())
    return text if len(text) <= _MESSAGE_CHARS else text[:_MESSAGE_CHARS - 3] + "..."


def _summary(notes: list[str]) -> list[str]:
    """One note for the user: what Jupyter would have repaired on opening the notebook."""
    notes = list(dict.fromkeys(notes))
    if not notes:
        return []
    shown = "; ".join(notes[:_MAX_NOTES]) + (f"; and {len(notes) - _MAX_NOTES} more" if len(notes) > _MAX_NOTES
                                             else "")
    return [f"repaired as Jupyter opens it (nbformat's normalisation): {shown}"]
