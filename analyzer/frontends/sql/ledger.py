"""Why a destructive operation loses nothing: what the unit made before it, what its up-migration
made, what the unit creates again after it.

A unit is one SQL text run from top to bottom (a file, one ``execute()`` string, one part of a
migration file). Going through its statements in order, the ledger knows what each one removes
(:attr:`Hit.removes`, as (class, name)) and, for each removed thing, whether it

- was made earlier in the same unit (``CREATE TABLE x`` ... ``DROP TABLE x``; ``ADD COLUMN c`` ...
  ``UPDATE t SET c = ...``): it holds only what the unit put there. ``CREATE ... IF NOT EXISTS``
  and ``ADD COLUMN IF NOT EXISTS`` prove nothing: the object may have been there (with its rows);
- was made by the up-migration this down-migration undoes (same rule);
- holds no rows (a view, an index, a function: ``rowless_classes`` in rules/sql.yaml) and is
  created again later in the unit (``DROP VIEW v`` ... ``CREATE VIEW v``), unless the drop
  cascades to what depends on it.

An operation all of whose removals are so explained is scratch; the reason goes into its details.
``DROP TABLE IF EXISTS x`` followed by ``CREATE TABLE x`` is none of these: the old rows are gone.

"Made earlier" needs the failure of the making statement to stop what follows. Migration tools,
drivers and the mysql client in batch mode stop at the first error; a client that goes on after a
failed statement (psql without ``ON_ERROR_STOP``: ``goes_on_after_error`` in rules/sql.yaml, read by
:class:`analyzer.frontends.sql.client.AfterError`) does not: a ``CREATE TABLE x`` that fails because
an x was already there is followed by the ``DROP TABLE x`` below it, which drops the x that was
there. So in such a script what a statement makes (:data:`UNTIL_COMMIT`) counts only inside the
explicit transaction block (``BEGIN`` ... ``COMMIT``) it was made in: there the failure aborts the
transaction, every later statement of the block fails too, and its ``COMMIT`` rolls back. It counts
no more once the block ends or a ``ROLLBACK TO`` a savepoint lets the block go on, and not at all
(:data:`UNPROVEN`) outside a block or when ``ON_ERROR_ROLLBACK`` is on (a savepoint per statement
keeps the transaction going). A DO block or a function body is one statement that fails as a whole:
inside it the plain rule holds. Temporary tables keep their own rule (made TEMPORARY in the unit).
"""
from __future__ import annotations

from collections.abc import Iterable

from ...records import Record, field
from .facts import Facts, Hit, Knowledge

# How far what a statement makes is proven new for the statements after it (see the module docstring).
LASTING, UNTIL_COMMIT, UNPROVEN = "lasting", "until-commit", "unproven"


class Origin(Record):
    """What earlier statements made: (class, name) -> where (``line 4``, ``up.sql line 2``)."""

    made: dict[tuple[str, str], str] = field(default_factory=dict)
    renamed: set[tuple[str, str, str]] = field(default_factory=set)


