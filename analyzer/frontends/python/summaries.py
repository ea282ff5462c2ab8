"""What the Python front end knows of code beyond the unit it reads: record classes, functions
handed to thread pools, and the sibling modules of the checked set.

Which APIs hand a function on or make records is data in rules/flow.yaml. Sibling modules are
read, never imported: a module of the checked set that a unit imports from is walked once per
content and import budget (its top-level names are kept, :data:`ModuleNames`), and the walker binds
the imported names to what that walk found, so ``from db import run_sql`` reaches the
``cursor.execute(sql)`` of db.py with the caller's arguments. What is kept depends only on the
files of the checked set, never on which file asked first: a file's findings are the same in any
order and in any worker (:func:`module_names`, :func:`fresh_reading`). A function of a sibling module is
read with its own module's names (its imports and helpers) and treated like a function of the
importer's own file: what it does on its own is reported once, where it is written (that module is
checked too), and at the importer's call only when what the call passes decides or changes it.
A Django migration that narrows a field is judged by the earlier migrations of its folder
(:func:`earlier_migrations`), which the analysis cache keys it with.
"""
from __future__ import annotations

import functools
import hashlib
import itertools
import os
import re
from collections.abc import Callable, Collection

from ...catalogue import load_catalogue
from ...records import Record, field
from ...sourcefile import SourceError, decode, read_regular
from .values import FunctionSummary, Value


class FlowKnowledge(Record, frozen=True):
    record_decorators: frozenset[str] = frozenset()
    record_bases: frozenset[str] = frozenset()
    field_calls: frozenset[str] = frozenset()
    factory_keywords: frozenset[str] = frozenset()
    handing_calls: dict[str, int] = field(default_factory=dict)
    command_joins: frozenset[str] = frozenset()
    argv_calls: dict[str, int] = field(default_factory=dict)

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
        factory_keywords=frozenset(section.get("record_factories", ())),
        handing_calls=dict(section.get("handing_calls") or {}),
        command_joins=frozenset(section.get("command_joins", ())),
        argv_calls=dict(section.get("argv_calls") or {}),
    )


# -- sibling modules of the checked set ------------------------------------------------------------

ModuleNames = dict[str, Value]   # a module's top-level bindings after one walk: functions, constants, clients

# What a sibling's walk binds is a function of its path, its content and how many more levels of
# sibling imports it may follow (its budget): never of which module asked first or what is being
# walked around it, so the findings of a file do not depend on the order files are analysed in
# or on which worker analysed what before. A module is walked with budget _MAX_DEPTH when the
# checked file imports it, one less for each level below; at 0 its imports stay unread. An import
# cycle ends there too (a module read again one level down sees less), the same whatever the order.
_MODULES: dict[tuple[str, str, int], ModuleNames] = {}   # (path, content digest, budget) -> its walk
_SAME_AT_ANY_BUDGET: dict[tuple[str, str], ModuleNames] = {}   # walks that followed no import: any budget
_READING: list[tuple[list[bool], int]] = []   # per walk in progress: ([whether it read a sibling], its token)
_READER = [-1]   # the token of the file being analysed (walks in progress count up from 1)
# Kept functions not read yet where they are written (a decorated method: its body is read at its
# first call, which sets what the body does on its own, FunctionSummary.found), with that state as
# kept: each reader starts from it, whatever earlier readers called.
_HOISTED: list[tuple[FunctionSummary, bool, frozenset]] = []
_WALKS = itertools.count(1)
_MAX_DEPTH = 3
_IMPORTS = re.compile(r"""(?:^|[\s"';])(?:from\s+(\.*[\w.]*)\s+import\s+([\w.]+)|import\s+([\w.]+))""", re.M)


def forget_modules() -> None:
    """Drop the kept walks: a new checked set (its files may resolve imports elsewhere) starts afresh."""
    _MODULES.clear()
    _SAME_AT_ANY_BUDGET.clear()
    _HOISTED.clear()


