"""The Python section of the rule catalogue (rules/python.yaml), compiled once into lookup tables.

Patterns are dotted names whose segments may carry ``()`` (a call) and ``[]``
(a subscript): ``boto3.client().delete_bucket``. ``calls`` must match a
resolved name whole; ``methods`` match its last segments on any receiver.
``*`` stands for any one segment. Everything is indexed by the last segment
so a call costs one dictionary lookup.
"""
from __future__ import annotations

import functools
import re
from typing import Any

from ...catalogue import CatalogueError, load_catalogue
from ...records import Record, field
from ..secretnames import SecretNames, secret_names

_SEGMENT = re.compile(r"[^.()\[\]]+(?:\(\)|\[\])*|\*")


@functools.lru_cache(maxsize=65536)
def segments(name: str) -> tuple[str, ...]:
    """``a.b().c[]`` -> ("a", "b()", "c[]"): markers stay with the name they follow."""
    return tuple(_SEGMENT.findall(name))


@functools.lru_cache(maxsize=65536)
def bare(segment: str) -> str:
    return segment.split("(", 1)[0].split("[", 1)[0]


def last_name(name: str) -> str:
    """The last segment of a resolved name without its markers: ``boto3.client().put_object`` -> put_object."""
    parts = segments(name)
    return bare(parts[-1]) if parts else ""


class Pattern(Record, frozen=True):
    segments: tuple[str, ...]
    whole: bool            # a `calls` pattern: the name must match from its root


class Entry(Record):
    kind: str              # api | source | sink | listing
    data: dict[str, Any]
    rule: str = ""         # api and sink entries: the rule they perform
    category: str = ""     # that rule's category

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


_NEVER = re.compile(r"(?!)")
# Methods that add to the list or dict they are called on: the walker grows the value it knows.
GROWING_METHODS = frozenset({"append", "extend", "update"})


class PythonCatalogue(Record):
    index: dict[str, list[tuple[Entry, Pattern]]] = field(default_factory=dict)
    exec_calls: frozenset[str] = frozenset()
    run_calls: frozenset[str] = frozenset()
    exec_payload: dict[str, Any] = field(default_factory=dict)
    dynamic_import_calls: frozenset[str] = frozenset()
    sensitive_modules: frozenset[str] = frozenset()
    scratch_calls: frozenset[str] = frozenset()
    sql_clients: tuple[str, ...] = ()
    source_names: frozenset[str] = frozenset()        # names whose value is a source (os.environ)
    source_subscripts: dict[str, str] = field(default_factory=dict)
    variable_subscripts: frozenset[str] = frozenset()  # of those, mappings of named variables (os.environ)
    ipython: dict[str, Any] = field(default_factory=dict)
    config_names: frozenset[str] = frozenset()
    plain_objects: tuple[str, ...] = ()      # receivers that are no database collection (list(), os.environ)
    sql_receivers: tuple[str, ...] = ()      # resolved names of database objects beyond sql_clients
    sql_receiver_names: frozenset[str] = frozenset()   # how a cursor, connection or session is named
    config_files: tuple[str, ...] = ()
    request_builders: dict[str, dict[str, Any]] = field(default_factory=dict)
    sql_builders: frozenset[str] = frozenset()
    sql_statement_starts: tuple[str, ...] = ()
    scratch_parameters: frozenset[str] = frozenset()
    scratch_through: dict[str, frozenset[str]] = field(default_factory=dict)
    path_builders: frozenset[str] = frozenset()
    file_text: dict[str, frozenset[str]] = field(default_factory=dict)   # open(p).read(), Path(p).read_text()
    command_words: dict[str, str] = field(default_factory=dict)    # sys.executable: the word it runs as
    path_anchors: dict[str, Any] = field(default_factory=dict)    # paths named from __file__ (anchors.py)
    remote_schemes: frozenset[str] = frozenset()
    client_hosts: dict[str, Any] = field(default_factory=dict)
    mapping_calls: frozenset[str] = frozenset()      # calls that call a function on each element (map)
    collection_copies: frozenset[str] = frozenset()  # list(x), sorted(x): the same elements as x
    command_splits: frozenset[str] = frozenset()     # shlex.split("git clean -fdx"): the words of a command line
    migration_calls: frozenset[str] = frozenset()    # AlterField, RunPython: read by the migrations' rules
    argument_parsers: dict[str, Any] = field(default_factory=dict)   # command-line parsers and their defaults
    handing_keywords: dict[str, dict[str, Any]] = field(default_factory=dict)   # Thread(target=f, args=...)
    filling_methods: frozenset[str] = frozenset()    # msg.set_content(body): the object carries the data
    walker_methods: frozenset[str] = frozenset()     # every method or call name above the walker follows
    parser_methods: frozenset[str] = frozenset()     # the methods of those that declare or parse options
    client_members: frozenset[str] = frozenset()     # attributes of a client its requests carry (s.headers)
    dry_run: dict[str, Any] = field(default_factory=dict)   # options that make a call only show what it would do
    migrations: dict[str, Any] = field(default_factory=dict)   # up/down functions, operations as SQL
    secrets: SecretNames = field(default_factory=SecretNames)   # rules/secrets.yaml: names that hold secrets
    trigger: re.Pattern[str] = _NEVER

    def is_secret_variable(self, name: str) -> bool:
        """Whether an environment variable of this name holds a secret (``GITHUB_TOKEN``; not ``REGION``)."""
        return self.secrets.is_secret_variable(name)

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


