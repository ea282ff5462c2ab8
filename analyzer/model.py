"""The values every part of execgate shares.

Front ends turn source into :class:`Operation` values, the policy engine turns
operations into :class:`Finding` values (an operation plus a :class:`Decision`),
and reporters turn findings into text. All of them are frozen records (analyzer/records.py) so
they can be sorted, compared, hashed and serialised.
"""
from __future__ import annotations

from typing import Any, Protocol

from .records import Record, field, replace

CATEGORIES = ("destructive", "exfiltration", "privilege", "evasion", "secrets")
SEVERITIES = ("critical", "high", "medium", "low")
# What an operation's targets are (``target_kind`` of a catalogue rule; "" is unknown; a rule whose
# targets may be of several kinds joins them with "|", ``table|path``). The policy matches
# ``scratch.paths`` against paths only and ``scratch.tables`` against tables (and the databases,
# schemas and collections that hold them) only.
TARGET_KINDS = ("path", "table", "database", "schema", "function", "user", "role", "bucket", "resource",
                "collection", "device", "host", "branch", "ref", "stash", "command")


class Location(Record, frozen=True, order=True):
    """Where something is: 1-based line and column; ``cell`` is the 0-based
    notebook cell index (line and column are then inside that cell)."""

    path: str
    line: int = 1
    column: int = 1
    cell: int | None = None
    cell_id: str | None = None
    # Line of the .ipynb file that holds ``line`` of the cell, when known.
    file_line: int | None = None

    def shifted(self, lines: int = 0, column: int | None = None) -> Location:
        return replace(self, line=self.line + lines, column=self.column if column is None else column,
                       file_line=None if self.file_line is None else self.file_line + lines)

    def display(self) -> str:
        if self.cell is not None:
            return f"{self.path}:cell {self.cell}:{self.line}"
        return f"{self.path}:{self.line}"


class Operation(Record, frozen=True, order=True):
    """What the code would do, found by a front end. Front ends never decide."""

    rule: str                      # catalogue id, e.g. "py.fs-delete-tree"
    category: str                  # one of CATEGORIES
    severity: str                  # one of SEVERITIES
    language: str                  # language the operation is written in
    location: Location
    message: str
    targets: tuple[str, ...] = ()
    verb: str = ""
    evidence: str = ""             # the source line(s) that perform it
    # The front end proved the target is scratch (tempfile path, TEMPORARY table).
    scratch: bool = False
    # Extra facts as sorted (key, value) pairs: source, sink, host, callee, ...
    details: tuple[tuple[str, str], ...] = ()
    # What the targets are (TARGET_KINDS, "" when unknown): filled from the catalogue rule by the
    # engine before the policy decides.
    target_kind: str = ""

    def detail(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.details:
            if k == key:
                return v
        return default


def make_details(**values: object) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, str(v)) for k, v in values.items() if v is not None and v != ""))


class Touch(Record, frozen=True, order=True):
    """A data touch seen in the code, dangerous or not (for the usage report)."""

    kind: str      # table | file | bucket | host | env | database
    target: str
    access: str    # read | write | delete | send | execute
    language: str
    location: Location


class Comment(Record, frozen=True, order=True):
    """A real comment (never text inside a string literal) seen by a front end."""

    location: Location
    text: str      # without the comment marker
    standalone: bool = False   # alone on its line: it then speaks of the next line of code


class AnalysisError(Record, frozen=True, order=True):
    """Input that could not be (fully) analysed. Fails closed unless the policy says otherwise."""

    path: str
    message: str
    line: int | None = None
    cell: int | None = None

    def display(self) -> str:
        place = self.path
        if self.cell is not None:
            place += f":cell {self.cell}"
        if self.line is not None:
            place += f":{self.line}"
        return f"{place}: {self.message}"


class Analysis(Record):
    """What a front end found in one unit of source."""

    operations: list[Operation] = field(default_factory=list)
    touches: list[Touch] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    errors: list[AnalysisError] = field(default_factory=list)
    # What was read only after a repair (a notebook fixed the way Jupyter opens it): said, never failing.
    notes: list[AnalysisError] = field(default_factory=list)
    # Other files this analysis read (an up-migration beside its down file, a script run by path):
    # a cached result stands only while they are unchanged.
    reads: list[str] = field(default_factory=list)

    def extend(self, other: Analysis) -> None:
        self.operations.extend(other.operations)
        self.touches.extend(other.touches)
        self.comments.extend(other.comments)
        self.errors.extend(other.errors)
        self.notes.extend(other.notes)
        self.reads.extend(r for r in other.reads if r not in self.reads)


class Decision(Record, frozen=True, order=True):
    """What the policy decided about an operation, why, and which rule said so."""

    action: str                    # allow | warn | block
    reason: str
    policy_rule: str               # "built-in:<what>" or "<policy file>:<line>"


class Suppression(Record, frozen=True, order=True):
    """A suppression comment that allows a finding: the rule it names, its reason, where it is."""

    rule: str
    justification: str
    location: Location


class Finding(Record, frozen=True, order=True):
    """An operation with the policy's decision (and the suppression or baseline that allowed it)."""

    operation: Operation
    decision: Decision
    suppression: Suppression | None = None
    baselined: bool = False

    @property
    def action(self) -> str:
        """The action that counts for the gate: suppressed and baselined findings never block."""
        if self.suppression is not None or self.baselined:
            return "allow"
        return self.decision.action


class Context(Record, frozen=True):
    """Who acts, in which role and environment; ``sources`` says where each value came from."""

    actor: str | None = None
    role: str | None = None
    environment: str | None = None
    actor_type: str | None = None          # "agent" when commit trailers or the CI actor say so
    server: str | None = None              # the MCP server a tool call goes to (the mcp proxy)
    sources: tuple[tuple[str, str], ...] = ()  # where each value came from

    def as_json(self) -> dict[str, Any]:
        """Each value with where it came from, so a reader of the JSON report can trust it."""
        origin = dict(self.sources)
        return {"actor": self.actor, "role": self.role, "environment": self.environment,
                "actor_type": self.actor_type, "sources": origin,
                "values": {key: {"value": getattr(self, key), "source": origin.get(key)}
                           for key in ("actor", "role", "environment", "actor_type")}}


class PolicyFacts(Protocol):
    """What a report needs of the policy that decided it (the policy package has the whole of it)."""

    source: str
    sha256: str
    fail_closed: bool
    environment: str | None


class Report(Record):
    """Everything one check found and decided, with the policy and context that decided it."""

    findings: list[Finding]
    errors: list[AnalysisError]
    touches: list[Touch]
    policy: PolicyFacts
    context: Context
    paths: list[str] = field(default_factory=list)
    notes: list[AnalysisError] = field(default_factory=list)   # repairs made to read an input; never gate

    @property
    def blocked(self) -> list[Finding]:
        return [f for f in self.findings if f.action == "block"]

    def exit_code(self) -> int:
        """0 nothing blocked; 1 a block anywhere; 2 unanalysable input under fail_closed."""
        if self.blocked:
            return 1
        if self.errors and self.policy.fail_closed:
            return 2
        return 0