def resolve(importer: str, module: str, level: int, modules: Collection[str]) -> str | None:
    """The file of the checked set that ``from <module> import ...`` in ``importer`` reads: beside
    the importer or in one of its parent folders (the roots a script runs from), a relative import
    from its package; None when the module is not one of the set (a library, the standard library)."""
    if not modules:
        return None
    base = os.path.dirname(os.path.abspath(importer))
    folders = []
    if level > 0:
        for _ in range(level - 1):
            base = os.path.dirname(base)
        folders.append(base)
    else:
        for _ in range(8):
            folders.append(base)
            parent = os.path.dirname(base)
            if parent == base:
                break
            base = parent
    parts = [p for p in module.split(".") if p]
    for folder in folders:
        path = os.path.join(folder, *parts)
        for candidate in (path + ".py", os.path.join(path, "__init__.py")):
            if candidate in modules and candidate != os.path.abspath(importer):
                return candidate
    return None


def module_names(path: str, walk: Callable[[str, str], ModuleNames]) -> ModuleNames | None:
    """What a sibling module binds at its top level, walked once per content and budget (``walk``
    reads it without running it); None when it cannot be read, or the budget is spent."""
    if _READING:
        # The walk in progress reads a sibling: what it binds may differ with its budget.
        _READING[-1][0][0] = True
    budget = _MAX_DEPTH - len(_READING)
    if budget <= 0:
        return None
    data = read_regular(path)
    if data is None:
        return None
    digest = hashlib.sha256(data).hexdigest()
    same = _SAME_AT_ANY_BUDGET.get((path, digest))
    if same is not None:
        return same
    key = (path, digest, budget)
    if key in _MODULES:
        return _MODULES[key]
    try:
        text = decode(data, "python")
    except SourceError:
        return None
    follows = [False]
    _READING.append((follows, next(_WALKS)))
    outer = [(summary, summary.hoisted, summary.found) for summary, _, _ in _HOISTED]
    _restore_hoisted()   # the walk reads the kept functions as kept, not as the asker left them
    try:
        names = walk(path, text)
    except Exception:  # noqa: BLE001 - a sibling that cannot be read gives nothing, the importer goes on
        names = {}
    finally:
        _READING.pop()
        _restore_hoisted()   # kept by walks inside this one: the asker has not read them yet
        for summary, hoisted, found in outer:
            summary.hoisted, summary.found = hoisted, found
    if len(_MODULES) >= 2048 or len(_SAME_AT_ANY_BUDGET) >= 2048:
        # A bound on memory; all of Django 5.2 (~2,800 files) keeps ~1,900 walks: no module is walked twice.
        forget_modules()
    _settle(names)
    if follows[0]:
        _MODULES[key] = names
    else:
        _SAME_AT_ANY_BUDGET[(path, digest)] = names   # it imports no sibling: any budget reads it alike
    return names


def fresh_reading() -> None:
    """A new file's analysis starts (analyzer/scan.py calls this before each file): the readings of
    kept functions that earlier files made are not its own."""
    _READER[0] -= 1
    _restore_hoisted()


def _restore_hoisted() -> None:
    for summary, hoisted, found in _HOISTED:
        summary.hoisted, summary.found = hoisted, found


def _reader() -> int:
    """Who reads now: the walk of a sibling module in progress, else the file being analysed."""
    return _READING[-1][1] if _READING else _READER[0]