def _add(catalogue: PythonCatalogue, entry: Entry, names: list[str] | None, whole: bool) -> None:
    for name in names or ():
        pattern = Pattern(segments(name), whole)
        catalogue.index.setdefault(bare(pattern.segments[-1]), []).append((entry, pattern))


def _add_rule_entries(catalogue: PythonCatalogue, kind: str, by_rule: dict[str, list[dict[str, Any]]]) -> None:
    """``apis:`` and ``sinks:`` hold each rule's entries under its id."""
    rules = load_catalogue().rules
    for rule_id, entries in by_rule.items():
        if rule_id not in rules:
            raise CatalogueError(f"python.yaml: {kind}s name the unknown rule {rule_id!r}")
        for data in entries:
            entry = Entry(kind, data, rule_id, rules[rule_id].category)
            _add(catalogue, entry, data.get("calls"), True)
            _add(catalogue, entry, data.get("methods"), False)


@functools.cache
def python_catalogue() -> PythonCatalogue:
    section = load_catalogue().section("python")
    catalogue = PythonCatalogue(
        exec_calls=frozenset(section.get("exec_calls", ())),
        run_calls=frozenset(section.get("run_calls", ())),
        exec_payload=dict(section.get("exec_payload", {})),
        dynamic_import_calls=frozenset(section.get("dynamic_import_calls", ())),
        sensitive_modules=frozenset(section.get("sensitive_modules", ())),
        scratch_calls=frozenset(section.get("scratch_calls", ())),
        sql_clients=tuple(section.get("sql_clients", ())),
        ipython=dict(section.get("ipython", {})),
        config_names=frozenset(section.get("config_names", ())),
        plain_objects=tuple(section.get("plain_objects", ())),
        sql_receivers=tuple(section.get("sql_receivers", ())),
        sql_receiver_names=frozenset(section.get("sql_receiver_names", ())),
        config_files=tuple(section.get("config_files", ())),
        request_builders=dict(section.get("request_builders", {})),
        sql_builders=frozenset(section.get("sql_builders", ())),
        sql_statement_starts=tuple(section.get("sql_statement_starts", ())),
        scratch_parameters=frozenset(section.get("scratch_parameters", ())),
        scratch_through={key: frozenset(names) for key, names in (section.get("scratch_through") or {}).items()},
        path_builders=frozenset(section.get("path_builders", ())),
        file_text={key: frozenset(names) for key, names in (section.get("file_text") or {}).items()},
        command_words={str(k): str(v) for k, v in (section.get("command_words") or {}).items()},
        path_anchors=dict(section.get("path_anchors") or {}),
        remote_schemes=frozenset(section.get("remote_schemes", ())),
        client_hosts=dict(section.get("client_hosts", {})),
        mapping_calls=frozenset(section.get("mapping_calls", ())),
        collection_copies=frozenset(section.get("collection_copies", ())),
        command_splits=frozenset(section.get("command_splits", ())),
        dry_run=dict(section.get("dry_run") or {}),
        migrations=dict(section.get("migrations") or {}),
    )
    catalogue.argument_parsers = dict(section.get("argument_parsers") or {})
    catalogue.handing_keywords = dict(section.get("handing_keywords") or {})
    catalogue.filling_methods = frozenset(section.get("filling_methods", ()))
    catalogue.parser_methods = frozenset((*catalogue.argument_parsers.get("declare", ()),
                                          *catalogue.argument_parsers.get("parse", ()),
                                          *catalogue.argument_parsers.get("parse_known", ())))
    catalogue.migration_calls = frozenset(name for key in ("alter_field", "run_code")
                                          for name in (catalogue.migrations.get(key) or {}).get("methods", ()))
    catalogue.walker_methods = GROWING_METHODS | catalogue.migration_calls | \
        catalogue.parser_methods | catalogue.filling_methods | frozenset(catalogue.handing_keywords)
    _add_rule_entries(catalogue, "api", section.get("apis") or {})
    for data in section.get("sources", ()):
        entry = Entry("source", data)
        _add(catalogue, entry, data.get("calls"), True)
        _add(catalogue, entry, data.get("methods"), False)
        for name in data.get("subscripts", ()):
            catalogue.source_subscripts[name] = data["name"]
            if data.get("variable"):
                catalogue.variable_subscripts = catalogue.variable_subscripts | {name}
        catalogue.source_names = catalogue.source_names | frozenset(data.get("names", ()))
    _add_rule_entries(catalogue, "sink", section.get("sinks") or {})
    catalogue.client_members = frozenset(key for entries in (section.get("sinks") or {}).values()
                                         for data in entries for key in data.get("client_keywords", ()))
    for data in section.get("listings", ()):
        entry = Entry("listing", data)
        _add(catalogue, entry, data.get("calls"), True)
        _add(catalogue, entry, data.get("methods"), False)
    catalogue.secrets = secret_names()
    catalogue.trigger = _trigger_pattern(catalogue)
    return catalogue


# Words that make a unit worth a full parse besides the catalogue's own names:
# dynamic access and magics can reach anything.
_ALWAYS = ("getattr", "__import__", "import_module", "__dict__", "vars", "attrgetter", "methodcaller", "partial",
           "get_ipython", "run_cell_magic", "run_line_magic", "globals", "locals", "__builtins__", "builtins",
           "modules", "b64decode", "fromhex", "exec", "eval", "compile", "execgate")


def _trigger_pattern(catalogue: PythonCatalogue) -> re.Pattern[str]:
    words = set(_ALWAYS)
    for key, entries in catalogue.index.items():
        # A sink that needs a client with a host (logger.info) is reached through a name that holds
        # one, which makes the unit worth reading anyway (PythonSession.interesting_names).
        if any(entry.kind in ("api", "sink") and not entry.get("needs_host") for entry, _ in entries):
            words.add(key)
    for name in catalogue.exec_calls | catalogue.run_calls | catalogue.dynamic_import_calls:
        words.add(last_name(name))
    for key in ("runners", "module_runners"):   # a file run as code may do anything
        words.update(last_name(name) for name in catalogue.file_text.get(key, ()))
    words.discard("")
    alternation = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b")
