"""What the Python front end knows of code beyond the unit it reads: record classes, functions
handed to thread pools, and the sibling modules of the checked set.

Which APIs hand a function on or make records is data in rules/flow.yaml. Sibling modules are
read, never imported: a module of the checked set that a unit imports from is walked once per
content (its functions and constants are kept as :class:`ModuleSummary`), and the walker binds
the imported names to what that walk found, so ``from db import run_sql`` reaches the
``cursor.execute(sql)`` of db.py with the caller's arguments.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ...catalogue import load_catalogue
from .values import Value


@dataclass(frozen=True)
class FlowKnowledge:
    record_decorators: frozenset[str] = frozenset()
    record_bases: frozenset[str] = frozenset()
    field_calls: frozenset[str] = frozenset()
    handing_calls: dict[str, int] = field(default_factory=dict)
    command_joins: frozenset[str] = frozenset()

    def is_record(self, decorators: list[Value], bases: list[Value]) -> bool:
        """Whether a class with these decorators and bases makes records of named fields."""
        return any(_named(d, self.record_decorators) for d in decorators) or \
            any(_named(b, self.record_bases) for b in bases)

    def is_field_call(self, function: Value) -> bool:
        return _named(function, self.field_calls)


def _named(value: Value, names: frozenset[str]) -> bool:
    """``@dataclass``, ``@dataclasses.dataclass(frozen=True)``, ``@attr.s(auto_attribs=True)``."""
    qname = (value.qname or "").removesuffix("()")
    return qname in names or any(qname == name.rsplit(".", 1)[-1] for name in names)


@functools.cache
def flow_knowledge() -> FlowKnowledge:
    section = load_catalogue().section("python")
    records = section.get("record_classes") or {}
    return FlowKnowledge(
        record_decorators=frozenset(records.get("decorators", ())),
        record_bases=frozenset(records.get("bases", ())),
        field_calls=frozenset(records.get("field_calls", ())),
        handing_calls=dict(section.get("handing_calls") or {}),
        command_joins=frozenset(section.get("command_joins", ())),
    )
