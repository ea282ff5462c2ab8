"""Migrations written in Python: a down-migration that undoes its own up-migration loses nothing.

Alembic's ``upgrade()``/``downgrade()`` and Django's ``RunSQL(sql, reverse_sql)``: what the
up side runs (its SQL, and Alembic's operations written as the SQL they stand for, from
``migrations: as_sql`` of rules/python.yaml) is remembered, and the down side is read by the SQL
front end after it, so that its ledger says what the down side drops that the up side made
(frontends/sql/ledger.py). Dropping anything else stays destructive.

Django's ``AlterField`` loses data when it narrows a field (a smaller ``max_length``, a
``TextField`` made a ``CharField``, a type that casts): what the field was is read from the
earlier migrations of the checked set and the same file (``migrations: alter_field`` of
rules/python.yaml), never guessed.
"""
from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Collection
from typing import Any

from ...model import Analysis, Location
from ...records import Record, replace
from ...sourcefile import MAX_FILE_BYTES
from .. import Options
from .. import analyze as analyze_embedded
from .summaries import earlier_migrations

UP_SQL = "python.up_sql"   # key of options.shared: the SQL the up-migration of this file ran
_MADE_HERE = re.compile(r" at line (-?\d+) of this SQL")


def statement(text: str) -> str:
    """One SQL text as a statement list that ends in ``;``."""
    text = text.strip()
    return text if text.endswith(";") else text + ";"


def owned(up: list[str], declares: list[str]) -> list[str]:
    """The up side's SQL with ``IF NOT EXISTS`` taken out of the declarations its down side owns
    (``migrations: owns`` of rules/python.yaml: indexes, which hold no rows): a down-migration
    dropping the index its up-migration declared undoes it, whether or not it was there before."""
    for pattern in declares:
        up = [re.sub(pattern, r"\1", text) for text in up]
    return up


def read_down(up: list[str], down: str, origin: Location, options: Options, made_by: str) -> Analysis:
    """``down`` (SQL of a down-migration at ``origin``) read after the SQL ``up`` ran: operations
    on what ``up`` made are scratch, their reason naming ``made_by`` (``upgrade()``). Only what ``down`` itself
    holds is returned, at its own lines."""
    prefix = "".join(statement(text) + "\n" for text in up)
    shift = prefix.count("\n")
    start = replace(origin, line=origin.line - shift,
                    file_line=None if origin.file_line is None else origin.file_line - shift)
    found = analyze_embedded("sql", prefix + down, start, options)

    def own(location: Location) -> bool:
        return location.line >= origin.line

    def reason(details: tuple) -> tuple:
        fixed = []
        for key, value in details:
            if key == "scratch" and isinstance(value, str):
                value = _MADE_HERE.sub(lambda m: f" by {made_by}" if int(m.group(1)) < origin.line
                                       else m.group(0), value)
            fixed.append((key, value))
        return tuple(fixed)

    return Analysis(operations=[replace(op, details=reason(op.details)) for op in found.operations
                                if own(op.location)],
                    touches=[t for t in found.touches if own(t.location)],
                    errors=[e for e in found.errors if e.line is None or e.line >= origin.line])


# -- fields that a migration narrows -----------------------------------------------------------------

class FieldDefinition(Record, frozen=True):
    """A model field as a migration declares it: its class (``CharField``) and its constant options."""

    kind: str
    options: tuple[tuple[str, object], ...] = ()

    def option(self, name: str) -> object:
        return next((value for key, value in self.options if key == name), None)


Fields = dict[tuple[str, str], FieldDefinition]   # (model, field), lower case -> its latest definition

_HISTORY: dict[tuple[str, str], Fields] = {}   # (path, content digest) -> what that migration file declares


def argument(call: ast.Call, spec: dict[str, Any]) -> ast.expr | None:
    """The argument a catalogue spec ``{arg: N, kw: NAME}`` names in ``call``."""
    given = spec.get("kw")
    names: list[Any] = given if isinstance(given, list) else [given]
    for keyword in call.keywords:
        if keyword.arg in names:
            return keyword.value
    index = spec.get("arg")
    return call.args[index] if isinstance(index, int) and index < len(call.args) else None


