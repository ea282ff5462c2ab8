"""Shell functions defined in the script: a call is analysed with its arguments.

``k() { kubectl --context prod "$@"; }`` is harmless where it is defined; what
it does is decided by its calls (``k delete namespace shop``). A call of a
function defined earlier in the script (``f() {...}`` or ``function f {...}``)
has the function's body analysed again with ``$1``..``$9``, ``"$@"``, ``"$*"``
and ``$#`` bound to the call's words and the variables set at the call; what
the call assigns (not ``local``) stays set after it. The body is also analysed
where it is defined, with unknown parameters, for what it assigns; what that
finds is held back. A call reports an operation the body does by itself (the
same as at the definition) on its own line of the body, and one that the
call's arguments or variables make at the call (the call is the evidence); a
held finding no call reproduces (``rm -rf "$tmp"`` where ``$tmp`` is a
``mktemp -d`` folder by the time it runs) is not reported. A function nothing
calls or traps (a library of functions) is reported where it is defined.
Calls inside calls are bounded in depth and in the source they may
re-analyse, so recursive functions end.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import Analysis, Operation
from ...records import Record, field, replace

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
# Declarations that make a name local to the function (bash keywords).
LOCAL_DECLARATIONS = frozenset({"local", "declare", "typeset"})

# What an operation is, wherever it is reported (see signature).
Signature = tuple[str, str, str, tuple[str, ...], str, bool, tuple[tuple[str, str], ...]]


class Function(Record):
    """A function definition seen in the script, and what its body did where it was defined
    (held back: reported only when nothing calls, traps or exports the function)."""

    unit: Unit                                # the unit whose source holds the body
    body: Node
    held: Analysis = field(default_factory=Analysis)   # the body as written, parameters unknown
    used: bool = False                        # a call was analysed: the calls report the body
    # defined in a file the script sources: what its body does by itself is reported where that
    # file is sourced (its own analysis), so a call reports only what the call itself makes
    sourced: bool = False


class FunctionTable(Record):
    """The functions one script defined so far (shared with the code its eval runs), and the
    bounds on analysing their calls again."""

    definitions: dict[str, Function] = field(default_factory=dict)
    defined: list[Function] = field(default_factory=list)   # every definition, redefined ones too
    depth: int = 0                # calls being analysed, one inside the other
    budget: int = 200_000         # bytes of function bodies the script's calls may still re-analyse
    cache: dict[tuple[object, ...], Analysis] = field(default_factory=dict)  # (function, arguments, state) -> found


def signature(op: Operation) -> Signature:
    """What makes two findings the same operation, wherever they are reported."""
    return (op.rule, op.severity, op.message, op.targets, op.verb, op.scratch, op.details)


def define(unit: Unit, table: FunctionTable, node: Node) -> None:
    """``f() { ...; }`` / ``function f { ...; }``: remember it, then analyse the body as written
    (parameters unknown, the variables of the definition) for what it assigns and defines. What
    that finds is held back: a function is analysed where it is called (or trapped, or
    exported), with the variables there; one nothing uses is reported at its definition
    (:func:`unused`). The name is known inside its own body (recursion)."""
    name_node = node.child_by_field_name("name")
    body = node.child_by_field_name("body")
    scope = unit.scope
    function = None
    if name_node is not None and body is not None:
        function = Function(unit, body)
        table.definitions[unit.raw(name_node)] = function
        table.defined.append(function)
    start, touched = len(unit.analysis.operations), len(unit.analysis.touches)
    outer, directory = scope.positional, scope.directory
    scope.positional = None
    local = _locals(unit, body) if body is not None else set()
    before = {name: scope.variables.get(name) for name in local}
    try:
        for child in node.children:
            unit.visit(child)
    finally:
        scope.positional = outer
        scope.directory = directory  # a cd in the body happens when it is called, not here
        for name, binding in before.items():  # a local is gone once the function returns
            if binding is None:
                scope.variables.pop(name, None)
            else:
                scope.variables[name] = binding
    if function is not None and table.depth == 0:
        function.held = Analysis(unit.analysis.operations[start:], unit.analysis.touches[touched:])
        del unit.analysis.operations[start:]
        del unit.analysis.touches[touched:]


def unused(table: FunctionTable) -> Analysis:
    """What the bodies of the functions no call analysed do, reported at their definitions."""
    found = Analysis()
    for function in table.defined:
        if not function.used:
            found.operations.extend(function.held.operations)
            found.touches.extend(function.held.touches)
            function.used = True
    return found


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
    function.used = True
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
        # what the call assigned stays set after it (bash has no other scope), except its locals
        # and what depended on the call's own parameters
        assigned = {name: binding for name, binding in scope.variables.items()
                    if saved[2].get(name) != binding and name not in _locals(definer, function.body)}
        scope.variables.clear()
        scope.variables.update(saved[2])
        scope.variables.update(assigned)
        table.depth -= 1


def _locals(unit: Unit, body: Node) -> set[str]:
    """The names a body declares ``local`` (or ``declare``/``typeset``, local in a function)."""
    names: set[str] = set()
    pending = [body]
    while pending:
        node = pending.pop()
        pending.extend(node.named_children)
        if node.type != "declaration_command" or not node.children:
            continue
        if unit.raw(node.children[0]) not in LOCAL_DECLARATIONS:
            continue
        for child in node.named_children:
            name = child.child_by_field_name("name") if child.type == "variable_assignment" else child
            if name is not None and name.type == "variable_name":
                names.add(unit.raw(name))
    return names


def _report_at_call(unit: Unit, function: Function, found: Analysis, ctx: CommandContext) -> None:
    """What a call's analysis found: an operation the body does by itself (the same as where it
    is defined) is reported on its own line of the body; one made by this call's arguments or
    variables at the call. Each once per line."""
    at = unit.node_location(ctx.node)
    evidence = unit.evidence(ctx.node)
    own = {signature(op) for op in function.held.operations}
    seen = {(signature(op), op.location.line, op.location.cell) for op in unit.analysis.operations}
    for op in found.operations:
        key = signature(op)
        if key in own and function.sourced:
            continue
        placed = op if key in own else replace(op, location=at, evidence=evidence)
        where = (key, placed.location.line, placed.location.cell)
        if where in seen:
            continue
        seen.add(where)
        unit.analysis.operations.append(placed)
    for touch in found.touches:
        unit.analysis.touches.append(replace(touch, location=at))
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
