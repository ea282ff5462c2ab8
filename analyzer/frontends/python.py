"""The Python front end: what a Python unit would do, read without running it.

One pass over Python's own syntax tree (``ast``), with name resolution of our
own: imports and aliases, objects made by known constructors, constant
folding of strings, constant payloads of ``exec``/``eval`` (decoded and read
again), and taint from data sources to network sinks. libcst's scope and
qualified-name providers cost ~74x a plain parse (FACTS.md), too much for a
gate that runs before every notebook cell, so they are not used here.

Which APIs do what is the catalogue's knowledge (rules/python.yaml); this
module knows Python, not boto3.
"""
from __future__ import annotations

import ast
import os
import re
import fnmatch
import io
import shlex
import sys
import tokenize
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from ..catalogue import load_catalogue
from ..model import Analysis, AnalysisError, Comment, Location, Operation, Touch, make_details
from . import Options, analyze as analyze_embedded
from .python_catalogue import Entry, PythonCatalogue, bare, python_catalogue, segments
from .python_values import (HOLE_PATTERN, UNKNOWN, Holes, Value, as_text_piece, const, decode_call, merge_taint,
                            percent_format, sequence_value, str_method)

SQL_KEYWORDS = ("select", "with", "insert", "update", "delete", "drop", "truncate", "alter", "create", "merge",
                "grant", "revoke", "copy", "unload", "export", "vacuum", "replace", "upsert", "call", "exec",
                "execute", "begin", "set", "use", "show", "describe", "explain", "declare", "do", "purge",
                "optimize", "undrop", "remove", "put", "get", "list", "comment", "analyze", "refresh", "restore")
REMOTE_SCHEMES = ("s3", "s3a", "s3n", "gs", "gcs", "az", "abfs", "abfss", "wasb", "wasbs", "adl", "http", "https",
                  "ftp", "sftp", "ssh", "scp", "r2", "oss", "cos", "swift", "webdav", "dropbox", "gdrive")
ENV_SOURCE = "environment secret"


@dataclass
class FunctionSummary:
    name: str
    returns: Value = UNKNOWN
    returned: bool = False
    node: object = None                 # the FunctionDef, to read again with a call's arguments
    found: frozenset = frozenset()      # (rule, targets) found reading it with unknown arguments
    # Destructive operations of the body (index in the unit's operations -> (rule, line)), and
    # whether every call seen so far gave them a scratch target (None: no call seen).
    body_ops: dict = field(default_factory=dict)
    scratch_at_calls: dict = field(default_factory=dict)


@dataclass
class Scope:
    names: dict[str, Value] = field(default_factory=dict)
    function: FunctionSummary | None = None


