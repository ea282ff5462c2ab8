"""Calls that destroy something: ``SELECT lo_unlink(oid) FROM ...``, ``SELECT pg_terminate_backend(pid)
FROM pg_stat_activity``, ``EXEC master.sys.xp_delete_file ...``, ``UTL_FILE.FREMOVE(dir, name)``.

Found in the tokens of any statement (a SELECT list, a PL/SQL call, an EXEC), whatever tree the
statement has, like the exports of exports.py. Which routines remove what is knowledge
(``destructive_routines`` in rules/sql.yaml); this module only finds their calls.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlglot.tokens import Token

from .exports import names
from .facts import Hit

_CALLERS = ("EXEC", "EXECUTE", "CALL", "PERFORM")


def destructive_calls(tokens: Sequence[Token], routines: dict[str, str]) -> list[Hit]:
    """A ``sql.destructive-call`` hit for each call of a listed routine (qualified or not: the bare
    name matches ``pg_catalog.lo_unlink`` too); a name not called (a column, a string) is none."""
    hits: list[Hit] = []
    for i, name, after in names(tokens):
        removes = routines.get(name) or routines.get(name.rsplit(".", 1)[-1])
        called = (after < len(tokens) and tokens[after].text == "(") or (
            i > 0 and tokens[i - 1].text.upper() in _CALLERS)
        if removes is not None and called:
            hits.append(Hit("sql.destructive-call", (), name, {"routine": name, "removes": removes},
                            {"routine": name}))
    return hits