class _PerReading(dict):
    """The readings of a kept module's function with a call's arguments (``FunctionSummary.inlined``),
    kept for one reader only: the analysis of one file, or the walk of one sibling module. A reading
    depends on where it is made (how deep in other calls), and a kept module's functions are shared
    by every file that imports it: one file's readings must not decide the next file's findings."""

    def __init__(self) -> None:
        super().__init__()
        self.readers: dict[int, dict] = {}

    def _mine(self) -> dict:
        reader = _reader()
        mine = self.readers.get(reader)
        if mine is None:
            active = {_READER[0], *(token for _, token in _READING)}
            self.readers = {token: kept for token, kept in self.readers.items() if token in active}
            mine = self.readers[reader] = {}
        return mine

    def get(self, key: object, default: object = None) -> object:
        return self._mine().get(key, default)

    def __getitem__(self, key: object) -> object:
        return self._mine()[key]

    def __setitem__(self, key: object, value: object) -> None:
        self._mine()[key] = value

    def __contains__(self, key: object) -> bool:
        return key in self._mine()

    def __len__(self) -> int:
        return len(self._mine())

    def __iter__(self):
        return iter(self._mine())

    def keys(self):
        return self._mine().keys()

    def values(self):
        return self._mine().values()

    def items(self):
        return self._mine().items()

    def setdefault(self, key: object, default: object = None) -> object:
        return self._mine().setdefault(key, default)

    def pop(self, key: object, *default: object) -> object:
        return self._mine().pop(key, *default)


def _settle(names: ModuleNames) -> None:
    """Make the functions a kept walk bound (and those they lead to) safe to share between the
    files that import their module: the readings of their bodies are kept per reader."""
    seen: set[int] = set()
    stack: list[object] = list(names.values())
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, Value):
            stack += [item.function, *item.elements, *item.options, *(v for _, v in item.members), *item.bound]
        elif isinstance(item, FunctionSummary):
            if isinstance(item.inlined, _PerReading):
                continue   # settled with the walk of its own module, and all it leads to
            item.inlined = _PerReading()
            if item.hoisted:
                _HOISTED.append((item, item.hoisted, item.found))
            stack += [item.returns, item.owner, *item.defaults.values(), *item.methods.values(),
                      *item.attributes.values(), *(item.globals or {}).values()]
        elif isinstance(item, (tuple, list)):
            stack += item
        elif isinstance(item, dict):
            stack += item.values()


def imported_files(path: str, data: bytes, modules: Collection[str]) -> list[str]:
    """The files of the checked set whose summaries the analysis of ``path`` may use: what it
    imports from the set, and what those import, as deep as the walk goes. Read with a pattern
    (a superset of the real imports), never by running anything."""
    found: list[str] = []
    frontier = [(path, data)]
    for _ in range(_MAX_DEPTH):
        following = []
        for importer, content in frontier:
            for target in sibling_imports(importer, content.decode("utf-8", "replace"), modules):
                if target not in found and target != os.path.abspath(path):
                    found.append(target)
                    more = read_regular(target)
                    if more is not None:
                        following.append((target, more))
        frontier = following
    if b"AlterField" in data:
        # A migration narrowing a field is judged by what the earlier migrations declared.
        found += [earlier for earlier in earlier_migrations(path, modules) if earlier not in found]
    return sorted(found)


def earlier_migrations(path: str, modules: Collection[str]) -> list[str]:
    """The migrations of the checked set that come before ``path`` in its folder (Django numbers
    them: 0001_initial.py, 0002_...), in order."""
    folder, name = os.path.split(os.path.abspath(path))
    return sorted(module for module in modules if os.path.dirname(module) == folder
                  and os.path.basename(module)[:1].isdigit() and os.path.basename(module) < name)


def sibling_imports(importer: str, text: str, modules: Collection[str]) -> list[str]:
    """The files of the set that ``text`` may import (a superset: the pattern also matches prose)."""
    targets = []
    for match in _IMPORTS.finditer(text):
        if match.group(1) is not None:
            dots = len(match.group(1)) - len(match.group(1).lstrip("."))
            module = match.group(1).lstrip(".")
            names = [module + "." + match.group(2) if module else match.group(2), module]
            candidates = [resolve(importer, name, dots, modules) for name in names]
        else:
            candidates = [resolve(importer, match.group(3), 0, modules)]
        targets += [c for c in candidates if c is not None]
    return targets
