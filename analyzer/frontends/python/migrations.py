"""Migrations written in Python: a down-migration that undoes its own up-migration loses nothing.

Alembic's ``upgrade()``/``downgrade()`` and Django's ``RunSQL(sql, reverse_sql)``: what the
up side runs (its SQL, and Alembic's operations written as the SQL they stand for, from
``migrations: as_sql`` of rules/python.yaml) is remembered, and the down side is read by the SQL
front end after it, so that its ledger says what the down side drops that the up side made
(frontends/sql/ledger.py). Dropping anything else stays destructive.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ...model import Analysis, Location
from .. import Options, analyze as analyze_embedded

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
