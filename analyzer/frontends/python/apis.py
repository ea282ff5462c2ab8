"""The Python section of the rule catalogue, compiled once into lookup tables.

Patterns are dotted names whose segments may carry ``()`` (a call) and ``[]``
(a subscript): ``boto3.client().delete_bucket``. ``calls`` must match a
resolved name whole; ``methods`` match its last segments on any receiver.
``*`` stands for any one segment. Everything is indexed by the last segment
so a call costs one dictionary lookup.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from ...catalogue import load_catalogue

_SEGMENT = re.compile(r"[^.()\[\]]+(?:\(\)|\[\])*|\*")


@functools.lru_cache(maxsize=65536)
def segments(name: str) -> tuple[str, ...]:
    """``a.b().c[]`` -> ("a", "b()", "c[]"): markers stay with the name they follow."""
    return tuple(_SEGMENT.findall(name))


@functools.lru_cache(maxsize=65536)
def bare(segment: str) -> str:
    return segment.split("(", 1)[0].split("[", 1)[0]


@dataclass(frozen=True)
class Pattern:
    segments: tuple[str, ...]
    whole: bool            # a `calls` pattern: the name must match from its root


@dataclass
class Entry:
    kind: str              # api | source | sink
    data: dict[str, Any]
    rule: str | None = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@dataclass
class PythonCatalogue:
    index: dict[str, list[tuple[Entry, Pattern]]] = field(default_factory=dict)
    exec_calls: frozenset = frozenset()
    dynamic_import_calls: frozenset = frozenset()
    sensitive_modules: frozenset = frozenset()
    scratch_calls: frozenset = frozenset()
    sql_clients: dict[str, str] = field(default_factory=dict)
    credential_paths: tuple[str, ...] = ()
    source_names: frozenset = frozenset()        # names whose value is a source (os.environ)
    source_subscripts: dict[str, str] = field(default_factory=dict)
    ipython: dict[str, Any] = field(default_factory=dict)
    config_names: frozenset = frozenset()
    request_builders: frozenset = frozenset()
    sql_builders: frozenset = frozenset()
    scratch_parameters: frozenset = frozenset()
    scratch_through: dict[str, frozenset] = field(default_factory=dict)
    trigger: re.Pattern | None = None

    def lookup(self, name: str) -> list[tuple[Entry, Pattern]]:
        parts = segments(name)
        if not parts:
            return []
        candidates = self.index.get(bare(parts[-1]), ())
        return [(entry, pattern) for entry, pattern in candidates if matches(parts, pattern)]


def _segment_matches(actual: str, wanted: str) -> bool:
    return wanted == "*" or actual == wanted


def matches(parts: tuple[str, ...], pattern: Pattern) -> bool:
    wanted = pattern.segments
    if pattern.whole:
        return len(parts) == len(wanted) and all(map(_segment_matches, parts, wanted))
    if len(parts) < len(wanted):
        return False
    return all(map(_segment_matches, parts[-len(wanted):], wanted))


def _add(catalogue: PythonCatalogue, entry: Entry, names: list[str], whole: bool) -> None:
    for name in names or ():
        pattern = Pattern(segments(name), whole)
        catalogue.index.setdefault(bare(pattern.segments[-1]), []).append((entry, pattern))


@functools.cache
def python_catalogue() -> PythonCatalogue:
    section = load_catalogue().section("python")
    catalogue = PythonCatalogue(
        exec_calls=frozenset(section.get("exec_calls", ())),
        dynamic_import_calls=frozenset(section.get("dynamic_import_calls", ())),
        sensitive_modules=frozenset(section.get("sensitive_modules", ())),
        scratch_calls=frozenset(section.get("scratch_calls", ())),
        sql_clients=dict(section.get("sql_clients", {})),
        credential_paths=tuple(section.get("credential_paths", ())),
        ipython=dict(section.get("ipython", {})),
        config_names=frozenset(section.get("config_names", ())),
        request_builders=frozenset(section.get("request_builders", ())),
        sql_builders=frozenset(section.get("sql_builders", ())),
        scratch_parameters=frozenset(section.get("scratch_parameters", ())),
        scratch_through={key: frozenset(names) for key, names in (section.get("scratch_through") or {}).items()},
    )
    for data in section.get("apis", ()):
        entry = Entry("api", data, data["rule"])
        _add(catalogue, entry, data.get("calls"), True)
        _add(catalogue, entry, data.get("methods"), False)
    for data in section.get("sources", ()):
        entry = Entry("source", data)
        _add(catalogue, entry, data.get("calls"), True)
        _add(catalogue, entry, data.get("methods"), False)
        for name in data.get("subscripts", ()):
            catalogue.source_subscripts[name] = data["name"]
        catalogue.source_names = catalogue.source_names | frozenset(data.get("names", ()))
    for data in section.get("sinks", ()):
        entry = Entry("sink", data, data["rule"])
        _add(catalogue, entry, data.get("calls"), True)
        _add(catalogue, entry, data.get("methods"), False)
    catalogue.trigger = _trigger_pattern(catalogue)
    return catalogue


# Words that make a unit worth a full parse besides the catalogue's own names:
# dynamic access and magics can reach anything.
_ALWAYS = ("getattr", "__import__", "import_module", "__dict__", "vars", "attrgetter", "methodcaller", "partial",
           "get_ipython", "run_cell_magic", "run_line_magic", "globals", "locals", "__builtins__", "builtins",
           "modules", "b64decode", "fromhex", "exec", "eval", "compile", "execgate")


def _trigger_pattern(catalogue: PythonCatalogue) -> re.Pattern:
    words = set(_ALWAYS)
    for key, entries in catalogue.index.items():
        if any(entry.kind != "source" for entry, _ in entries):
            words.add(key)
    for name in catalogue.exec_calls | catalogue.dynamic_import_calls:
        words.add(bare(segments(name)[-1]))
    words.discard("")
    alternation = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b")