class Ledger:
    """One unit's statements in order; ask :meth:`reason` before :meth:`record` of each."""

    def __init__(self, k: Knowledge, statements: Iterable[tuple[int, Facts]], up: Origin | None = None,
                 up_name: str = "") -> None:
        self.k = k
        # A copy: a rename in this unit moves what the up-migration made to its new name here only.
        self.up = Origin(dict(up.made), set(up.renamed)) if up is not None else Origin()
        self.up_name = up_name
        self.fresh = Origin()
        self.until_commit: set[tuple[str, str]] = set()   # made inside the open transaction block only
        # Names whose earlier object (not made here) was dropped or renamed away: what takes the name
        # over replaces it for everyone who uses the name (the swap of a rebuilt table).
        self.vacated: set[tuple[str, str]] = set()
        # Rowless objects the unit creates: (class, name) -> [(statement index, line)]
        self.creates: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for index, (line, facts) in enumerate(statements):
            for made in facts.made:
                self.creates.setdefault(self.key(made.kind, made.name), []).append((index, line))

    def key(self, kind: str, name: str) -> tuple[str, str]:
        return object_key(kind, name, self.k)

    def record(self, facts: Facts, line: int, where: str = "", proof: str = LASTING) -> None:
        """What a statement made, removed and renamed, once its own operations are judged; ``proof``
        says how long what it made counts as made here."""
        for hit in facts.hits:
            if hit.verb in ("drop", "rename"):
                self.vacated.update(key for key in (self.key(*r) for r in hit.removed()) if key not in self.fresh.made)
        for kind, old, new in facts.renamed:
            if (kind, old) in self.up.made and (kind, old) not in self.fresh.made:
                # The down part renames what its up part made (back): the new name holds that.
                self.up.made[(kind, new)] = self.up.made.pop((kind, old))
        before = set(self.fresh.made)
        record_into(self.fresh, facts, self.k, where or f"line {line}", makes=proof != UNPROVEN)
        if proof == UNTIL_COMMIT:
            self.until_commit.update(set(self.fresh.made) - before)

    def end_transaction(self) -> None:
        """A transaction block ended: what was made in it only while it was open counts no more."""
        for key in self.until_commit:
            self.fresh.made.pop(key, None)
        self.until_commit.clear()

    def reason(self, hit: Hit, index: int) -> str | None:
        """Why ``hit`` loses nothing, or None when it may."""
        if hit.details.get("cascade"):
            return None   # CASCADE also removes what depends on it, made here or not
        if hit.renames is not None:
            kind, old, new = hit.renames
            if (kind, new, old) in self.up.renamed:
                return f"undoes the up-migration's rename of {new} to {old}"
            if self.key(kind, new) in self.vacated:
                return None   # takes over the name of something that was there: a swap
        reasons = []
        for kind, name in hit.removed():
            why = self._why(kind, name, index)
            if why is None:
                return None
            reasons.append(why)
        return "; ".join(dict.fromkeys(reasons)) or None

    def _why(self, kind: str, name: str, index: int) -> str | None:
        key = self.key(kind, name)
        table = ("table", name.rsplit(".", 1)[0]) if kind in _PARTS and "." in name else None
        for origin, by in ((self.fresh, "at {} of this SQL"), (self.up, "by the up-migration ({})")):
            if key in origin.made:
                return f"{kind} {name} was {'added' if kind in _PARTS else 'created'} " + by.format(origin.made[key])
            if table is not None and table in origin.made:
                return f"its table {table[1]} was created " + by.format(origin.made[table])
        if kind in self.k.rowless_classes:
            again = next((line for later, line in self.creates.get(key, ()) if later > index), None)
            if again is not None:
                return f"{kind} {name} holds no rows and is created again at line {again}"
        return None


# Classes named ``table.part``: what a table has, made with ALTER TABLE ... ADD.
_PARTS = frozenset({"column", "constraint"})


def record_into(origin: Origin, facts: Facts, k: Knowledge, where: str, makes: bool = True) -> None:
    """Add what ``facts`` made (only what is proven new: not ``IF NOT EXISTS``, and nothing when
    ``makes`` is false) and move renamed names."""
    for kind, old, new in facts.renamed:
        moved = origin.made.pop((kind, old), None)
        origin.made.pop((kind, new), None)
        if moved is not None:
            origin.made[(kind, new)] = moved   # the new name holds what the old one held
        origin.renamed.add((kind, old, new))
    for made in facts.made if makes else ():
        if made.proven:
            origin.made.setdefault(object_key(made.kind, made.name, k), where)


def object_key(kind: str, name: str, k: Knowledge) -> tuple[str, str]:
    """How an object is looked up: (class, name), the name without its schema for the classes
    that are made without one (``unqualified_classes``)."""
    return kind, name.rsplit(".", 1)[-1] if kind in k.unqualified_classes else name
