"""Shell functions defined in the script: a call is analysed with its arguments.

``k() { kubectl --context prod "$@"; }`` is harmless where it is defined; what
it does is decided by its calls (``k delete namespace shop``). A call of a
function defined earlier in the script (``f() {...}`` or ``function f {...}``)
has the function's body analysed again with ``$1``..``$9``, ``"$@"``, ``"$*"``
and ``$#`` bound to the call's words, and what that finds is reported at the
call (the call is the evidence). The body is still analysed where it is
defined, with unknown parameters; a finding the call would only repeat (the
same operation on the same targets, independent of the arguments) is not
reported again. Calls inside calls are bounded in depth and in the source
they may re-analyse, so recursive functions end.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...model import Analysis, Operation

if TYPE_CHECKING:  # pragma: no cover - typing only
    from tree_sitter import Node

    from .state import CommandContext, Unit
    from .words import Word

MAX_CALL_DEPTH = 4            # function calls analysed one inside the other
BODY_LIMIT = 20_000           # bytes: a larger body is not analysed again at its calls
CALL_COST = 200               # bytes charged to the script's call budget (FunctionTable.budget) per call
# Wrappers that still run a shell function (``time f``: a keyword of bash); ``sudo f``,
# ``command f``, ``xargs f`` run a program of that name instead.
FUNCTION_WRAPPERS = frozenset({"time"})

# What an operation is, wherever it is reported (see signature).
Signature = tuple[str, str, str, tuple[str, ...], str, bool, tuple[tuple[str, str], ...]]


@dataclass
class Function:
    """A function definition seen in the script, and what its body did where it was defined."""

    unit: Unit                                # the unit whose source holds the body
    body: Node
    seen: set[Signature] = field(default_factory=set)                # operations reported at the definition
    touched: set[tuple[str, str, str]] = field(default_factory=set)  # and its touches


@dataclass
class FunctionTable:
    """The functions one script defined so far (shared with the code its eval runs), and the
    bounds on analysing their calls again."""

    definitions: dict[str, Function] = field(default_factory=dict)
    depth: int = 0                # calls being analysed, one inside the other
    budget: int = 200_000         # bytes of function bodies the script's calls may still re-analyse
    cache: dict[tuple[object, ...], Analysis] = field(default_factory=dict)  # (function, arguments, state) -> found


def signature(op: Operation) -> Signature:
    """What makes two findings the same operation, wherever they are reported."""
    return (op.rule, op.severity, op.message, op.targets, op.verb, op.scratch, op.details)


def define(unit: Unit, table: FunctionTable, node: Node) -> None:
    """``f() { ...; }`` / ``function f { ...; }``: remember it, then analyse the body as written
    (parameters unknown). The name is known inside its own body (recursion)."""
    name_node = node.child_by_field_name("name")
    body = node.child_by_field_name("body")
    scope = unit.scope
    function = None
    if name_node is not None and body is not None:
        function = Function(unit, body)
        table.definitions[unit.raw(name_node)] = function
    start, touched = len(unit.analysis.operations), len(unit.analysis.touches)
    outer = scope.positional
    scope.positional = None
    try:
        for child in node.children:
            unit.visit(child)
    finally:
        scope.positional = outer
    if function is not None:
        function.seen = {signature(op) for op in unit.analysis.operations[start:]}
        function.touched = {(t.kind, t.target, t.access) for t in unit.analysis.touches[touched:]}


def call(unit: Unit, table: FunctionTable, program: str, args: list[Word], ctx: CommandContext) -> bool:
    """Analyse a call of a function defined earlier; False when ``program`` is not one (or the
    call is too deep or too large to analyse again: it is then matched as a plain command)."""
    scope = unit.scope
    function = table.definitions.get(program)
    if function is None or ctx.fed_by is not None or any(w not in FUNCTION_WRAPPERS for w in ctx.wrappers):
        return False
    size = function.body.end_byte - function.body.start_byte
    if table.depth >= MAX_CALL_DEPTH or size > BODY_LIMIT:
        return False
    # `main "$@"` where the caller's own parameters are unknown passes on an unknown number of words
    spread = any(w.value is None and any(v in ("@", "*") for v in w.variables) for w in args)
    positional = None if spread else tuple(args)
    key = (id(function), table.depth, None if positional is None else
           tuple((w.value, w.text, w.scratch, w.prefix, w.variables) for w in positional),
           frozenset(scope.variables.items()), tuple(map(id, table.definitions.values())),
           tuple(scope.aliases.items()))
    found = table.cache.get(key)
    if found is None:
        if size + CALL_COST > table.budget:
            return False
        table.budget -= size + CALL_COST
        found = _analyse_body(function, table, positional)
        table.cache[key] = found
    _report_at_call(unit, function, found, ctx)
    return True


def _analyse_body(function: Function, table: FunctionTable, positional: tuple[Word, ...] | None) -> Analysis:
    """The body's operations with the call's parameters bound (in the unit that defined it)."""
    definer = function.unit
    scope = definer.scope
    saved = (definer.analysis, scope.positional, dict(scope.variables))
    definer.analysis = Analysis()
    scope.positional = positional
    table.depth += 1
    try:
        definer.visit(function.body)
        return definer.analysis
    finally:
        definer.analysis, scope.positional = saved[0], saved[1]
        scope.variables.clear()
        scope.variables.update(saved[2])  # the definition already recorded the body's assignments
        table.depth -= 1


def _report_at_call(unit: Unit, function: Function, found: Analysis, ctx: CommandContext) -> None:
    at = unit.node_location(ctx.node)
    evidence = unit.evidence(ctx.node)
    here = {signature(op) for op in unit.analysis.operations
            if (op.location.line, op.location.cell) == (at.line, at.cell)}
    for op in found.operations:
        key = signature(op)
        if key in function.seen or key in here:
            continue  # the definition (or this line) already reports it
        here.add(key)
        unit.analysis.operations.append(dataclasses.replace(op, location=at, evidence=evidence))
    for touch in found.touches:
        if (touch.kind, touch.target, touch.access) not in function.touched:
            unit.analysis.touches.append(dataclasses.replace(touch, location=at))
    known = {(e.message, e.line) for e in unit.analysis.errors}
    for error in found.errors:
        if (error.message, error.line) not in known:
            unit.analysis.errors.append(error)


def shift(unit: Unit, rest: list[Word], ctx: CommandContext) -> None:
    """``shift [n]`` inside an analysed call drops the first parameters."""
    args = unit.scope.positional
    if args is None:
        return
    count = 1
    if rest:
        text = rest[0].value
        if text is None or not text.isdigit():
            unit.scope.positional = None
            return
        count = int(text)
    unit.scope.positional = args[count:]
