"""Is a WHERE clause always true? A small three-valued evaluator over sqlglot expressions.

``DELETE FROM t WHERE 1=1`` or ``... WHERE id = id OR x`` removes every row just
like a DELETE with no WHERE. Matching strings would miss ``NOT (1=0)`` and flag
``'1=1'`` inside a literal; evaluating the expression does neither. Values are
``True``, ``False`` and ``None`` (unknown or NULL: Kleene logic). Anything the
evaluator cannot decide (columns, placeholders, subqueries, functions) is
``None``, so only predicates that are provably always true are reported. A
comparison of an expression with itself (``x = x``) counts as true: it holds
for every row whose value is not NULL, which is what a bulk delete means.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeGuard

from sqlglot import exp

from .text import MARKER


class _Null:
    """The SQL NULL value (distinct from None, which means "not known")."""


NULL = _Null()
_UNKNOWN = object()

# Constants of different kinds ('a' < 1) raise TypeError, which the callers catch: the values are Any.
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    exp.EQ: lambda a, b: a == b, exp.NEQ: lambda a, b: a != b,
    exp.GT: lambda a, b: a > b, exp.GTE: lambda a, b: a >= b,
    exp.LT: lambda a, b: a < b, exp.LTE: lambda a, b: a <= b,
}
# What a comparison of an expression with itself yields (for non-NULL values).
_SELF_COMPARE: dict[type, bool] = {exp.EQ: True, exp.GTE: True, exp.LTE: True, exp.NullSafeEQ: True,
                 exp.NEQ: False, exp.GT: False, exp.LT: False}
_ARITH: dict[type, Callable[[float, float], float]] = {
    exp.Add: lambda a, b: a + b, exp.Sub: lambda a, b: a - b, exp.Mul: lambda a, b: a * b,
}


def always_true(predicate: exp.Expr | None, volatile: frozenset[str] = frozenset()) -> bool:
    """True when the predicate holds for every row (so it filters nothing)."""
    if predicate is None:
        return False
    return truth(predicate, volatile) is True


def truth(node: exp.Expr, volatile: frozenset[str] = frozenset()) -> bool | None:
    """The truth value of a boolean expression: True, False or None (unknown / NULL)."""
    handler = _TRUTH.get(type(node))
    if handler is not None:
        return handler(node, volatile)
    value = constant(node)
    if value is _UNKNOWN or value is NULL:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0            # WHERE 1 (MySQL, SQLite)
    return None


def _paren(node: exp.Expr, volatile: frozenset[str]) -> bool | None:
    return truth(node.this, volatile)


def _not(node: exp.Expr, volatile: frozenset[str]) -> bool | None:
    inner = truth(node.this, volatile)
    return None if inner is None else not inner


def _and(node: exp.Expr, volatile: frozenset[str]) -> bool | None:
    left, right = truth(node.this, volatile), truth(node.expression, volatile)
    if left is False or right is False:
        return False
    return True if left is True and right is True else None


def _or(node: exp.Expr, volatile: frozenset[str]) -> bool | None:
    parts = _flatten_or(node)
    values = [truth(part, volatile) for part in parts]
    if any(v is True for v in values) or _complementary_null_tests(parts) \
            or _complementary_comparisons(parts, volatile):
        return True
    return False if all(v is False for v in values) else None


def _flatten_or(node: exp.Expr) -> list[exp.Expr]:
    if isinstance(node, exp.Or):
        return _flatten_or(node.this) + _flatten_or(node.expression)
    if isinstance(node, exp.Paren) and isinstance(node.this, exp.Or):
        return _flatten_or(node.this)
    return [node]


def _null_test(node: exp.Expr) -> tuple[exp.Expr, bool] | None:
    """(operand, negated) for ``x IS NULL`` / ``x IS NOT NULL`` / ``NOT x IS NULL``."""
    negated = False
    while isinstance(node, (exp.Not, exp.Paren)):
        negated ^= isinstance(node, exp.Not)
        node = node.this
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        return node.this, negated ^ bool(node.args.get("negate"))
    return None


def _complementary_null_tests(parts: list[exp.Expr]) -> bool:
    """``x IS NULL OR x IS NOT NULL`` (in any order, among other disjuncts)."""
    tests = [t for t in map(_null_test, parts) if t is not None]
    return any(a[0] == b[0] and a[1] != b[1] for a in tests for b in tests)


# Comparisons of which one holds whenever the other does not (for non-NULL values), and the
# comparison read from the other side (1 < x is x > 1).
_COMPLEMENT: dict[type, type] = {exp.EQ: exp.NEQ, exp.NEQ: exp.EQ, exp.GT: exp.LTE, exp.LTE: exp.GT,
                                 exp.LT: exp.GTE, exp.GTE: exp.LT}
_MIRROR: dict[type, type] = {exp.EQ: exp.EQ, exp.NEQ: exp.NEQ, exp.GT: exp.LT, exp.LT: exp.GT,
                             exp.GTE: exp.LTE, exp.LTE: exp.GTE}


def _against_constant(node: exp.Expr, volatile: frozenset[str]) -> tuple[exp.Expr, type, object] | None:
    """(expression, comparison, constant) of ``x > 5`` or ``5 < x``, x deterministic; else None."""
    while isinstance(node, exp.Paren):
        node = node.this
    if type(node) not in _MIRROR:
        return None
    left, right = node.this, node.expression
    a, b = constant(left), constant(right)
    if a is _UNKNOWN and b is not _UNKNOWN and b is not NULL and deterministic(left, volatile):
        return left, type(node), b
    if b is _UNKNOWN and a is not _UNKNOWN and a is not NULL and deterministic(right, volatile):
        return right, _MIRROR[type(node)], a
    return None


def _complementary_comparisons(parts: list[exp.Expr], volatile: frozenset[str]) -> bool:
    """``id > 0 OR id <= 0``, ``status = 'x' OR status <> 'x'`` (among other disjuncts): every row
    whose value is not NULL, as ``x = x`` is."""
    tests = [t for t in (_against_constant(part, volatile) for part in parts) if t is not None]
    return any(a[0] == b[0] and a[2] == b[2] and _COMPLEMENT[a[1]] is b[1] for a in tests for b in tests)


def _compare(node: exp.Expr, volatile: frozenset[str]) -> bool | None:
    left, right = node.this, node.expression
    a, b = constant(left), constant(right)
    if a is not _UNKNOWN and b is not _UNKNOWN:
        if a is NULL or b is NULL:
            return True if isinstance(node, exp.NullSafeEQ) and a is b else None
        try:
            return _COMPARE.get(type(node), _COMPARE[exp.EQ])(_comparable(a), _comparable(b))
        except TypeError:
            return None
    if left == right and deterministic(left, volatile):
        return _SELF_COMPARE[type(node)]
    return None


def _number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _comparable(value: object) -> Any:
    return float(value) if _number(value) else value


def _is(node: exp.Expr, volatile: frozenset[str]) -> bool | None:
    value = constant(node.this)
    negate = bool(node.args.get("negate"))
    if isinstance(node.expression, exp.Null) and value is not _UNKNOWN:
        return (value is not NULL) if negate else (value is NULL)
    if isinstance(node.expression, exp.Boolean):
        inner = truth(node.this, volatile)
        if inner is None:
            return None
        result = inner is node.expression.this
        return not result if negate else result
    return None


def _in(node: exp.Expr, volatile: frozenset[str]) -> bool | None:
    if node.args.get("query") is not None or node.args.get("unnest") is not None:
        return None
    choices = node.expressions
    needle = constant(node.this)
    if needle is not _UNKNOWN and needle is not NULL:
        values = [constant(c) for c in choices]
        if any(_comparable(v) == _comparable(needle) for v in values if v is not _UNKNOWN):
            return True
        return False if all(v is not _UNKNOWN and v is not NULL for v in values) else None
    if any(c == node.this for c in choices) and deterministic(node.this, volatile):
        return True
    return None


def _between(node: exp.Expr, volatile: frozenset[str]) -> bool | None:
    value, low, high = constant(node.this), constant(node.args.get("low")), constant(node.args.get("high"))
    if _UNKNOWN in (value, low, high) or NULL in (value, low, high):
        return None
    try:
        return _comparable(low) <= _comparable(value) <= _comparable(high)
    except TypeError:
        return None


def _like(node: exp.Expr, volatile: frozenset[str]) -> bool | None:
    pattern = constant(node.expression)
    if isinstance(pattern, str) and pattern and set(pattern) == {"%"}:
        subject = constant(node.this)
        if subject is NULL:
            return None
        return True if subject is not _UNKNOWN or deterministic(node.this, volatile) else None
    return None


def _exists(node: exp.Expr, volatile: frozenset[str]) -> bool | None:
    """``EXISTS (SELECT 1)`` with no FROM and no WHERE is always true."""
    query = node.this
    if isinstance(query, exp.Select) and not query.args.get("from_") and not query.args.get("from") \
            and not query.args.get("where") and not query.args.get("having"):
        return True
    return None


def _coalesce(node: exp.Expr, volatile: frozenset[str]) -> bool | None:
    """COALESCE(a, b, ...): the first argument known to be non-NULL decides."""
    for arg in [node.this, *node.expressions]:
        if constant(arg) is NULL:
            continue
        value = truth(arg, volatile)
        if value is None:
            return None
        return value
    return None


_TRUTH: dict[type, Callable[[exp.Expr, frozenset[str]], bool | None]] = {
    exp.Paren: _paren, exp.Not: _not, exp.And: _and, exp.Or: _or,
    exp.EQ: _compare, exp.NEQ: _compare, exp.GT: _compare, exp.GTE: _compare,
    exp.LT: _compare, exp.LTE: _compare, exp.NullSafeEQ: _compare,
    exp.Is: _is, exp.In: _in, exp.Between: _between, exp.Like: _like, exp.ILike: _like,
    exp.Exists: _exists, exp.Coalesce: _coalesce,
}


def constant(node: exp.Expr | None) -> object:
    """The constant value of an expression, NULL, or _UNKNOWN."""
    if node is None:
        return _UNKNOWN
    if isinstance(node, exp.Paren):
        return constant(node.this)
    if isinstance(node, exp.Null):
        return NULL
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if isinstance(node, exp.Literal):
        return _literal(node)
    if isinstance(node, exp.Neg):
        value = constant(node.this)
        return -value if _number(value) else _UNKNOWN
    if type(node) in _ARITH:
        a, b = constant(node.this), constant(node.expression)
        if _number(a) and _number(b):
            return _ARITH[type(node)](a, b)
        return NULL if NULL in (a, b) else _UNKNOWN
    if isinstance(node, exp.Cast):
        return constant(node.this)
    if isinstance(node, exp.Coalesce):
        for arg in [node.this, *node.expressions]:
            value = constant(arg)
            if value is not NULL:
                return value
        return NULL
    if isinstance(node, (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Not, exp.And, exp.Or)):
        value = truth(node)
        return _UNKNOWN if value is None else value
    return _UNKNOWN


def _literal(node: exp.Literal) -> object:
    if node.is_string:
        return node.this
    try:
        return int(node.this)
    except ValueError:
        try:
            return float(node.this)
        except ValueError:
            return _UNKNOWN


def deterministic(node: exp.Expr, volatile: frozenset[str] = frozenset()) -> bool:
    """Whether two copies of ``node`` always have the same value within a row:
    no placeholders or template holes (two ``?`` are two different values),
    no volatile functions (RANDOM() = RANDOM() is not always true), no subqueries."""
    for sub in node.walk():
        if isinstance(sub, (exp.Placeholder, exp.Parameter, exp.Query, exp.Rand, exp.Anonymous)):
            return False
        if isinstance(sub, exp.Identifier) and MARKER.fullmatch(sub.name or ""):
            return False
        if isinstance(sub, exp.Func) and _function_name(sub) in volatile:
            return False
    return True


def _function_name(node: exp.Func) -> str:
    try:
        return node.sql_name().upper()
    except Exception:  # noqa: BLE001 - some function classes have no SQL name
        return type(node).__name__.upper()