class PythonSession:
    """Name bindings and taint that persist across units: the cells of one notebook or kernel."""

    def __init__(self) -> None:
        self.module = Scope()
        self.holes = Holes()
        self.shared: dict = {}   # state of embedded front ends across units (temporary tables ...)
        # Binding statements of units that held no trigger word, read only when a later unit
        # needs them: most cells never do, and then they cost nothing.
        self.pending: list[tuple[str, Location, Options, list[ast.stmt], int]] = []

    def flush(self) -> None:
        """Read the bindings of the units that were put aside, in order."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        catalogue = python_catalogue()
        scratch = Analysis()
        for text, origin, options, statements, line_offset in pending:
            Walker(text, origin, options, self, catalogue, scratch, line_offset).block(statements)

    def interesting_names(self) -> set[str]:
        """Names whose values matter later (tainted, scratch, aliases of APIs, clients)."""
        return {name for name, value in self.module.names.items()
                if value.taint or value.scratch or value.host or (value.qname and value.qname != name)}

    def analyze(self, text: str, origin: Location, options: Options | None = None,
                tree: ast.Module | None = None) -> Analysis:
        return analyze(text, origin, options or Options(), session=self, tree=tree)


def analyze(text: str, origin: Location, options: Options, session: PythonSession | None = None,
            tree: ast.Module | None = None) -> Analysis:
    catalogue = python_catalogue()
    result = Analysis()
    if "execgate" in text:
        result.comments.extend(_comments(text, origin))
    worth = not options.prefilter or _worth_parsing(text, catalogue, session)
    session_given = session is not None
    session = session or PythonSession()
    if tree is not None:
        units = [(tree, 0)]
    else:
        # Parsed even when nothing is worth reading, so that a syntax error is always reported.
        units = _parse_best_effort(text, origin, result)
    if worth:
        session.flush()
    for unit, line_offset in units:
        if worth:
            Walker(text, origin, options, session, catalogue, result, line_offset).run(unit)
        elif session_given:
            # Nothing here can be an operation, but later cells may use what it binds.
            bindings = [s for s in unit.body if isinstance(s, _BINDING_STATEMENTS)]
            if bindings and len(session.pending) < 10_000:
                session.pending.append((text, origin, options, bindings, line_offset))
            elif bindings:
                session.flush()
                Walker(text, origin, options, session, catalogue, result, line_offset).block(bindings)
    return result


def _worth_parsing(text: str, catalogue: PythonCatalogue, session: PythonSession | None) -> bool:
    """Whether any rule could fire: a trigger word of the catalogue, or (in a session) a name
    an earlier unit bound to something that matters (an alias, tainted data, a client)."""
    if catalogue.trigger.search(text):
        return True
    if session is not None:
        return any(name.split(".")[0] in text for name in session.interesting_names())
    return False


_PATH_INTO_ARGUMENT = frozenset({"extract", "copy", "copy2", "copyfile", "move", "copytree", "urlretrieve",
                                 "download_file", "hf_hub_download"})
_JINJA_EXPRESSION = re.compile(r"\{\{.*?\}\}")
_CONFIG_FILES = (".json", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".env")
_BINDING_STATEMENTS = (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.AugAssign)


def _comments(text: str, origin: Location) -> list[Comment]:
    """Real comments only: tokenize knows what is inside a string literal."""
    comments = []
    lines = text.splitlines()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                line, col = token.start
                standalone = not lines[line - 1][:col].strip() if line - 1 < len(lines) else True
                location = _shift(origin, line, col + 1)
                comments.append(Comment(location, token.string[1:].strip(), standalone))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return comments


def _shift(origin: Location, line: int, column: int) -> Location:
    """Location of (line, column) of a unit that starts at ``origin``."""
    return replace(origin, line=origin.line + line - 1,
                   column=(origin.column + column - 1) if line == 1 else column,
                   file_line=None if origin.file_line is None else origin.file_line + line - 1)


def _max_nesting(text: str) -> int:
    """How deep brackets nest (strings not excluded: an over-estimate is the safe side)."""
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif char in ")]}":
            depth = max(0, depth - 1)
    return deepest


def _parse_by_statement(text: str) -> tuple[list[tuple[ast.Module, int]], int] | None:
    """Valid Python that this interpreter's ``ast`` cannot parse (newer syntax: PEP 695 generics,
    3.12 f-strings, ``type`` aliases): libcst knows the grammars of Python 3.0-3.15 and gives
    exact statement boundaries, so every top-level statement ``ast`` can read is still read.
    None when libcst rejects the text too (a real syntax error)."""
    if len(text) > 1_000_000 or _max_nesting(text) > 64:
        # libcst's native parser overflows its stack on deep nesting (the process dies):
        # hostile input never reaches it.
        return None
    try:
        import libcst
        from libcst.metadata import MetadataWrapper, PositionProvider
    except ImportError:  # pragma: no cover - libcst is a dependency
        return None
    try:
        module = libcst.parse_module(text)
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    except Exception:  # noqa: BLE001 - libcst's own parse errors and recursion limits alike
        return None
    units: list[tuple[ast.Module, int]] = []
    unread = 0
    for statement in module.body:
        code = module.code_for_node(statement)
        # The code starts with the statement's leading blank and comment lines.
        start = positions[statement].start.line - len(getattr(statement, "leading_lines", ()))
        try:
            units.append((ast.parse(code), start - 1))
        except (SyntaxError, ValueError, RecursionError):
            unread += 1
    return units, unread


def _parse_best_effort(text: str, origin: Location, result: Analysis) -> list[tuple[ast.Module, int]]:
    """Parse the unit; on a syntax error report it and still read the parts that parse."""
    try:
        return [(ast.parse(text, type_comments=False), 0)]
    except SyntaxError as exc:
        error_line = exc.lineno or 1
        by_statement = _parse_by_statement(text)
        if by_statement is not None:
            units, unread = by_statement
            if unread:
                result.errors.append(AnalysisError(
                    origin.path, f"uses syntax of a newer Python than the one running execgate "
                                 f"({sys.version_info.major}.{sys.version_info.minor}): {exc.msg}; "
                                 f"{unread} statement(s) not read", origin.line + error_line - 1, origin.cell))
            return units
        result.errors.append(AnalysisError(origin.path, f"syntax error: {exc.msg}", origin.line + error_line - 1,
                                           origin.cell))
    except (ValueError, RecursionError, MemoryError) as exc:
        result.errors.append(AnalysisError(origin.path, f"cannot parse: {type(exc).__name__}", origin.line, origin.cell))
        return []
    lines = text.splitlines(keepends=True)
    units: list[tuple[ast.Module, int]] = []
    start = 0
    guard = 0
    while start < len(lines) and guard < 200:
        guard += 1
        chunk = "".join(lines[start:])
        try:
            units.append((ast.parse(chunk), start))
            break
        except SyntaxError as exc:
            bad = start + (exc.lineno or 1) - 1
        except (ValueError, RecursionError, MemoryError):
            break
        # The longest prefix before the bad line that ends at a top-level statement.
        for end in range(bad, start, -1):
            if end < len(lines) and lines[end][:1] not in (" ", "\t", "\n", "#", ")", "]", "}"):
                pass
            try:
                units.append((ast.parse("".join(lines[start:end])), start))
                break
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue
        # Resume at the next line after the bad one that starts at column 0.
        start = bad + 1
        while start < len(lines) and (lines[start][:1] in (" ", "\t") or not lines[start].strip()):
            start += 1
    return units


class Walker:
    """One pass over a unit's statements in order, evaluating expressions to :class:`Value`s."""

    def __init__(self, text: str, origin: Location, options: Options, session: PythonSession,
                 catalogue: PythonCatalogue, result: Analysis, line_offset: int) -> None:
        self.text = text
        self.lines = text.splitlines()
        self.origin = origin
        self.options = options
        self.session = session
        self.catalogue = catalogue
        self.rules = load_catalogue().rules
        self.result = result
        self.line_offset = line_offset
        self.scopes: list[Scope] = [session.module]
        self.holes = session.holes
        self._followups: dict[int, list[str]] | None = None   # id(call node) -> methods chained on it
        self.inline_depth = 0
        self.summaries: list[FunctionSummary] = []
        self.tree: ast.AST | None = None

    # -- driving ---------------------------------------------------------------------

    def run(self, tree: ast.Module) -> None:
        self.tree = tree
        self.block(tree.body)
        for summary in self.summaries:
            for index, scratch in summary.scratch_at_calls.items():
                if scratch and index < len(self.result.operations):
                    self.result.operations[index] = replace(self.result.operations[index], scratch=True)

    def followups_of(self, call: ast.Call) -> list[str]:
        """Methods called on a call's result (``delete(t).where(...)``); indexed on first need."""
        if self._followups is None:
            self._followups = {}
            for node in ast.walk(self.tree):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Call):
                    self._followups.setdefault(id(node.value), []).append(node.attr)
        return self._followups.get(id(call), [])

    def block(self, statements: list[ast.stmt]) -> None:
        for statement in statements:
            try:
                self.statement(statement)
            except RecursionError:
                self.result.errors.append(AnalysisError(self.origin.path, "expression nested too deeply to analyse",
                                                        self.loc(statement).line, self.origin.cell))

    # -- locations -----------------------------------------------------------------------

    def loc(self, node: ast.AST) -> Location:
        line = getattr(node, "lineno", 1) + self.line_offset
        return _shift(self.origin, line, getattr(node, "col_offset", 0) + 1)

    def source_line(self, node: ast.AST) -> str:
        index = getattr(node, "lineno", 1) + self.line_offset - 1
        return self.lines[index].strip() if 0 <= index < len(self.lines) else ""

    def source_of(self, node: ast.AST) -> str:
        try:
            text = ast.unparse(node)
        except Exception:  # noqa: BLE001 - unparse of odd trees must not stop analysis
            text = "<expression>"
        return text if len(text) <= 120 else text[:117] + "..."

    # -- scopes ----------------------------------------------------------------------------

    def lookup(self, name: str) -> Value | None:
        for scope in reversed(self.scopes):
            if name in scope.names:
                return scope.names[name]
        return None

    def bind(self, name: str, value: Value) -> None:
        # Attribute bindings (self.client = ...) are shared by all methods: keep them module-wide.
        scope = self.scopes[0] if "." in name else self.scopes[-1]
        scope.names[name] = value

    # -- statements ---------------------------------------------------------------------------

    def statement(self, node: ast.stmt) -> None:
        method = getattr(self, "stmt_" + type(node).__name__, None)
        if method is not None:
            method(node)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child)
            elif isinstance(child, ast.stmt):
                self.statement(child)
            elif isinstance(child, (ast.excepthandler, ast.match_case)):
                for grandchild in ast.iter_child_nodes(child):
                    if isinstance(grandchild, ast.stmt):
                        self.statement(grandchild)
                    elif isinstance(grandchild, ast.expr):
                        self.expr(grandchild)

    def stmt_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.bind(alias.asname, Value(qname=alias.name))
            else:
                root = alias.name.split(".")[0]
                self.bind(root, Value(qname=root))

    def stmt_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            if alias.name == "*":
                continue
            self.bind(alias.asname or alias.name, Value(qname=f"{module}.{alias.name}" if module else alias.name))

    def stmt_Assign(self, node: ast.Assign) -> None:
        value = self.expr(node.value)
        for target in node.targets:
            self.assign(target, value, node.value)

    def stmt_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.assign(node.target, self.expr(node.value), node.value)

    def stmt_AugAssign(self, node: ast.AugAssign) -> None:
        right = self.expr(node.value)
        if isinstance(node.target, ast.Name):
            left = self.lookup(node.target.id) or UNKNOWN
            combined = self.binop(left, node.op, right)
            self.bind(node.target.id, combined)
        else:
            self.expr(node.target)

    def assign(self, target: ast.expr, value: Value, value_node: ast.expr | None = None) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, value)
        elif isinstance(target, ast.Attribute):
            name = self.dotted(target)
            if name:
                self.bind(name, value)
            self.expr(target.value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            parts = value.elements if len(value.elements) == len(target.elts) else ()
            for index, element in enumerate(target.elts):
                part = parts[index] if parts else Value(taint=value.taint, scratch=value.scratch)
                self.assign(element.value if isinstance(element, ast.Starred) else element, part)
        elif isinstance(target, ast.Subscript):
            container = self.expr(target.value)
            self.expr(target.slice)
            if isinstance(target.value, ast.Name) and value.taint and not container.taint:
                self.bind(target.value.id, container.with_taint(value.taint))

    def dotted(self, node: ast.expr) -> str | None:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name):
            parts.append(node.id)
            return ".".join(reversed(parts))
        return None

    def stmt_For(self, node: ast.For | ast.AsyncFor) -> None:
        iterable = self.expr(node.iter)
        self.assign(node.target, self.element_of(iterable))
        self.block(node.body)
        self.block(node.orelse)

    stmt_AsyncFor = stmt_For

    def stmt_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            value = self.expr(item.context_expr)
            if item.optional_vars is not None:
                self.assign(item.optional_vars, value)
        self.block(node.body)

    stmt_AsyncWith = stmt_With

    def stmt_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.expr(decorator)
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            self.expr(default)
        summary = FunctionSummary(node.name)
        scope = Scope(function=summary)
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        for extra in (node.args.vararg, node.args.kwarg):
            if extra is not None:
                arguments.append(extra)
        for argument in arguments:
            scope.names[argument.arg] = Value(qname=argument.arg,
                                              scratch=argument.arg in self.catalogue.scratch_parameters)
        self.scopes.append(scope)
        before = len(self.result.operations)
        try:
            self.block(node.body)
        finally:
            self.scopes.pop()
        summary.node = node
        summary.found = frozenset((op.rule, op.targets) for op in self.result.operations[before:])
        summary.body_ops = {index: (op.rule, op.location.line)
                            for index, op in enumerate(self.result.operations[before:], start=before)
                            if op.category == "destructive" and not op.scratch}
        self.summaries.append(summary)
        self.bind(node.name, Value(qname=node.name, function=summary))

    stmt_AsyncFunctionDef = stmt_FunctionDef

    def stmt_ClassDef(self, node: ast.ClassDef) -> None:
        for expression in node.bases + node.decorator_list + [k.value for k in node.keywords]:
            self.expr(expression)
        self.scopes.append(Scope())
        try:
            self.block(node.body)
        finally:
            self.scopes.pop()
        self.bind(node.name, Value(qname=node.name))

    def stmt_Return(self, node: ast.Return) -> None:
        if node.value is None:
            return
        value = self.expr(node.value)
        for scope in reversed(self.scopes):
            if scope.function is not None:
                previous = scope.function.returns
                first = not scope.function.returned
                scope.function.returned = True
                # What the function gives back: the API or client it returns (when every return
                # agrees), the union of its taint, scratch only if every return is scratch.
                qname = value.qname if first or previous.qname == value.qname else None
                returned = (previous.options if not first else ()) + (value,)
                single = value if first else None
                scope.function.returns = Value(qname=qname, host=value.host if first else previous.host,
                                               taint=previous.taint | value.taint,
                                               scratch=value.scratch if first else (value.scratch and previous.scratch),
                                               calls=value.calls, options=returned[-8:],
                                               const=single.const if single else None,
                                               known=bool(single and single.known), members=value.members)
                break

    # -- expressions -----------------------------------------------------------------------------

    def expr(self, node: ast.expr) -> Value:
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is not None:
            return method(node)
        values = [self.expr(child) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr)]
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.comprehension):
                self.comprehension(child)
        return Value(taint=merge_taint(values))

    def expr_Constant(self, node: ast.Constant) -> Value:
        return const(node.value, node=node)

    def expr_Name(self, node: ast.Name) -> Value:
        bound = self.lookup(node.id)
        if bound is not None:
            return bound
        if node.id in self.catalogue.source_names:
            return Value(qname=node.id, taint=frozenset({ENV_SOURCE}))
        return Value(qname=node.id)

    def expr_Attribute(self, node: ast.Attribute) -> Value:
        return self.attribute(node)[1]

    def attribute(self, node: ast.Attribute) -> tuple[Value, Value]:
        """(the object, the attribute) of ``obj.attr``; bindings of dotted names win."""
        dotted = self.dotted(node)
        if dotted is not None and "." in dotted:
            bound = self.lookup(dotted)
            if bound is not None:
                owner = self.lookup(dotted.rsplit(".", 1)[0]) or Value(qname=dotted.rsplit(".", 1)[0])
                return owner, bound
        base = self.expr(node.value)
        qname = f"{base.qname}.{node.attr}" if base.qname else None
        if base.qname in ("__builtins__", "builtins") and not node.attr.startswith("__"):
            qname = node.attr   # __builtins__.exec is exec
        taint = base.taint
        if qname in self.catalogue.source_names:
            taint = taint | {ENV_SOURCE}
        return base, Value(qname=qname, taint=taint, host=base.host,
                           scratch=base.scratch and node.attr in ("name", "parent"))

    def expr_Subscript(self, node: ast.Subscript) -> Value:
        base = self.expr(node.value)
        key = self.expr(node.slice)
        taint = base.taint | key.taint
        if base.qname in self.catalogue.source_subscripts:
            source = self.catalogue.source_subscripts[base.qname]
            if key.known and isinstance(key.const, str):
                # The named variable replaces the generic label the mapping itself carries.
                return Value(taint=(taint - {source}) | {f"{source} {key.const}"}, qname=f"{base.qname}[]")
            return Value(taint=taint | {source}, qname=f"{base.qname}[]")
        if base.known and key.known and not base.partial:
            try:
                if isinstance(node.slice, ast.Slice) or isinstance(key.const, (int, str)):
                    folded = base.const[key.const] if not isinstance(node.slice, ast.Slice) else base.const[key.const]
                    return const(folded, taint=taint)
            except (TypeError, KeyError, IndexError, ValueError):
                pass
        # vars(os)["remove"], os.__dict__["remove"], sys.modules["shutil"], globals()["x"]
        if key.known and isinstance(key.const, str) and base.qname:
            if base.qname.endswith(("vars()", "__dict__")) or base.qname in ("sys.modules",):
                owner = base.qname.rsplit(".", 1)[0] if base.qname.endswith("__dict__") else base.host
                if base.qname == "sys.modules":
                    return Value(qname=key.const)
                if owner in ("builtins", "__builtins__"):
                    return Value(qname=key.const)
                if owner:
                    return Value(qname=f"{owner}.{key.const}")
            if base.qname in ("globals()", "locals()", "__builtins__", "builtins.__dict__", "__builtins__.__dict__",
                              "vars()") and (base.qname != "vars()" or base.host in ("builtins", "__builtins__")):
                return self.lookup(key.const) or Value(qname=key.const)
        if base.members:
            found = self.member_of(base, key)
            if found is not None:
                return found
        elements = base.elements
        if elements and key.known and isinstance(key.const, int) and -len(elements) <= key.const < len(elements):
            return elements[key.const]
        return Value(qname=f"{base.qname}[]" if base.qname else None, taint=taint, host=base.host,
                     scratch=base.scratch)

    def member_of(self, base: Value, key: Value) -> Value | None:
        """{"clean": shutil.rmtree}[action]: that member, or any of them when the key is unknown."""
        for member_key, member in base.members:
            if key.known and member_key == key.const:
                return member
        if not key.known:
            return Value(options=tuple(m for _, m in base.members), taint=base.taint | key.taint)
        return None

    def expr_Slice(self, node: ast.Slice) -> Value:
        parts = [self.expr(p) if p is not None else const(None) for p in (node.lower, node.upper, node.step)]
        if all(p.known for p in parts):
            try:
                return const(slice(*(p.const for p in parts)))
            except TypeError:
                pass
        return Value(taint=merge_taint(parts))

    def expr_JoinedStr(self, node: ast.JoinedStr) -> Value:
        pieces = []
        partial = False
        taint: frozenset = frozenset()
        for value in node.values:
            if isinstance(value, ast.Constant):
                pieces.append(str(value.value))
                continue
            inner = self.expr(value.value if isinstance(value, ast.FormattedValue) else value)
            if isinstance(value, ast.FormattedValue) and value.format_spec is not None:
                self.expr(value.format_spec)
            text, hole = as_text_piece(inner, self.holes)
            pieces.append(text)
            partial = partial or hole
            taint = taint | inner.taint
        return const("".join(pieces), node=node if not partial else None, partial=partial, taint=taint)

    def expr_BinOp(self, node: ast.BinOp) -> Value:
        return self.binop(self.expr(node.left), node.op, self.expr(node.right))

    def binop(self, left: Value, op: ast.operator, right: Value) -> Value:
        taint = left.taint | right.taint
        if isinstance(op, ast.Add):
            if left.known and right.known and isinstance(left.const, (str, bytes)) and type(left.const) is type(right.const):
                return const(left.const + right.const, partial=left.partial or right.partial, taint=taint)
            if (left.known and isinstance(left.const, str)) or (right.known and isinstance(right.const, str)):
                a, hole_a = as_text_piece(left, self.holes)
                b, hole_b = as_text_piece(right, self.holes)
                return const(a + b, partial=True, taint=taint, scratch=left.scratch)
            if left.known and right.known and isinstance(left.const, (tuple, list)) and isinstance(right.const, (tuple, list)):
                return sequence_value(list(left.elements) + list(right.elements), type(left.const)) \
                    if left.elements and right.elements else Value(taint=taint)
        if isinstance(op, ast.Mod) and left.known and isinstance(left.const, str):
            return percent_format(left, right, self.holes) or Value(taint=taint)
        if isinstance(op, ast.Mult) and left.known and right.known:
            if isinstance(left.const, (str, bytes)) and isinstance(right.const, int) and 0 <= right.const <= 1000:
                return const(left.const * right.const, taint=taint)
        if isinstance(op, ast.Div) and left.qname and (left.qname.endswith("Path()") or left.scratch):
            path = None
            if left.known and right.known and isinstance(left.const, str) and isinstance(right.const, str):
                path = left.const.rstrip("/") + "/" + right.const
            return Value(qname=left.qname, const=path, known=path is not None, taint=taint, scratch=left.scratch)
        if left.known and right.known and isinstance(left.const, int) and isinstance(right.const, int):
            try:
                folded = _fold_int(op, left.const, right.const)
                if folded is not None:
                    return const(folded)
            except (ArithmeticError, ValueError):
                pass
        return Value(taint=taint, scratch=left.scratch and isinstance(op, ast.Div))

    def expr_BoolOp(self, node: ast.BoolOp) -> Value:
        values = [self.expr(v) for v in node.values]
        first = next((v for v in values if v.known or v.qname), UNKNOWN)
        return replace(first, taint=merge_taint(values), scratch=all(v.scratch for v in values) and bool(values))

    def expr_IfExp(self, node: ast.IfExp) -> Value:
        self.expr(node.test)
        body, orelse = self.expr(node.body), self.expr(node.orelse)
        if body.known and orelse.known and body.const == orelse.const:
            return body.with_taint(orelse.taint)
        return Value(taint=body.taint | orelse.taint, scratch=body.scratch and orelse.scratch,
                     qname=body.qname if body.qname == orelse.qname else None, options=(body, orelse))

    def expr_List(self, node: ast.List | ast.Tuple | ast.Set) -> Value:
        values: list[Value] = []
        flat = True
        for element in node.elts:
            if isinstance(element, ast.Starred):
                inner = self.expr(element.value)
                if inner.known and isinstance(inner.const, (tuple, list)):
                    values.extend(inner.elements or tuple(const(c) for c in inner.const))   # ["git", *args]
                else:
                    values.append(inner)
                    flat = False
            else:
                values.append(self.expr(element))
        if not flat:
            return Value(taint=merge_taint(values), elements=tuple(values))
        return sequence_value(values, tuple)

    expr_Tuple = expr_List
    expr_Set = expr_List

    def expr_Dict(self, node: ast.Dict) -> Value:
        keys = [self.expr(k) if k is not None else UNKNOWN for k in node.keys]
        values = [self.expr(v) for v in node.values]
        taint = merge_taint(keys) | merge_taint(values)
        members = tuple((k.const, v) for k, v in zip(keys, values) if k.known and isinstance(k.const, (str, int)))
        if all(k.known for k in keys) and all(v.known for v in values) and None not in node.keys:
            try:
                return Value(const=dict(zip((k.const for k in keys), (v.const for v in values))), known=True,
                             taint=taint, elements=tuple(values), members=members)
            except TypeError:
                pass
        return Value(taint=taint, elements=tuple(values), members=members)

    def expr_Lambda(self, node: ast.Lambda) -> Value:
        scope = Scope()
        for argument in node.args.posonlyargs + node.args.args + node.args.kwonlyargs:
            scope.names[argument.arg] = Value(qname=argument.arg)
        self.scopes.append(scope)
        try:
            self.expr(node.body)
        finally:
            self.scopes.pop()
        return Value(qname="<lambda>")

    def element_of(self, iterable: Value) -> Value:
        """What a loop variable holds: any element of a known list (each one is checked where it is
        used), else an unknown element with the list's taint."""
        options = iterable.elements or iterable.options
        if not options and iterable.members:
            options = tuple(key for key, _ in iterable.members)
            options = tuple(const(k) for k in options)
        taint = iterable.taint | merge_taint(iterable.elements)
        if options and len(options) <= 64:
            return Value(options=tuple(options), taint=taint, scratch=all(o.scratch for o in options))
        return Value(taint=taint, scratch=iterable.scratch,
                     qname=(iterable.qname + "[]") if iterable.qname else None)

    def comprehension(self, node: ast.comprehension) -> None:
        iterable = self.expr(node.iter)
        self.assign(node.target, self.element_of(iterable))
        for condition in node.ifs:
            self.expr(condition)

    def _comprehension_expr(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> Value:
        self.scopes.append(Scope())
        try:
            for generator in node.generators:
                self.comprehension(generator)
            parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            values = [self.expr(p) for p in parts]
        finally:
            self.scopes.pop()
        folded = self._fold_chr_comprehension(node)
        if folded is not None:
            return folded
        return Value(taint=merge_taint(values))

    expr_ListComp = _comprehension_expr
    expr_SetComp = _comprehension_expr
    expr_GeneratorExp = _comprehension_expr
    expr_DictComp = _comprehension_expr

    def _fold_chr_comprehension(self, node: ast.expr) -> Value | None:
        """``chr(c) for c in [114, 109]``: the characters, for a later ``"".join``."""
        if isinstance(node, ast.DictComp) or len(node.generators) != 1 or node.generators[0].ifs:
            return None
        generator = node.generators[0]
        elt = node.elt
        if not (isinstance(generator.target, ast.Name) and isinstance(elt, ast.Call)
                and isinstance(elt.func, ast.Name) and elt.func.id == "chr" and len(elt.args) == 1
                and isinstance(elt.args[0], ast.Name) and elt.args[0].id == generator.target.id):
            return None
        iterable = self.expr(generator.iter)
        if iterable.known and isinstance(iterable.const, (tuple, list)):
            try:
                return const(tuple(chr(c) for c in iterable.const))
            except (TypeError, ValueError, OverflowError):
                return None
        return None

    def expr_NamedExpr(self, node: ast.NamedExpr) -> Value:
        value = self.expr(node.value)
        self.assign(node.target, value)
        return value

    def expr_UnaryOp(self, node: ast.UnaryOp) -> Value:
        operand = self.expr(node.operand)
        if operand.known and isinstance(operand.const, (int, float, bool)):
            try:
                if isinstance(node.op, ast.USub):
                    return const(-operand.const)
                if isinstance(node.op, ast.UAdd):
                    return const(+operand.const)
                if isinstance(node.op, ast.Not):
                    return const(not operand.const)
                if isinstance(node.op, ast.Invert) and isinstance(operand.const, int):
                    return const(~operand.const)
            except (TypeError, ValueError):
                pass
        return Value(taint=operand.taint)

    def expr_Await(self, node: ast.Await) -> Value:
        return self.expr(node.value)

    def expr_Starred(self, node: ast.Starred) -> Value:
        return self.expr(node.value)

    # -- calls -------------------------------------------------------------------------------------

    def expr_Call(self, node: ast.Call) -> Value:
        if isinstance(node.func, ast.Attribute):
            receiver, function = self.attribute(node.func)
        else:
            receiver, function = None, self.expr(node.func)
        args = [self.expr(a) for a in node.args]
        keywords = {}
        for keyword in node.keywords:
            value = self.expr(keyword.value)
            if keyword.arg is not None:
                keywords[keyword.arg] = value
            else:
                args.append(value)
        if function.options and not function.qname:
            # fn(...) where fn is any of several functions: each is checked as the callee.
            for option in function.options:
                if option.qname:
                    self._match(Call(self, node, option, args, keywords, receiver))
            return Value(taint=merge_taint(args) | merge_taint(keywords.values()))
        call = Call(self, node, function, args, keywords, receiver)
        special = call.special()
        if special is not None:
            return special
        if function.function is not None:
            self.inline(function.function, node, args, keywords)
            returns = function.function.returns
            return replace(returns, qname=returns.qname or f"{function.qname}()",
                           taint=returns.taint | call.arg_taint())
        if function.qname:
            self._match(call)
            call.check_function_references()
        return call.result()

    def inline(self, summary: FunctionSummary, node: ast.Call, args: list[Value], keywords: dict[str, Value]) -> None:
        """Read a small local function again with this call's constant arguments:
        ``_git("push", "--force")`` reaches ``subprocess.run(["git", *args])`` as a real command.
        What that finds beyond what the body showed on its own is reported at the call."""
        definition = summary.node
        if definition is None or self.inline_depth >= 2 or \
                not any(a.known or a.scratch for a in (*args, *keywords.values())):
            if summary.body_ops:
                for index in summary.body_ops:   # a call that proves nothing about the target
                    summary.scratch_at_calls[index] = False
            return
        if sum(1 for _ in ast.walk(definition)) > 1500:
            return
        scope = Scope(function=FunctionSummary(summary.name))
        parameters = definition.args.posonlyargs + definition.args.args
        for index, parameter in enumerate(parameters):
            value = args[index] if index < len(args) else keywords.get(parameter.arg, Value(qname=parameter.arg))
            scope.names[parameter.arg] = value
        for parameter in definition.args.kwonlyargs:
            scope.names[parameter.arg] = keywords.get(parameter.arg, Value(qname=parameter.arg))
        if definition.args.vararg is not None:
            rest = args[len(parameters):]
            scope.names[definition.args.vararg.arg] = sequence_value(list(rest), tuple)
        saved, self.result = self.result, Analysis()
        self.scopes.append(scope)
        self.inline_depth += 1
        try:
            self.block(definition.body)
        finally:
            self.inline_depth -= 1
            self.scopes.pop()
            found, self.result = self.result, saved
        here = self.loc(node)
        for op in found.operations:
            if (op.rule, op.targets) not in summary.found:
                self.result.operations.append(replace(op, location=here, evidence=self.source_line(node)))
        # parse_zip(content, workdir=tmp) with tmp a TemporaryDirectory: the body's removal is
        # scratch for this call; it is scratch for good when it is for every call in the unit.
        scratch_now = {(op.rule, op.location.line) for op in found.operations if op.scratch}
        for index, key in summary.body_ops.items():
            previous = summary.scratch_at_calls.get(index)
            summary.scratch_at_calls[index] = (previous is None or previous) and key in scratch_now

    def _match(self, call: Call) -> None:
        applied: set[str | None] = set()
        seen: set[int] = set()
        for entry, _pattern in self.catalogue.lookup(call.name):
            # One report per rule and call, however many patterns of that rule match it.
            if id(entry) in seen or (entry.kind == "api" and entry.rule in applied):
                continue
            seen.add(id(entry))
            if call.apply(entry) and entry.kind == "api":
                applied.add(entry.rule)

    # -- reporting -----------------------------------------------------------------------------------

    def report(self, rule_id: str, node: ast.AST, callee: str, targets: tuple[str, ...] = (), scratch: bool = False,
               verb: str = "", **details: object) -> None:
        rule = self.rules[rule_id]
        shown = self.source_of(node.func) if isinstance(node, ast.Call) else callee
        fields = {"callee": shown, "target": ", ".join(targets) if targets else None, **details}
        source = details.get("source")
        fields["source_text"] = f" from {source}" if source else ""
        self.result.operations.append(Operation(
            rule=rule_id, category=rule.category, severity=rule.severity, language="python", location=self.loc(node),
            message=rule.format_message(**fields), targets=targets, verb=verb or bare(segments(callee)[-1]) if callee
            else verb, evidence=self.source_line(node), scratch=scratch,
            details=make_details(callee=callee, **details)))

    def touch(self, kind: str, target: str, access: str, node: ast.AST) -> None:
        self.result.touches.append(Touch(kind, target, access, "python", self.loc(node)))

    def embedded(self, language: str, value: Value, node: ast.AST, hint: str | None = None,
                 origin: Location | None = None) -> None:
        """Hand constant code to its front end; lines map into the literal where they can."""
        text = value.text
        if text is None:
            return
        clamp = None
        if origin is None:
            literal = value.node
            inside = isinstance(literal, ast.Constant) and \
                node.lineno <= literal.lineno <= (getattr(node, "end_lineno", None) or node.lineno)
            if inside and isinstance(literal.value, str):
                # A literal written in the call: the statement's own line inside the string.
                origin = self.loc(literal)
                span = (literal.end_lineno or literal.lineno) - literal.lineno
                if span != text.count("\n"):
                    clamp = (origin.line, origin.line + span)
            else:
                origin = self.loc(node)
                clamp = (origin.line, origin.line)
        if language == "shell" and "{{" in text:
            # Jinja in workflow commands (Airflow's {{ ds }}) is filled in at run time: a hole.
            text = _JINJA_EXPRESSION.sub(lambda m: self.holes.new(), text)
        nested = analyze_embedded(language, text, origin, self.options.deeper(context_hint=hint,
                                                                              shared=self.session.shared))
        if clamp is not None:
            nested = _clamp(nested, *clamp)
        self.result.extend(nested)


def _fold_int(op: ast.operator, a: int, b: int) -> int | None:
    if isinstance(op, ast.Add):
        return a + b
    if isinstance(op, ast.Sub):
        return a - b
    if isinstance(op, ast.Mult) and abs(a) < 10**9 and abs(b) < 10**9:
        return a * b
    if isinstance(op, ast.BitXor):
        return a ^ b
    return None


def _clamp(analysis: Analysis, first: int, last: int) -> Analysis:
    """Keep embedded findings inside the lines of the literal they came from."""
    def fix(location: Location) -> Location:
        line = min(max(location.line, first), last)
        return location if line == location.line else replace(location, line=line)

    return Analysis(
        operations=[replace(op, location=fix(op.location)) for op in analysis.operations],
        touches=[replace(t, location=fix(t.location)) for t in analysis.touches],
        comments=[],  # comments inside a string literal are not comments of this file
        errors=[replace(e, line=min(max(e.line, first), last)) if e.line is not None else e for e in analysis.errors],
    )


class Call:
    """One call being resolved: its name, arguments, and what the catalogue says of it."""

    def __init__(self, walker: Walker, node: ast.Call, function: Value, args: list[Value],
                 keywords: dict[str, Value], receiver: Value | None = None) -> None:
        self.w = walker
        self.receiver = receiver
        self.node = node
        self.function = function
        self.args = args
        self.keywords = keywords
        self.name = function.qname or ""
        self.taint_out: frozenset = frozenset()
        self.scratch_out = False
        self.host_out: str | None = None

    # -- arguments ---------------------------------------------------------------------------

    def arg(self, index: int | None = None, kw: object = None) -> Value | None:
        names = kw if isinstance(kw, list) else [kw] if kw else []
        for name in names:
            if name in self.keywords:
                return self.keywords[name]
        if index is not None and 0 <= index < len(self.args):
            return self.args[index]
        return None

    def arg_node(self, index: int | None = None, kw: object = None) -> ast.expr | None:
        names = kw if isinstance(kw, list) else [kw] if kw else []
        for keyword in self.node.keywords:
            if keyword.arg in names:
                return keyword.value
        if index is not None and 0 <= index < len(self.node.args):
            return self.node.args[index]
        return None

    def arg_taint(self) -> frozenset:
        return merge_taint(self.args) | merge_taint(self.keywords.values()) | \
            merge_taint(e for a in self.args for e in a.elements)

    def receiver_value(self) -> Value:
        """The object a method is called on."""
        return self.receiver if self.receiver is not None else UNKNOWN

    def receiver_text(self) -> str:
        if isinstance(self.node.func, ast.Attribute):
            return self.w.source_of(self.node.func.value)
        return ""

    # -- the result -------------------------------------------------------------------------------

    def result(self) -> Value:
        name = self.name
        taint = self.taint_out | self.arg_taint()
        if isinstance(self.node.func, ast.Attribute):
            taint = taint | self.function.taint   # methods of tainted data give tainted data
        if name in self.w.catalogue.scratch_calls:
            return Value(qname=name + "()", scratch=True)
        scratch = self.scratch_out
        if not scratch and name in ("os.path.join", "posixpath.join", "pathlib.Path", "pathlib.PurePath",
                                    "os.path.abspath", "os.path.realpath", "os.fspath", "str", "os.path.normpath",
                                    "pathlib.Path().joinpath", "pathlib.Path().resolve", "glob.glob", "glob.iglob",
                                    "os.scandir", "os.walk", "os.path.dirname", "os.path.expanduser"):
            first = self.args[0] if self.args else self.function
            scratch = bool(first.scratch) or (name.startswith("pathlib.Path()") and self.function.scratch)
        if not scratch and isinstance(self.node.func, ast.Attribute) and self.function.scratch is False:
            recv = self.receiver_value()
            scratch = recv.scratch and bare(segments(name)[-1]) in ("joinpath", "resolve", "with_name", "with_suffix",
                                                                    "absolute", "expanduser", "glob", "rglob",
                                                                    "iterdir", "walk", "mktemp", "join", "ensure")
        if not scratch and bare(segments(name)[-1] if name else "") in _PATH_INTO_ARGUMENT:
            # zf.extract(member, tmp), shutil.copy(src, tmp): the path returned lies in the destination.
            scratch = any(a.scratch for a in self.args[1:]) or any(v.scratch for v in self.keywords.values())
        folded = self.fold_path(name)
        host = self.host_out or self._host_of_constructor(name)
        if name in self.w.catalogue.request_builders:
            return self._request_object(name, taint)
        if name in self.w.catalogue.sql_builders and self.args and self.args[0].known:
            # The SQL is read where it runs (conn.execute(stmt)), not where it is built.
            return replace(self.args[0], qname=name + "()")
        calls = ()
        if isinstance(self.node.func, ast.Attribute):
            first = self.args[0] if self.args else None
            argument = first.const if first is not None and first.known and not first.partial else None
            calls = self.receiver_value().calls + ((self.node.func.attr, argument),)
        return Value(qname=name + "()" if name else None, taint=taint, scratch=scratch, host=host,
                     const=folded, known=folded is not None, calls=calls[-16:])

    def _request_object(self, name: str, taint: frozenset) -> Value:
        """``Request(url, data=...)``: remembers where it goes and whether it carries data."""
        url = self.arg(1 if name.startswith("requests.Request") else 0, ["url"])
        if name.endswith("prepare"):
            receiver = self.receiver_value()
            return replace(receiver, qname=name + "()")
        data = self.arg(None if name.startswith("requests.Request") else 1, ["data", "json", "files"])
        host = _host_of(url.text) if url is not None and url.text else None
        return Value(qname=name + "()", host=host, taint=taint | self.function.taint,
                     calls=(("Request", "data" if data is not None else None),))

    def fold_path(self, name: str) -> str | None:
        if name in ("pathlib.Path", "pathlib.PurePath", "os.path.join", "posixpath.join", "os.path.expanduser") \
                and self.args and all(a.known and isinstance(a.const, str) for a in self.args):
            import posixpath

            return posixpath.join(*[a.const for a in self.args])
        return None

    def _host_of_constructor(self, name: str) -> str | None:
        tail = bare(segments(name)[-1]) if name else ""
        first = self.arg(0, ["host", "hostname", "bucket_name", "bucket", "Bucket", "address"])
        if first is None or not first.known:
            return None
        if tail in ("SMTP", "SMTP_SSL", "FTP", "FTP_TLS", "HTTPConnection", "HTTPSConnection", "Telnet",
                    "create_connection", "SSHClient", "connect", "Transport", "ServerProxy"):
            value = first.const
            if isinstance(value, tuple) and value:
                return f"{value[0]}:{value[1]}" if len(value) > 1 else str(value[0])
            return str(value) if isinstance(value, str) else None
        if tail in ("bucket", "Bucket", "get_bucket", "get_container_client", "lookup_bucket"):
            scheme = "gs" if "google" in name or tail in ("bucket", "get_bucket", "lookup_bucket") and \
                "boto" not in name else "s3"
            if "azure" in name or "container" in tail:
                scheme = "az"
            return f"{scheme}://{first.const}" if isinstance(first.const, str) else None
        return None

    # -- special forms -------------------------------------------------------------------------------

    def special(self) -> Value | None:
        name = self.name
        catalogue = self.w.catalogue
        tail = bare(segments(name)[-1]) if name else ""
        if name in catalogue.exec_calls:
            return self.exec_like()
        if name in catalogue.dynamic_import_calls:
            return self.dynamic_import()
        if name in ("getattr", "builtins.getattr"):
            return self.getattr_call()
        if name in ("operator.attrgetter", "operator.methodcaller"):
            target = self.args[0] if self.args else UNKNOWN
            if target.known and isinstance(target.const, str):
                kind = "attrgetter" if name.endswith("attrgetter") else "methodcaller"
                return Value(qname=f"@{kind}.{target.const}", elements=tuple(self.args[1:]))
            return Value()
        if name.startswith("@attrgetter.") and self.args:
            owner = self.args[0]
            if owner.qname:
                return Value(qname=f"{owner.qname}.{name.split('.', 1)[1]}")
        if name.startswith("@methodcaller.") and self.args and self.args[0].qname:
            # methodcaller("rmtree", "/srv")(shutil) is shutil.rmtree("/srv").
            method = Value(qname=f"{self.args[0].qname}.{name.split('.', 1)[1]}")
            self.w._match(Call(self.w, self.node, method, list(self.function.elements), {}, self.args[0]))
            return Value()
        if tail == "__getattribute__" and self.receiver is not None and self.args:
            attribute = self.args[0]
            if attribute.known and isinstance(attribute.const, str) and self.receiver.qname:
                return Value(qname=f"{self.receiver.qname}.{attribute.const}")
        if tail == "run_cell" and "get_ipython" in name and self.args and self.args[0].text is not None:
            nested = analyze_embedded("python", _ipython_to_python(self.args[0].text), self.w.loc(self.node),
                                      self.w.options.deeper())
            here = self.w.loc(self.node)
            self.w.result.operations.extend(replace(op, location=here) for op in nested.operations)
            self.w.result.errors.extend(replace(e, line=here.line) for e in nested.errors)
            return Value()
        if tail == "get" and self.receiver is not None and self.receiver.members and self.args:
            return self.w.member_of(self.receiver, self.args[0])
        if name in ("vars", "builtins.vars") and self.args:
            return Value(qname="vars()", host=self.args[0].qname)
        if name in ("functools.partial", "functools.partialmethod"):
            return self.partial()
        if name in ("chr", "builtins.chr") and self.args and self.args[0].known:
            try:
                return const(chr(self.args[0].const))
            except (TypeError, ValueError, OverflowError):
                return None
        if name in ("str", "bytes") and len(self.args) == 1 and self.args[0].known:
            return self.args[0]
        if name in ("map",) and len(self.args) == 2 and self.args[0].qname in ("chr", "builtins.chr"):
            items = self.args[1]
            if items.known and isinstance(items.const, (tuple, list)):
                try:
                    return const(tuple(chr(c) for c in items.const))
                except (TypeError, ValueError, OverflowError):
                    pass
        if name in ("reversed",) and self.args and self.args[0].known and isinstance(self.args[0].const, str):
            return const(tuple(reversed(self.args[0].const)))
        decoded = decode_call(name, self.args)
        if decoded is not None:
            return decoded
        if self.receiver is not None and self.receiver.known:
            folded = str_method(self.receiver, self.node.func.attr, self.args, self.w.holes)
            if folded is not None:
                return folded
        if tail in ("run_cell_magic", "run_line_magic") and "get_ipython" in name:
            return self.ipython_magic(tail)
        if tail == "connect" and isinstance(self.node.func, ast.Attribute):
            self._remember_connect()
        return None

    def _remember_connect(self) -> None:
        """``sock.connect(("host", 443))`` gives the socket its host."""
        target = self.node.func.value
        if isinstance(target, ast.Name) and self.args and self.args[0].known:
            value = self.args[0].const
            host = f"{value[0]}:{value[1]}" if isinstance(value, tuple) and len(value) > 1 else \
                (str(value[0]) if isinstance(value, tuple) and value else value if isinstance(value, str) else None)
            bound = self.w.lookup(target.id) or Value(qname=target.id)
            if host:
                self.w.bind(target.id, replace(bound, host=host))

    def exec_like(self) -> Value:
        payload = self.args[0] if self.args else self.arg(kw=["source", "code", "path_name", "mod_name"])
        if payload is not None and payload.known and not payload.partial and payload.text is not None \
                and not self.name.startswith("runpy"):
            nested = analyze_embedded("python", payload.text, self.w.loc(self.node), self.w.options.deeper())
            here = self.w.loc(self.node)
            for op in nested.operations:
                self.w.result.operations.append(replace(
                    op, location=here, evidence=self.w.source_line(self.node),
                    details=tuple(sorted(dict(op.details, via=self.name).items()))))
            self.w.result.errors.extend(replace(e, line=here.line) for e in nested.errors)
            self.w.result.touches.extend(replace(t, location=here) for t in nested.touches)
            return Value()
        if payload is None and self.name in ("exec", "eval", "compile"):
            return Value()
        self.w.report("py.evasion-dynamic-exec", self.node, self.name,
                      targets=(self.w.source_of(self.node.args[0]),) if self.node.args else ())
        return Value()

    def dynamic_import(self) -> Value:
        module = self.args[0] if self.args else self.arg(kw="name")
        if module is not None and module.known and isinstance(module.const, str) and not module.partial:
            if self.name.endswith("__import__") and not self.arg(3, "fromlist"):
                return Value(qname=module.const.split(".")[0])
            return Value(qname=module.const)
        self.w.report("py.evasion-dynamic-import", self.node, self.name,
                      targets=(self.w.source_of(self.node.args[0]),) if self.node.args else ())
        return Value()

    def getattr_call(self) -> Value:
        if len(self.args) < 2:
            return Value()
        owner, attribute = self.args[0], self.args[1]
        if attribute.known and isinstance(attribute.const, str) and not attribute.partial:
            if owner.qname:
                return Value(qname=f"{owner.qname}.{attribute.const}", taint=owner.taint, host=owner.host)
            return Value(taint=owner.taint)
        root = (owner.qname or "").split(".")[0]
        if root in self.w.catalogue.sensitive_modules and owner.qname and "(" not in owner.qname:
            self.w.report("py.evasion-dynamic-import", self.node, "getattr",
                          targets=(f"{owner.qname}.<{self.w.source_of(self.node.args[1])}>",))
        return Value(taint=owner.taint)

    def partial(self) -> Value:
        if not self.args:
            return Value()
        wrapped = self.args[0]
        if wrapped.qname:
            # Report the wrapped call here, as if it were called with the bound arguments.
            fake = ast.Call(func=self.node.args[0], args=self.node.args[1:], keywords=self.node.keywords)
            ast.copy_location(fake, self.node)
            inner = Call(self.w, fake, wrapped, self.args[1:], self.keywords)
            for entry, _pattern in self.w.catalogue.lookup(wrapped.qname):
                inner.apply(entry)
        return Value(qname="functools.partial()")

    def check_function_references(self) -> None:
        """``map(os.remove, files)``, ``executor.submit(shutil.rmtree, p)``, ``Thread(target=os.remove)``:
        a dangerous function handed on to be called later is reported where it is handed on."""
        for index, value in enumerate(list(self.args) + list(self.keywords.values())):
            if not value.qname or value.function is not None:
                continue
            node = self.node.args[index] if index < len(self.node.args) else self.node
            if not isinstance(node, (ast.Name, ast.Attribute)) and node is not self.node:
                continue
            reported = set()
            for entry, pattern in self.w.catalogue.lookup(value.qname):
                # A reference to an API that is dangerous whatever its arguments (no conditions).
                if entry.kind == "api" and not entry.get("when") and not entry.get("embedded") \
                        and entry.rule not in reported and (pattern.whole or len(pattern.segments) > 1
                                                            or self.w.rules[entry.rule].category == "destructive"):
                    reported.add(entry.rule)
                    self.w.report(entry.rule, self.node, value.qname, targets=("<passed to " + self.name + ">",))

    # -- IPython magics ----------------------------------------------------------------------------------

    def ipython_magic(self, kind: str) -> Value:
        """Route a magic's code to its front end; the value it returns (``rows = %sql ...``)."""
        magics = self.w.catalogue.ipython
        magic = self.args[0] if self.args else UNKNOWN
        if not magic.known or not isinstance(magic.const, str):
            return Value()
        self._magic(kind, magic.const, magics)
        language = magics.get("line_magics" if kind == "run_line_magic" else "cell_magics", {}).get(magic.const)
        if language == "sql":
            line = (self.args[1].text if len(self.args) > 1 else "") or ""
            return Value(taint=frozenset({f"query result ({_short(line) or 'cell'})"}))
        if language == "shell":
            return Value(taint=frozenset({"command output"}))
        return Value()

    def _magic(self, kind: str, name: str, magics: dict) -> None:
        line_arg = self.args[1] if len(self.args) > 1 else const("")
        line = line_arg.text or ""
        here = self.w.loc(self.node)
        if kind == "run_line_magic":
            language = magics.get("line_magics", {}).get(name)
            if language == "shell":
                self.w.embedded("shell", line_arg, self.node, origin=here)
            elif language == "sql":
                self.sql_magic(line, "", here, None)
            elif language == "python":
                # %prun, %time, %timeit, %debug run their argument as Python.
                self.w.result.extend(analyze_embedded("python", _ipython_to_python(_magic_statement(line)), here,
                                                      self.w.options.deeper()))
            elif language == "run":
                self.w.report("py.evasion-dynamic-exec", self.node, f"%run {line}".strip(), targets=(line.strip(),))
            return
        body_value = self.args[2] if len(self.args) > 2 else const("")
        body = body_value.text or ""
        body_origin = replace(here, line=here.line + 1, column=1,
                              file_line=None if here.file_line is None else here.file_line + 1)
        language = magics.get("cell_magics", {}).get(name)
        if name in magics.get("harmless_cell_magics", ()):
            return
        if language == "script":
            interpreter = (line.split() or [""])[0].rsplit("/", 1)[-1]
            language = magics.get("script_interpreters", {}).get(interpreter)
            if language is None:
                self.w.result.errors.append(AnalysisError(here.path, f"%%script {interpreter} cell not analysed",
                                                          here.line, here.cell))
                return
        if language in ("shell", "python"):
            text = _ipython_to_python(body) if language == "python" else body
            self.w.result.extend(analyze_embedded(language, text, body_origin, self.w.options.deeper()))
        elif language == "sql":
            self.sql_magic(line, body, here, body_origin)
        elif language == "file":
            words = [w for w in line.split() if not w.startswith("-")]
            path = words[0] if words else ""
            self.w.touch("file", path, "write", self.node)
            # A later `!bash path` in this session runs what was written here.
            written = self.w.session.shared.setdefault("shell.written", {})
            written[os.path.normpath(path) if path else ""] = (body, body_origin, f"%%writefile {path}")
            from . import language_for_path

            file_language = language_for_path(path, body[:128])
            if file_language in ("python", "shell", "sql"):
                self.w.result.extend(analyze_embedded(file_language, body, body_origin, self.w.options.deeper()))
        elif language is None:
            self.w.result.errors.append(AnalysisError(here.path, f"cell magic %%{name} not analysed", here.line,
                                                      here.cell))

    def sql_magic(self, line: str, body: str, here: Location, body_origin: Location | None) -> None:
        """``%sql [conn] [var <<] SELECT ...`` / ``%%sql [conn] [var <<]`` + body (jupysql, ipython-sql)."""
        words = line.split()
        hint = None
        rest = []
        skip_next = False
        for index, word in enumerate(words):
            if skip_next:
                skip_next = False
                continue
            if "://" in word and not rest:
                hint = word.split("://", 1)[0].split("+", 1)[0]
                continue
            if not rest and index == 0 and (word.startswith(("$", "{")) or word.startswith("@")):
                continue   # a connection named by a variable or an alias: `%sql $DATABASE_URL`
            if word.startswith("-") and not rest:
                skip_next = word in ("-l", "--connection", "-x", "--close", "-c", "--creator", "-o", "--save", "--with",
                                     "-S", "--alias", "-A")
                continue
            if word == "<<" and index > 0 and not rest[1:]:
                rest = []
                continue
            if index + 1 < len(words) and words[index + 1] == "<<" and not rest:
                continue
            rest.append(word)
        statement = " ".join(rest)
        if "<<" in words:
            # `%%sql rows << SELECT ...` binds the result to a name: a query result.
            target = words[words.index("<<") - 1] if words.index("<<") > 0 else None
            if target and target.isidentifier():
                self.w.bind(target, Value(taint=frozenset({f"query result ({_short(statement or body)})"})))
        options = self.w.options.deeper(context_hint=hint, shared=self.w.session.shared)
        if statement.strip():
            self.w.result.extend(analyze_embedded("sql", statement, here, options))
        if body.strip() and body_origin is not None:
            self.w.result.extend(analyze_embedded("sql", body, body_origin, options))

    # -- catalogue entries -----------------------------------------------------------------------------

    def apply(self, entry: Entry) -> bool:
        """Apply a matching catalogue entry; True when an API entry's conditions held."""
        if entry.kind == "source":
            self.apply_source(entry)
        elif entry.kind == "sink":
            self.apply_sink(entry)
        elif self.conditions_hold(entry.get("when") or {}):
            embedded = entry.get("embedded")
            if embedded:
                self.apply_embedded(entry, embedded)
            else:
                self.apply_api(entry)
            return True
        return False

    def target_of(self, spec: object) -> tuple[tuple[str, ...], bool]:
        """The target named by a catalogue `target:` spec, and whether it is scratch."""
        if spec == "receiver":
            receiver = self.receiver_value()
            if receiver.known and isinstance(receiver.const, str):
                return (receiver.const,), receiver.scratch
            return ((self.receiver_text() or "?"),), receiver.scratch
        if isinstance(spec, dict):
            value = self.arg(spec.get("arg"), spec.get("kw"))
            node = self.arg_node(spec.get("arg"), spec.get("kw"))
            if value is None:
                return (), False
            if value.known and isinstance(value.const, (str, int)) and not value.partial:
                return (str(value.const),), value.scratch
            if value.known and isinstance(value.const, tuple) and all(isinstance(v, str) for v in value.const):
                return tuple(value.const), value.scratch
            return ((self.w.source_of(node) if node is not None else "?"),), value.scratch
        return (), False

    def apply_api(self, entry: Entry) -> None:
        targets, scratch = self.target_of(entry.get("target"))
        self.w.report(entry.rule, self.node, self.name, targets=targets, scratch=scratch)
        kind = "file" if entry.rule.startswith("py.fs") else "resource"
        for target in targets:
            self.w.touch(kind, target, "delete", self.node)

    def apply_embedded(self, entry: Entry, spec: dict, value: Value | None = None) -> None:
        language = spec["language"]
        if self.name in self.w.catalogue.sql_builders and self.args and self.args[0].known:
            return   # read where the built statement runs
        value = value if value is not None else self.arg(spec.get("arg"), spec.get("kw"))
        tail = bare(segments(self.name)[-1])
        sql_only = tail in (entry.get("sql_only_methods") or ()) and "calls" in entry.data and \
            self.name not in entry.data["calls"]
        if value is None:
            return
        if value.options and not value.known:
            # execute(stmt) for stmt in a known list: each statement is read.
            for option in value.options:
                self.apply_embedded(entry, spec, option)
            return
        if language == "shell" and (value.elements or (value.known and isinstance(value.const, (tuple, list)))):
            elements = value.elements or tuple(const(c) for c in value.const)
            value = const(_argv_to_shell(elements, self.w.holes), partial=not value.known or value.partial)
        if value.text is None:
            if sql_only:
                return
            self.w.report(entry.rule, self.node, self.name, targets=(self.w.source_of(self.arg_node(
                spec.get("arg"), spec.get("kw")) or self.node),))
            return
        if language == "sql":
            stripped = value.text.lstrip().lower()
            if stripped.startswith("__execgate_hole_"):
                # The statement's first word is computed: its kind cannot be known.
                self.w.report("py.sql-dynamic", self.node, self.name, targets=(_short(value.text),))
                return
            if not stripped.startswith(SQL_KEYWORDS) and not stripped.startswith(("--", "/*", "(", "{")):
                # A fragment (RawSQL("id = %s"), extra(where=...)) or prose: not a statement.
                return
            self.w.embedded("sql", value, self.node, hint=self.sql_hint())
        else:
            self.w.embedded(language, value, self.node)

    def sql_hint(self) -> str | None:
        """The database client a SQL string is given to: the root of the receiver's constructor chain."""
        name = self.name
        for module, dialect in self.w.catalogue.sql_clients.items():
            if name == module or name.startswith(module + ".") or name.startswith(module + "()"):
                return module
        return None

    # -- conditions ------------------------------------------------------------------------------------

    def conditions_hold(self, when: dict) -> bool:
        for key, spec in when.items():
            if not getattr(self, "when_" + key)(spec):
                return False
        return True

    def _equals(self, value: Value | None, wanted: list) -> bool:
        if value is None or not value.known:
            return False
        actual = value.const
        for candidate in wanted:
            if actual == candidate or (isinstance(actual, str) and isinstance(candidate, str)
                                       and actual.lower() == candidate.lower()):
                return True
        return False

    def when_kwarg(self, spec: dict) -> bool:
        return any(self._equals(self.keywords.get(name), list(values)) for name, values in spec.items())

    def when_not_kwarg(self, spec: dict) -> bool:
        return not self.when_kwarg(spec)

    def when_not_kwarg_names(self, names: list) -> bool:
        loader = self.arg(1, "Loader")
        if loader is None:
            return True
        return not any(n in (loader.qname or "") for n in names)

    def when_path_from_config(self, spec: object) -> bool:
        """The path comes from configuration (``settings.DATA_FILE``, ``config["db"]``, an env variable)."""
        if spec == "receiver":
            node = self.node.func.value if isinstance(self.node.func, ast.Attribute) else None
            value = self.receiver_value()
        else:
            node = self.arg_node(spec.get("arg"), spec.get("kw"))
            value = self.arg(spec.get("arg"), spec.get("kw"))
        if node is None or value is None or value.scratch:
            return False
        if any(t.startswith(ENV_SOURCE) or (t.startswith("file ") and t.lower().endswith(_CONFIG_FILES))
               for t in value.taint):
            return True
        while isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
            node = node.func if isinstance(node, ast.Call) else node.value
        return isinstance(node, ast.Name) and node.id in self.w.catalogue.config_names

    def when_receiver_not(self, names: list) -> bool:
        receiver = self.name.rsplit(".", 1)[0] if "." in self.name else ""
        return receiver not in names

    def when_not_in_function(self, names: list) -> bool:
        return not any(scope.function is not None and scope.function.name in names for scope in self.w.scopes)

    def when_no_positional_args(self, _wanted: object) -> bool:
        return not self.node.args

    def when_kwarg_present(self, names: list) -> bool:
        return any(name in self.keywords for name in names)

    def when_arg(self, spec: dict) -> bool:
        return self._equals(self.arg(spec.get("index"), spec.get("kw")), list(spec.get("equals", [])))

    def when_any_arg_contains(self, needles: list) -> bool:
        values = list(self.args) + list(self.keywords.values())
        values += [option for value in values for option in value.options]   # ["--force"] if f else []
        for value in values:
            texts = [value.const] if value.known and isinstance(value.const, str) else \
                [c for c in value.const if isinstance(c, str)] if value.known and isinstance(value.const, tuple) else []
            for text in texts:
                words = text.split()
                if any(n in words or (n.startswith("+") and text.startswith("+")) for n in needles):
                    return True
                if text.startswith("+") and ":" in text:   # +refspec is a force push
                    return True
        return False

    def _chain_calls(self) -> tuple[tuple[str, object], ...]:
        """The method calls that made the receiver: ``a.mode("x").save()`` -> (("mode", "x"),)."""
        return self.receiver_value().calls if self.receiver is not None else ()

    def when_chain_call(self, spec: dict) -> bool:
        wanted = [w.lower() if isinstance(w, str) else w for w in spec.get("equals", [])]
        for method, argument in self._chain_calls():
            if method == spec["method"] and (argument.lower() if isinstance(argument, str) else argument) in wanted:
                return True
        return False

    def when_chain_lacks(self, names: list) -> bool:
        if any(method in names for method, _ in self._chain_calls()):
            return False
        return not any(bare(s) in names for s in segments(self.name)[:-1])

    def when_no_followup(self, names: list) -> bool:
        return not any(m in names for m in self.w.followups_of(self.node))

    def when_no_filter(self, spec: dict) -> bool:
        value = self.arg(spec.get("index"), spec.get("kw"))
        return value is None or (value.known and value.const in ("", None))

    def when_empty_filter(self, spec: dict) -> bool:
        value = self.arg(spec.get("index"), spec.get("kw"))
        if value is None:
            return bare(segments(self.name)[-1]) != "remove"   # list.remove() always has an argument
        # A filter that may be empty (a helper returning {} on one path) may delete everything.
        return any(v.known and v.const in ({}, None) for v in (value, *value.options))

    # -- taint ----------------------------------------------------------------------------------------------

    def apply_source(self, entry: Entry) -> None:
        if entry.get("needs_sql"):
            statement = self.args[0] if self.args else None
            text = statement.text if statement is not None else None
            if not text or not text.lstrip().lower().startswith(("select", "with", "show", "table")):
                return
            self.taint_out = self.taint_out | {f"query result ({_short(text)})"}
            return
        label = entry.get("name")
        if label == "table":
            table = self.args[0] if self.args else self.arg(kw=["tableName", "table", "name"])
            if table is not None and table.known and isinstance(table.const, str):
                label = f"table {table.const}"
                self.w.touch("table", table.const, "read", self.node)
        if label == "command output":
            command = self.args[0] if self.args else None
            text = command.text if command is not None else None
            if text is None and command is not None and command.known and isinstance(command.const, tuple):
                text = " ".join(str(c) for c in command.const)
            secret = next((w for w in (text or "").split() if self._is_credentials(w)), None)
            if secret:
                label = f"credentials file {secret}"
        if label == "file":
            path = self.args[0] if self.args else self.arg(kw=["file", "path", "filepath_or_buffer"])
            if isinstance(self.node.func, ast.Attribute) and bare(segments(self.name)[-1]) in ("read_text",
                                                                                               "read_bytes", "open"):
                receiver = self.receiver_value()
                path = receiver if receiver.known else path
            path_text = path.text if path is not None else None
            if path_text and self._is_credentials(path_text):
                label = f"credentials file {path_text}"
            elif path_text:
                label = f"file {path_text}"
            if path_text:
                self.w.touch("file", path_text, "read", self.node)
        elif label == ENV_SOURCE:
            key = self.args[0] if self.args else None
            if key is not None and key.known and isinstance(key.const, str):
                label = f"{ENV_SOURCE} {key.const}"
                self.w.touch("env", key.const, "read", self.node)
        self.taint_out = self.taint_out | {label}

    def _is_credentials(self, path: str) -> bool:
        return any(fnmatch.fnmatch(path, pattern) for pattern in self.w.catalogue.credential_paths)

    def apply_sink(self, entry: Entry) -> None:
        rule = entry.rule
        if "url" in entry.data:
            self.http_sink(entry)
        elif "bucket" in entry.data:
            bucket = self.arg(entry.data["bucket"].get("arg"), entry.data["bucket"].get("kw"))
            host = None
            if bucket is not None and bucket.known and isinstance(bucket.const, str):
                host = f"s3://{bucket.const}"
            host = host or self.receiver_value().host or self.function.host
            self.send(rule, host, self.arg_taint() | self.receiver_value().taint)
        elif "remote_path" in entry.data:
            spec = entry.data["remote_path"]
            path = self.arg(spec.get("arg"), spec.get("kw"))
            text = path.text if path is not None else None
            tail = bare(segments(self.name)[-1])
            if not tail.startswith(("to_", "write_")) and not any(
                    bare(part) in ("write", "writeStream", "write_to") for part in segments(self.name)[:-1]):
                return   # spark.read.parquet("s3://...") reads; only writers send data out
            if text and "://" in text and text.split("://", 1)[0].lower() in REMOTE_SCHEMES:
                parts = urlsplit(text)
                host = f"{parts.scheme}://{parts.hostname or parts.netloc}"
                self.send(rule, host, self.receiver_value().taint | self.function.taint)
        elif "dns_name" in entry.data:
            spec = entry.data["dns_name"]
            name = self.arg(spec.get("arg"), spec.get("kw"))
            if name is not None and name.taint and (not name.known or name.partial):
                self.send(rule, "DNS", name.taint)
        else:
            receiver = self.receiver_value()
            host = receiver.host or self.function.host
            self.send(rule, host, self.arg_taint() | receiver.taint)

    def http_sink(self, entry: Entry) -> None:
        data = entry.data
        url_index = 1 if self.name in (data.get("url_after_method") or ()) else 0
        url = self.arg(url_index, data["url"].get("kw"))
        if self.name.endswith("perform"):
            url = None
        body_spec = data.get("body", {})
        carries = any(k in self.keywords for k in body_spec.get("kw", ()))
        if self.name not in (data.get("body_position_exempt") or ()):
            start = body_spec.get("args_from", 1) + url_index
            carries = carries or len(self.args) > start
        taint = frozenset()
        for key in data.get("tainted_only", {}).get("kw", ()):
            value = self.keywords.get(key)
            if value is None:
                continue
            sources = value.taint | merge_taint(value.elements)
            if key in ("headers", "auth", "cookies"):
                # Credentials from the environment in auth headers are their normal use.
                sources = frozenset(s for s in sources if not s.startswith(ENV_SOURCE))
            if sources:
                carries = True
                taint = taint | sources
        if url is not None and url.taint and url.partial:
            carries = True
            taint = taint | url.taint
        request_object = url is not None and url.qname and url.qname[:-2] in self.w.catalogue.request_builders
        if request_object:
            carries = carries or ("Request", "data") in url.calls
            taint = taint | url.taint
        for key in body_spec.get("kw", ()):
            if key in self.keywords:
                taint = taint | self.keywords[key].taint | merge_taint(self.keywords[key].elements)
        if len(self.args) > url_index + 1:
            taint = taint | merge_taint(self.args[url_index + 1:])
        if url is not None and url.taint and not url.partial and not url.known:
            pass
        if not carries:
            if url is not None and url.text:
                host = _host_of(url.text)
                if host:
                    self.w.touch("host", host, "read", self.node)
            return
        host = _host_of(url.text) if url is not None and url.text else None
        if request_object:
            host = url.host
        if host is None and self.receiver_value().host and (url is None or not url.text or "://" not in url.text):
            host = self.receiver_value().host   # http.client: the connection names the host
        self.send(entry.rule, host, taint)

    def send(self, rule: str, host: str | None, taint: frozenset) -> None:
        source = ", ".join(sorted(taint)) if taint else None
        shown = host or "a host execgate cannot determine"
        self.w.report(rule, self.node, self.name, targets=(host,) if host else (), host=shown if host else None,
                      source=source, sink=self.name)
        if rule == "py.exfil-request" and host is None:
            # The message names the unknown host explicitly.
            op = self.w.result.operations[-1]
            self.w.result.operations[-1] = replace(op, message=op.message.replace("{host}", shown))
        self.w.touch("host", host or "?", "send", self.node)


def _host_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL with a constant host part, else None."""
    if "://" not in url:
        return None
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc or HOLE_PATTERN.search(netloc):
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def _argv_to_shell(elements: tuple, holes: Holes) -> str:
    """An argument list as one shell line: constants quoted, unknown parts as (double-quoted) holes
    so a temporary directory's ``$TMPDIR`` still reads as scratch to the shell front end."""
    words = []
    for element in elements:
        text, hole = as_text_piece(element, holes)
        words.append(f'"{text}"' if hole and not element.known else shlex.quote(text))
    return " ".join(words)


def _magic_statement(line: str) -> str:
    """The statement of ``%prun -s cumulative stmt`` / ``%timeit -n 3 stmt``: options dropped."""
    words = line.split(" ")
    while words and words[0].startswith("-"):
        option = words.pop(0)
        if option in ("-s", "-T", "-D", "-l", "-n", "-r", "-m") and words:
            words.pop(0)
    return " ".join(words)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _ipython_to_python(body: str) -> str:
    """Cell bodies of %%time and friends go through IPython's own transformation, like the kernel."""
    if "!" not in body and "%" not in body:
        return body
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython is a dependency
        return body
    return TransformerManager().transform_cell(body)