def _text(node: ast.expr | None) -> str | None:
    return node.value.lower() if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def constant_text(call: ast.Call, spec: dict[str, Any]) -> str | None:
    """The constant name an argument of ``call`` gives (lower case: Django's model names are not
    case-sensitive), or None."""
    return _text(argument(call, spec))


def field_definition(node: ast.expr | None) -> FieldDefinition | None:
    """``models.CharField(max_length=64)``: its class and constant options; None for anything else."""
    if not isinstance(node, ast.Call):
        return None
    kind = node.func.attr if isinstance(node.func, ast.Attribute) else \
        node.func.id if isinstance(node.func, ast.Name) else None
    if kind is None:
        return None
    options = []
    for keyword in node.keywords:
        if keyword.arg is not None:
            try:
                options.append((keyword.arg, ast.literal_eval(keyword.value)))
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                options.append((keyword.arg, None))
    return FieldDefinition(kind, tuple(options))


def _last_name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def declared_fields(tree: ast.AST, spec: dict[str, Any], before: int | None = None) -> Fields:
    """The fields that the operations of ``tree`` (above line ``before``) declare, in order: a model
    made with its fields, a field added, a field altered (``declared_by`` of rules/python.yaml)."""
    found: Fields = {}
    calls = sorted((node for node in ast.walk(tree) if isinstance(node, ast.Call)),
                   key=lambda node: (node.lineno, node.col_offset))
    for call in calls:
        if before is not None and call.lineno >= before:
            break
        how = (spec.get("declared_by") or {}).get(_last_name(call.func))
        if how is None:
            continue
        model = _text(argument(call, how["model"]))
        if model is None:
            continue
        if "fields" in how:
            listed = argument(call, how["fields"])
            for item in listed.elts if isinstance(listed, (ast.List, ast.Tuple)) else ():
                if isinstance(item, ast.Tuple) and len(item.elts) == 2 and _text(item.elts[0]) is not None:
                    definition = field_definition(item.elts[1])
                    if definition is not None:
                        found[(model, _text(item.elts[0]) or "")] = definition
            continue
        name = _text(argument(call, how["name"]))
        definition = field_definition(argument(call, how["field"]))
        if name is not None and definition is not None:
            found[(model, name)] = definition
    return found


def field_history(path: str, modules: Collection[str], spec: dict[str, Any]) -> Fields:
    """What the earlier migrations of the checked set declare, the latest definition of each
    field winning; each file parsed (never imported) once per content."""
    history: Fields = {}
    for earlier in earlier_migrations(path, modules):
        try:
            with open(earlier, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError:
            continue
        key = (earlier, hashlib.sha256(data).hexdigest())
        if key not in _HISTORY:
            try:
                tree = ast.parse(data)
            except (SyntaxError, ValueError, MemoryError, RecursionError):
                tree = ast.Module(body=[], type_ignores=[])
            if len(_HISTORY) >= 1024:
                _HISTORY.clear()
            _HISTORY[key] = declared_fields(tree, spec)
        history.update(_HISTORY[key])
    return history


def narrowing(before: FieldDefinition, after: FieldDefinition, spec: dict[str, Any]) -> str | None:
    """Why changing a field from ``before`` to ``after`` loses data (values cut to a smaller size,
    cast to a type that cannot hold them), or None when it does not (a wider type, another option)."""
    if after.kind in (spec.get("narrower") or {}).get(before.kind, ()):
        return f"{before.kind} to {after.kind}"
    if after.kind != before.kind:
        return None
    for size in spec.get("sizes", ()):
        old, new = before.option(size), after.option(size)
        if isinstance(old, int) and isinstance(new, int) and not isinstance(new, bool) and new < old:
            return f"{size} {old} to {new}"
    return None
