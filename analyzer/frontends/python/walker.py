"""The Python front end: what a Python unit would do, read without running it.

One pass over Python's own syntax tree (``ast``), with name resolution of our
own: imports and aliases, objects made by known constructors, constant
folding of strings, constant payloads of ``exec``/``eval`` (decoded and read
again), and taint from data sources to network sinks. libcst's scope and
qualified-name providers cost ~74x a plain parse (docs/architecture.md), too
much for a gate that runs before every notebook cell, so they are not used here.

Values cross function boundaries by reading a helper's body again with a call's
arguments (constants, defaults left out, record fields, listings, data from a source,
one of many unknown items): what that finds beyond the body read alone is reported at
the call. Record-class parameters (``cfg: JobConfig``) hold their defaults, command-line
options their ``add_argument`` defaults, and what methods set on ``self`` is kept per class
(and on the caller's object, after a method read again with it). Generators give back what
they yield; a ``with`` on an object of a class of the code runs its ``__enter__`` and
``__exit__``; a test decided by what a call passes skips its branch (and, when that branch
returns, the rest of the block). A body's removal that every call of the unit keeps from
running that way is harmless where it is written, unless a command-line option decided it or
the function is handed to code not read here.

Which APIs do what is the catalogue's knowledge (rules/python.yaml); this
module knows Python, not boto3. What one call does is resolved by
:class:`~analyzer.frontends.python.calls.Call`, which sees the walker only
through the :class:`~analyzer.frontends.python.calls.Walk` protocol.
"""
from __future__ import annotations

import ast
import re
import shlex
from typing import Any

from ...catalogue import load_catalogue
from ...model import Analysis, AnalysisError, Location, Operation, Touch, make_details
from ...records import Record, field, replace
from .. import Options
from .. import analyze as analyze_embedded
from . import anchors, migrations
from .apis import GROWING_METHODS, PythonCatalogue, last_name, python_catalogue
from .calls import ENV_SOURCE, Call, env_labels
from .carriers import IDENTITY_SOURCE, sources_of
from .summaries import ModuleNames, flow_knowledge, module_names, resolve, sibling_imports
from .units import comments, parse_units, shift
from .values import (
    HOLE_PATTERN,
    UNKNOWN,
    FunctionSummary,
    Holes,
    Value,
    as_text_piece,
    const,
    merge_taint,
    percent_format,
    sequence_value,
    spread,
)


class Scope(Record):
    names: dict[str, Value] = field(default_factory=dict)
    function: FunctionSummary | None = None
    # Parameters that hold their record class's defaults (cfg: JobConfig): tests on their fields
    # are decided as for a call that gave those values.
    assumed: frozenset[str] = frozenset()


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
                tree: ast.Module | None = None, worth: bool | None = None) -> Analysis:
        return analyze(text, origin, options or Options(), session=self, tree=tree, worth=worth)


def analyze(text: str, origin: Location, options: Options, session: PythonSession | None = None,
            tree: ast.Module | None = None, worth: bool | None = None) -> Analysis:
    """``worth``: the prefilter's answer on ``text`` when the caller already has it (the kernel gate
    asks before it decides whether to analyse), so the cell is not searched twice."""
    catalogue = python_catalogue()
    result = Analysis()
    if "execgate" in text:
        result.comments.extend(comments(text, origin))
    if worth is None:
        worth = not options.prefilter or worth_parsing(text, catalogue, session)
    worth = worth or bool(options.modules and sibling_imports(origin.path, text, options.modules))
    session_given = session is not None
    session = session or PythonSession()
    if tree is not None:
        units = [(tree, 0)]
    else:
        # Parsed even when nothing is worth reading, so that a syntax error is always reported.
        units = parse_units(text, origin, result)
    if worth:
        session.flush()
    for unit, line_offset in units:
        if worth:
            Walker(text, origin, options, session, catalogue, result, line_offset).run(unit)
        elif session_given:
            # Nothing here can be an operation, but later cells may use what it binds.
            bindings: list[ast.stmt] = [s for s in unit.body if isinstance(s, _BINDING_STATEMENTS)]
            if bindings and len(session.pending) < 10_000:
                session.pending.append((text, origin, options, bindings, line_offset))
            elif bindings:
                session.flush()
                Walker(text, origin, options, session, catalogue, result, line_offset).block(bindings)
    return result


def worth_parsing(text: str, catalogue: PythonCatalogue, session: PythonSession | None) -> bool:
    """Whether any rule could fire: a trigger word of the catalogue, or (in a session) a name
    an earlier unit bound to something that matters (an alias, tainted data, a client)."""
    if catalogue.trigger.search(text):
        return True
    if session is not None:
        return any(name.split(".")[0] in text for name in session.interesting_names())
    return False


_JINJA_EXPRESSION = re.compile(r"\{\{.*?\}\}")
# How many helpers deep a call is followed (main > step > callback > run > execute): each reading
# is kept per function and arguments, so a deeper chain costs one reading per distinct call.
MAX_INLINE_DEPTH = 4
_BINDING_STATEMENTS = (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.AugAssign)


class Walker:
    """One pass over a unit's statements in order, evaluating expressions to :class:`Value`s."""

    def __init__(self, text: str, origin: Location, options: Options, session: PythonSession,
                 catalogue: PythonCatalogue, result: Analysis, line_offset: int) -> None:
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
        self.unrolled = False   # inside a loop read once per item (one such loop at a time: no 8**n)
        self.summaries: list[FunctionSummary] = []
        self.classes: list[FunctionSummary] = []   # the classes whose bodies (or methods) are being read
        # The instance a method being read works on: (its receiver's name, the attributes set on it,
        # what its class's methods set when read on their own). Kept per class, never module-wide:
        # class A's self.path is not class B's.
        self.instances: list[tuple[str, dict[str, Value], dict[str, Value]]] = []
        # What the method last read again set on its instance (refresher.register("x", fn) puts fn
        # into self.steps): the caller's object holds it afterwards.
        self.method_state: tuple[tuple[str, Value], ...] = ()
        self.options_declared: dict[str, Value] = {}   # command-line options declared so far -> their defaults
        # Lines a decided test kept from running in the readings under way: (file, first, last).
        self.skipped: list[tuple[str, int, int]] = []
        # The defaults of command-line options, by identity: what a run decides with a flag, not the code.
        self.command_line_values: dict[int, Value] = {}
        self.exits = False   # the statement just read is a decided test whose branch returns or raises
        self.undecided = 0   # how many tests that cannot be decided the statement being read is under
        self.loop_tests: list[int] = []   # `undecided` where each loop being read starts, innermost last
        self.tree: ast.AST | None = None

    # -- driving ---------------------------------------------------------------------

    def run(self, tree: ast.Module) -> None:
        self.tree = tree
        for statement in tree.body:
            # A module function can be called from functions written above it (main() before its helpers).
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and self.lookup(statement.name) is None:
                self.bind(statement.name, Value(qname=statement.name, function=FunctionSummary(
                    statement.name, node=statement, hoisted=True, defaults=self.defaults(statement),
                    path=self.origin.path, globals=self.scopes[0].names)))
        self.block(tree.body)
        for summary in self.summaries:
            for index, scratch in summary.scratch_at_calls.items():
                # Handed to code not read here, it may be called with anything: the calls seen prove nothing.
                if scratch and not summary.escapes and index < len(self.result.operations):
                    self.result.operations[index] = replace(self.result.operations[index], scratch=True)

    def followups_of(self, call: ast.Call) -> list[str]:
        """Methods called on a call's result (``delete(t).where(...)``); indexed on first need."""
        if self._followups is None:
            self._followups = {}
            for node in ast.walk(self.tree) if self.tree is not None else ():
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Call):
                    self._followups.setdefault(id(node.value), []).append(node.attr)
        return self._followups.get(id(call), [])

    def block(self, statements: list[ast.stmt]) -> None:
        for position, statement in enumerate(statements):
            self.exits = False
            try:
                self.statement(statement)
                if self.exits:
                    # if not cfg.enabled: return  -- decided: what follows is never run.
                    self.exits = False
                    rest = statements[position + 1:]
                    if rest and self.inline_depth and len(self.skipped) < 256:
                        self.skipped.append((self.origin.path, self.line_of(rest[0]),
                                             self.line_of(rest[-1], last=True)))
                    break
            except RecursionError:
                self.result.errors.append(AnalysisError(self.origin.path, "expression nested too deeply to analyse",
                                                        self.loc(statement).line, self.origin.cell))
            except Exception as exc:  # noqa: BLE001 - one statement that cannot be read never hides the others
                self.unreadable(statement, exc)

    def line_of(self, node: ast.stmt, last: bool = False) -> int:
        """The line of a statement as locations give it (its last line with ``last``)."""
        line = self.loc(node).line
        return line + ((node.end_lineno or node.lineno) - node.lineno if last else 0)

    def unreadable(self, node: ast.AST, exc: Exception) -> None:
        """Report one expression or statement that could not be analysed; the rest of the unit is."""
        self.result.errors.append(AnalysisError(
            self.origin.path, f"could not analyse {self.source_of(node)!r}: {type(exc).__name__}: {exc}"[:300],
            self.loc(node).line, self.origin.cell))

    # -- locations -----------------------------------------------------------------------

    def loc(self, node: ast.AST) -> Location:
        line = getattr(node, "lineno", 1) + self.line_offset
        return shift(self.origin, line, getattr(node, "col_offset", 0) + 1)

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
        if self.instances and "." in name:
            receiver, table, fallback = self.instances[-1]
            root, _, attribute = name.partition(".")
            if root == receiver:
                found = table.get(attribute)
                return found if found is not None else fallback.get(attribute)
        for scope in reversed(self.scopes):
            if name in scope.names:
                return scope.names[name]
        return None

    def instance_attribute(self, name: str) -> str | None:
        """``path`` of ``self.path`` inside a method (its receiver's attribute); None otherwise."""
        if not self.instances or "." not in name:
            return None
        root, rest = name.split(".", 1)
        return rest if root == self.instances[-1][0] else None

    def bind(self, name: str, value: Value) -> None:
        attribute = self.instance_attribute(name) if self.instances else None
        if attribute is not None:
            self.instances[-1][1][attribute] = value   # self.client = ...: the instance's, seen by its methods
            return
        # Other attribute bindings (job.path = ...) are module-wide.
        scope = self.scopes[0] if "." in name else self.scopes[-1]
        scope.names[name] = value

    def enclosing_functions(self) -> list[str]:
        """Names of the functions being read, outermost first."""
        return [scope.function.name for scope in self.scopes if scope.function is not None]

    @property
    def shared(self) -> dict:
        """State of embedded front ends that outlives this unit (see :class:`PythonSession`)."""
        return self.session.shared

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
            self.bind_module(alias.asname or alias.name, self.sibling(alias.name, 0))

    def stmt_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        names = self.sibling(module, node.level)
        for alias in node.names:
            if alias.name == "*":
                for name, value in (names or {}).items():
                    if "." not in name:
                        self.bind(name, value)
                continue
            local = alias.asname or alias.name
            if names is not None and alias.name in names and "." not in alias.name:
                self.bind(local, names[alias.name])   # a function or constant of a sibling module
                continue
            self.bind(local, Value(qname=f"{module}.{alias.name}" if module else alias.name))
            self.bind_module(local, self.sibling(f"{module}.{alias.name}" if module else alias.name, node.level))

    def sibling(self, module: str, level: int) -> ModuleNames | None:
        """What a module of the checked set binds (walked once, never imported); None for any other."""
        if not self.options.modules:
            return None
        path = resolve(self.origin.path, module, level, self.options.modules)
        if path is None:
            return None
        return module_names(path, lambda where, text: _walk_module(where, text, self.options))

    def bind_module(self, local: str, names: ModuleNames | None) -> None:
        """``import db`` of a sibling module: ``db.run_sql`` is its function."""
        for name, value in list((names or {}).items())[:512]:
            if "." not in name:
                self.bind(f"{local}.{name}", value)

    def stmt_Assign(self, node: ast.Assign) -> None:
        value = self.expr(node.value)
        for target in node.targets:
            self.assign(target, value)

    def stmt_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.assign(node.target, self.expr(node.value))

    def stmt_AugAssign(self, node: ast.AugAssign) -> None:
        right = self.expr(node.value)
        if isinstance(node.target, ast.Name):
            left = self.lookup(node.target.id) or UNKNOWN
            combined = self.binop(left, node.op, right)
            self.bind(node.target.id, combined)
        else:
            self.expr(node.target)

    def assign(self, target: ast.expr, value: Value) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, value)
        elif isinstance(target, ast.Attribute):
            name = self.dotted(target)
            if name:
                self.bind(name, value)
            self.expr(target.value)
            self.set_on_object(target.value, target.attr, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            parts = value.elements if len(value.elements) == len(target.elts) else ()
            if not parts and value.options and all(len(o.elements) == len(target.elts) for o in value.options):
                # for name, fn in TASKS.items(): each name is one of the keys, each fn one of the values.
                parts = tuple(Value(options=tuple(o.elements[i] for o in value.options))
                              for i in range(len(target.elts)))
            for index, element in enumerate(target.elts):
                part = parts[index] if parts else Value(taint=value.taint, scratch=value.scratch,
                                                        listing=value.listing, each=value.each)
                self.assign(element.value if isinstance(element, ast.Starred) else element, part)
        elif isinstance(target, ast.Subscript):
            container = self.expr(target.value)
            key = self.expr(target.slice)
            if isinstance(target.value, ast.Attribute) and key.known and isinstance(key.const, str):
                # s.headers["Authorization"] = ...: the object's mapping now holds that member.
                held = container.members if not container.known or isinstance(container.const, dict) else ()
                self.set_on_object(target.value.value, target.value.attr, Value(
                    members=tuple(m for m in held if m[0] != key.const) + ((key.const, value),),
                    taint=container.taint | value.taint))
            holder = target.value.id if isinstance(target.value, ast.Name) else \
                self.dotted(target.value) if self.instance_attribute(self.dotted(target.value) or "") else None
            if holder is not None and key.known and isinstance(key.const, str) \
                    and self.lookup(holder) is not None and len(container.members) < 64:
                # headers["Authorization"] = ...: the mapping now holds that member (so does an
                # instance's mapping, self.steps[name] = fn, read by its other methods).
                members = tuple(m for m in container.members if m[0] != key.const) + ((key.const, value),)
                mapping = container.const if container.known and isinstance(container.const, dict) else None
                folded = {**mapping, key.const: value.const} if mapping is not None and value.known \
                    and not value.partial else None
                # A dict written in the code keeps every value it holds; another object (an
                # EmailMessage) holds more than the members set on it.
                literal = mapping is not None or bool(container.elements)
                self.bind(holder, replace(
                    container, members=members, taint=container.taint | value.taint, known=folded is not None,
                    const=folded, elements=container.elements + (value,) if literal else container.elements))
            elif isinstance(target.value, ast.Name) and value.taint and not container.taint:
                self.bind(target.value.id, container.with_taint(value.taint))

    def fill(self, owner: ast.expr, args: list[Value], keywords: dict[str, Value]) -> None:
        """``msg.set_content(body)``: the object now carries the data of what was put into it."""
        taint = merge_taint(args) | merge_taint(keywords.values())
        name = self.dotted(owner) if taint else None
        current = self.lookup(name) if name is not None else None
        if name is not None and current is not None and taint - current.taint:
            self.bind(name, current.with_taint(taint))

    def set_on_object(self, owner: ast.expr, attribute: str, value: Value) -> None:
        """``s.auth = ...``, ``self.session.headers.update({...})`` on an object a call made (a
        ``requests.Session()``): the object holds it as a member, and each request it sends carries
        what the catalogue says such members carry (``client_keywords`` of rules/python.yaml)."""
        name = self.dotted(owner) if attribute in self.catalogue.client_members else None
        current = self.lookup(name) if name is not None else None
        if name is None or current is None or current.record or not (current.qname or "").endswith("()") \
                or len(current.members) >= 64:
            return
        members = tuple(m for m in current.members if m[0] != attribute) + ((attribute, value),)
        self.bind(name, replace(current, members=members))

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
        if self.inline_depth and iterable.known and not iterable.partial and iterable.const in ((), [], {}, ""):
            # drop_tables(tables=()) read again with a call's arguments: the body never runs.
            self.block(node.orelse)
            return
        element = self.element_of(iterable)
        self.loop_tests.append(self.undecided)
        try:
            self._loop_body(node, element)
        finally:
            self.loop_tests.pop()
        self.block(node.orelse)

    def guarded_in_loop(self) -> bool:
        """Whether the statement being read runs only under a test inside its loop (``for o in
        everything: if o.pk in stale: o.delete()`` deletes some of them, not all)."""
        return bool(self.loop_tests) and self.undecided > self.loop_tests[-1]

    def _loop_body(self, node: ast.For | ast.AsyncFor, element: Value) -> None:
        if self.inline_depth and not self.unrolled and not element.known and 1 < len(element.options) <= 8 \
                and all(option.known for option in element.options):
            # drop_tables() read again with its default ("a", "b"): the body once per named item,
            # so what it does names each of them (op.drop_table("a")), as a loop at the top does.
            self.unrolled = True
            try:
                for option in element.options:
                    self.assign(node.target, option)
                    self.block(node.body)
            finally:
                self.unrolled = False
        else:
            self.assign(node.target, element)
            self.block(node.body)

    stmt_AsyncFor = stmt_For

    def stmt_With(self, node: ast.With | ast.AsyncWith) -> None:
        closing: list[tuple[ast.expr, Value, Value]] = []
        for item in node.items:
            value = self.expr(item.context_expr)
            # with Emptied(wh, "staging"): a class of this code runs its __enter__ here and its
            # __exit__ when the block ends, both reported on the with line.
            made = value
            enter = self.method_of(made, "__enter__") if made.record else None
            leave = self.method_of(made, "__exit__") if made.record else None
            if enter is not None and enter.function is not None:
                value = self.call(self._dunder(item.context_expr, "__enter__"), made, enter, [], {})
            if leave is not None and leave.function is not None:
                closing.append((item.context_expr, made, leave))
            if item.optional_vars is not None:
                self.assign(item.optional_vars, value)
        self.block(node.body)
        for context, owner, leave in reversed(closing):
            none = const(None)
            self.call(self._dunder(context, "__exit__"), owner, leave, [none, none, none], {})

    @staticmethod
    def _dunder(context: ast.expr, name: str) -> ast.Call:
        """A call of ``context.name()`` placed where the with statement names its object."""
        call = ast.Call(func=ast.Attribute(value=context, attr=name, ctx=ast.Load()), args=[], keywords=[])
        return ast.copy_location(call, context)

    stmt_AsyncWith = stmt_With

    def stmt_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.expr(decorator)
        summary = FunctionSummary(node.name, defaults=self.defaults(node), path=self.origin.path,
                                  globals=self.scopes[0].names)
        # @app.route(...), @task: a framework calls it with what it chooses, not only the calls here.
        summary.escapes = any(not (isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod"))
                              for d in node.decorator_list)
        scope = Scope(function=summary)
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        for extra in (node.args.vararg, node.args.kwarg):
            if extra is not None:
                arguments.append(extra)
        for argument in arguments:
            scope.names[argument.arg] = self.parameter_value(argument)
            if scope.names[argument.arg].record:
                scope.assumed = scope.assumed | {argument.arg}
        self.scopes.append(scope)
        owner = self.classes[-1] if self.classes else None
        hoisted = owner.methods.get(node.name) if owner is not None else None
        parameters = node.args.posonlyargs + node.args.args
        method = hoisted is not None and hoisted.node is node and hoisted.method and bool(parameters)
        if method and owner is not None:
            # A method read on its own: what it sets on self is its class's (the next methods see it).
            self.instances.append((parameters[0].arg, owner.attributes, {}))
        before = len(self.result.operations)
        try:
            self.block(node.body)
        finally:
            self.scopes.pop()
            if method:
                self.instances.pop()
        if method and hoisted is not None and summary.generator:
            # The next methods of the class loop over this generator through self before the
            # class is done: they see its items (for blob in self.blobs(): blob.delete()).
            hoisted.returns, hoisted.returned = summary.returns, summary.returned
        summary.node = node
        summary.found = frozenset(_finding(op) for op in self.result.operations[before:])
        summary.body_ops = {index: (op.rule, op.location.line)
                            for index, op in enumerate(self.result.operations[before:], start=before)
                            if op.category == "destructive" and not op.scratch}
        summary.body_origins = {index: _origin(self.result.operations[index]) for index in summary.body_ops}
        self.summaries.append(summary)
        self.bind(node.name, Value(qname=node.name, function=summary))
        for decorator in node.decorator_list[:8]:
            self.register(decorator, node.name)

    stmt_AsyncFunctionDef = stmt_FunctionDef

    def register(self, decorator: ast.expr, name: str) -> None:
        """``@task("purge")`` whose wrapper stores the function in a module mapping (``TASKS[name] =
        fn``): the mapping holds it under that key, so a call through it (``TASKS[args.cmd]()``) is
        followed. The decorator is read from its definition, never run."""
        factory = decorator.func if isinstance(decorator, ast.Call) else decorator
        if not isinstance(factory, (ast.Name, ast.Attribute)):
            return
        maker = self.lookup(self.dotted(factory) or "")
        definition = maker.function.node if maker is not None and maker.function is not None else None
        if not isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        given: dict[str, Value] = {}
        wrapper: ast.FunctionDef | ast.AsyncFunctionDef | None = definition
        if isinstance(decorator, ast.Call):
            # A decorator factory: the wrapper is the function it defines and returns.
            parameters = definition.args.posonlyargs + definition.args.args
            given = {p.arg: self.expr(a) for p, a in zip(parameters, decorator.args, strict=False)
                     if isinstance(a, (ast.Constant, ast.Name))}
            given.update({k.arg: self.expr(k.value) for k in decorator.keywords
                          if k.arg and isinstance(k.value, (ast.Constant, ast.Name))})
            returned = {s.value.id for s in definition.body
                        if isinstance(s, ast.Return) and isinstance(s.value, ast.Name)}
            wrapper = next((s for s in definition.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
                            and s.name in returned), None)
        parameters = wrapper.args.posonlyargs + wrapper.args.args if wrapper is not None else []
        if wrapper is None or not parameters:
            return
        function = self.lookup(name) or UNKNOWN
        for statement in wrapper.body:
            if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                    and isinstance(statement.targets[0], ast.Subscript)
                    and isinstance(statement.targets[0].value, ast.Name)
                    and isinstance(statement.value, ast.Name) and statement.value.id == parameters[0].arg):
                continue
            target = statement.targets[0]
            key = _registry_key(target.slice, given, parameters[0].arg, name)
            holder = target.value.id if isinstance(target.value, ast.Name) else ""
            scope = next((s for s in reversed(self.scopes) if holder in s.names), None)
            container = scope.names[holder] if scope is not None else None
            if key is None or scope is None or container is None or len(container.members) >= 64:
                continue
            members = tuple(m for m in container.members if m[0] != key) + ((key, function),)
            scope.names[holder] = replace(container, members=members, known=False, const=None,
                                          elements=container.elements + (function,))

    def parameter_value(self, argument: ast.arg) -> Value:
        """What a parameter holds when its function is read on its own: ``cfg: JobConfig`` of a
        record class holds its fields' defaults (``cfg.write.mode`` is known), any other one is unknown."""
        annotation = argument.annotation
        if isinstance(annotation, (ast.Name, ast.Attribute)):
            kind = self.expr(annotation)
            if kind.function is not None and kind.function.fields is not None and kind.function.defaults:
                return self.record(kind.function, [], {})
            if kind.function is not None and kind.function.methods and isinstance(annotation, ast.Name):
                # svc: OrderService: an instance of that class, whose methods are known.
                return Value(qname=f"{annotation.id}()")
        return Value(qname=argument.arg, scratch=argument.arg in self.catalogue.scratch_parameters)

    def defaults(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, Value]:
        """The values of a function's parameter defaults, by parameter name."""
        found: dict[str, Value] = {}
        positional = node.args.posonlyargs + node.args.args
        for parameter, default in zip(positional[len(positional) - len(node.args.defaults):], node.args.defaults,
                                      strict=True):
            found[parameter.arg] = self.expr(default)
        for parameter, kw_default in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True):
            if kw_default is not None:
                found[parameter.arg] = self.expr(kw_default)
        return found

    def stmt_ClassDef(self, node: ast.ClassDef) -> None:
        bases = [self.expr(b) for b in node.bases]
        decorators = [self.expr(d) for d in node.decorator_list]
        for keyword in node.keywords:
            self.expr(keyword.value)
        owner = FunctionSummary(node.name)
        for base in bases:
            if base.function is not None:
                owner.attributes.update(base.function.attributes)   # what the base's methods set on self
        for statement in node.body:
            # Methods are known before their bodies are read: self.helper() may come first.
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in statement.decorator_list)
                takes_class = any(isinstance(d, ast.Name) and d.id == "classmethod" for d in statement.decorator_list)
                owner.methods[statement.name] = FunctionSummary(
                    statement.name, node=statement, hoisted=True, defaults=self.defaults(statement), owner=owner,
                    method=not static and not takes_class, takes_class=takes_class, path=self.origin.path,
                    globals=self.scopes[0].names)
        scope = Scope()
        self.scopes.append(scope)
        self.classes.append(owner)
        try:
            self.block(node.body)
        finally:
            self.scopes.pop()
            self.classes.pop()
        for name, hoisted in list(owner.methods.items()):
            read = scope.names.get(name)
            if read is not None and read.function is not None and read.function.node is hoisted.node:
                read.function.owner, read.function.method = owner, hoisted.method
                read.function.takes_class = hoisted.takes_class
                owner.methods[name] = read.function
        for base in bases:
            for name, method in (base.function.methods if base.function is not None else {}).items():
                owner.methods.setdefault(name, method)
        inherited = [b.function for b in bases if b.function is not None and b.function.fields is not None]
        if inherited or flow_knowledge().is_record(decorators, bases):
            record = self.record_class(node, inherited)
            record.methods = owner.methods
            self.bind(node.name, Value(qname=node.name, function=record))
        else:
            self.bind(node.name, Value(qname=node.name, function=owner))

    def record_class(self, node: ast.ClassDef, inherited: list[FunctionSummary]) -> FunctionSummary:
        """A record class's fields in order, with the defaults written in its body (a base record's first)."""
        summary = FunctionSummary(node.name, fields=())
        for base in inherited:
            summary.fields = (summary.fields or ()) + tuple(f for f in base.fields or () if f not in summary.defaults)
            summary.defaults.update(base.defaults)
        knowledge = flow_knowledge()
        for statement in node.body:
            target, default = None, None
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) \
                    and "ClassVar" not in ast.dump(statement.annotation):
                target, default = statement.target.id, statement.value
            elif isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                    and isinstance(statement.targets[0], ast.Name) and isinstance(statement.value, ast.Call) \
                    and knowledge.is_field_call(self.expr(statement.value.func)):
                target, default = statement.targets[0].id, statement.value   # attr.ib(default=...)
            if target is None:
                continue
            made = None
            if isinstance(default, ast.Call) and knowledge.is_field_call(self.expr(default.func)):
                given = next((k.value for k in default.keywords if k.arg == "default"), None)
                if given is None and default.args and last_name(self.expr(default.func).qname or "") == "Field":
                    given = default.args[0]   # pydantic.Field("append")
                factory = next((k.value for k in default.keywords if k.arg in knowledge.factory_keywords), None)
                made = self.made_by(factory) if given is None and factory is not None else None
                default = given
            if target not in (summary.fields or ()):
                summary.fields = (summary.fields or ()) + (target,)
            if default is not None:
                summary.defaults[target] = self.expr(default)
            elif made is not None:
                summary.defaults[target] = made
        return summary

    def made_by(self, factory: ast.expr) -> Value | None:
        """What a field's default factory makes: a record class's defaults (``default_factory=DbConfig``),
        a lambda's constant (``lambda: ["/srv/a"]``); None for anything else."""
        if isinstance(factory, ast.Lambda) and not factory.args.args:
            value = self.expr(factory.body)
            return value if value.known or value.elements or value.record else None
        kind = self.expr(factory)
        if kind.function is not None and kind.function.fields is not None:
            return self.record(kind.function, [], {})
        return None

    def record(self, summary: FunctionSummary, args: list[Value], keywords: dict[str, Value]) -> Value:
        """An instance of a record class: its fields from the call's arguments, else their defaults."""
        fields = summary.fields or ()
        members = dict(summary.defaults)
        for name, value in zip(fields, args, strict=False):
            members[name] = value
        for name, value in keywords.items():
            members[name] = value
        values = list(members.values())
        return Value(qname=summary.name + "()", members=tuple(members.items())[:64], record=True,
                     taint=merge_taint(values))

    def stmt_Return(self, node: ast.Return) -> None:
        if node.value is None:
            return
        self.gives_back(self.expr(node.value))

    def expr_Yield(self, node: ast.Yield) -> Value:
        # A generator gives back a collection of what it yields: a loop over it gets each.
        if node.value is not None:
            item = self.expr(node.value)
            self.gives_back(Value(elements=(item,), taint=item.taint, scratch=item.scratch, listing=item.listing),
                            yielded=True)
        return Value()

    def expr_YieldFrom(self, node: ast.YieldFrom) -> Value:
        # yield from client.list_blobs(...): the generator's items are that collection's.
        self.gives_back(self.expr(node.value), yielded=True)
        return Value()

    def gives_back(self, value: Value, yielded: bool = False) -> None:
        """What the innermost function being read returns (or yields) is ``value`` too."""
        for scope in reversed(self.scopes):
            if scope.function is not None:
                scope.function.generator = scope.function.generator or yielded
                previous = scope.function.returns
                first = not scope.function.returned
                scope.function.returned = True
                # What the function gives back: the API or client it returns (when every return
                # agrees), the union of its taint, scratch only if every return is scratch.
                qname = value.qname if first or previous.qname == value.qname else None
                # One of several values itself (an environment variable or its default): its
                # choices are the function's, not a choice nested one level down.
                choices = value.options if not value.known and value.options and not value.each \
                    and not value.listing else (value,)
                returned = (previous.options if not first else ()) + choices
                single = value if first else None
                scope.function.returns = Value(qname=qname, host=value.host if first else previous.host,
                                               taint=previous.taint | value.taint,
                                               scratch=value.scratch if first else (value.scratch and previous.scratch),
                                               calls=value.calls, options=returned[-8:],
                                               const=single.const if single else None,
                                               known=bool(single and single.known), members=value.members,
                                               record=value.record and (first or previous.record))
                break

    # -- expressions -----------------------------------------------------------------------------

    def expr(self, node: ast.expr) -> Value:
        try:
            return self._expr(node)
        except RecursionError:
            raise
        except Exception as exc:  # noqa: BLE001 - an expression that cannot be read never hides the others
            self.unreadable(node, exc)
            return UNKNOWN

    def _expr(self, node: ast.expr) -> Value:
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
        origin = self.loc(node).path
        if node.id in self.catalogue.path_anchors.get("names", ()) and not origin.startswith("<"):
            return Value(qname=node.id, anchor=anchors.here(origin))
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
        method = self.method_of(base, node.attr)
        if method is not None:
            return base, method
        if base.record:
            field_value = next((m for k, m in base.members if k == node.attr), None)
            if field_value is not None:
                return base, field_value   # cfg.mode of Config(mode="overwrite")
        qname = f"{base.qname}.{node.attr}" if base.qname else None
        if base.qname in ("__builtins__", "builtins") and not node.attr.startswith("__"):
            qname = node.attr   # __builtins__.exec is exec
        taint = base.taint
        if qname in self.catalogue.source_names:
            taint = taint | {ENV_SOURCE}
        how = self.catalogue.path_anchors.get("attributes", {}).get(node.attr) if base.anchor else None
        return base, Value(qname=qname, taint=taint, host=base.host, listing=base.listing, each=base.each,
                           scratch=base.scratch and node.attr in self.catalogue.scratch_through.get("attributes", ()),
                           anchor=anchors.step(base.anchor, how, []) if base.anchor and how else None)

    def expr_Subscript(self, node: ast.Subscript) -> Value:
        base = self.expr(node.value)
        key = self.expr(node.slice)
        taint = base.taint | key.taint
        if base.qname in self.catalogue.source_subscripts:
            source = self.catalogue.source_subscripts[base.qname]
            if base.qname in self.catalogue.variable_subscripts:
                # The named variable replaces the generic label the mapping itself carries: a
                # secret's name makes it a secret, any other name an environment value.
                return Value(taint=(taint - {source}) | env_labels(self.catalogue, key), qname=f"{base.qname}[]")
            if key.known and isinstance(key.const, str):
                return Value(taint=(taint - {source}) | {f"{source} {key.const}"}, qname=f"{base.qname}[]")
            return Value(taint=taint | {source}, qname=f"{base.qname}[]")
        if base.known and key.known and not base.partial:
            # Any folded constant may be indexed; a wrong kind or key raises, and is not folded.
            container: Any = base.const
            try:
                if isinstance(node.slice, ast.Slice) or isinstance(key.const, (int, str)):
                    return const(container[key.const], taint=taint)
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
                     scratch=base.scratch, listing=base.listing, each=base.each)

    def method_of(self, base: Value, name: str) -> Value | None:
        """``self.helper`` inside a class, ``Cleaner(root).run`` of a local class: that method."""
        owner = None
        if base.qname in ("self", "cls") and self.classes:
            owner = self.classes[-1]
        elif base.qname and base.qname.endswith("()"):
            made = self.lookup(base.qname[:-2])   # Cleaner() here, delivery.Uploader() of a sibling module
            owner = made.function if made is not None else None
        elif base.function is not None and base.function.methods:
            static = base.function.methods.get(name)
            owner = base.function if static is not None and not static.method else None   # Cleaner.purge(...)
        method = owner.methods.get(name) if owner is not None else None
        if method is None:
            return None
        if method.takes_class:
            # AppConfig.from_env(): the class is its first argument, so cls(...) in it makes an instance.
            made = self.lookup(base.qname[:-2]) if base.qname and base.qname.endswith("()") else None
            return Value(qname=f"{base.qname}.{name}", function=method, bound=((made or base,), ()))
        return Value(qname=f"{base.qname}.{name}", function=method)

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
        inners = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                pieces.append(str(value.value))
                continue
            inner = self.expr(value.value if isinstance(value, ast.FormattedValue) else value)
            inners.append(inner)
            if isinstance(value, ast.FormattedValue) and value.format_spec is not None:
                self.expr(value.format_spec)
            text, hole = as_text_piece(inner, self.holes)
            pieces.append(text)
            partial = partial or hole
            taint = taint | inner.taint
        # f"{tmp}/events" with tmp a temporary directory: a path inside it.
        first = node.values[0] if node.values else None
        rest = node.values[1] if len(node.values) > 1 else None
        scratch = isinstance(first, ast.FormattedValue) and bool(inners) and inners[0].scratch and (
            rest is None or (isinstance(rest, ast.Constant) and str(rest.value).startswith("/")
                             and "/.." not in str(rest.value)))
        return spread(const("".join(pieces), node=node if not partial else None, partial=partial, taint=taint,
                            scratch=scratch), inners)

    def expr_BinOp(self, node: ast.BinOp) -> Value:
        left, right = self.expr(node.left), self.expr(node.right)
        return spread(self.binop(left, node.op, right), (left, right))

    def binop(self, left: Value, op: ast.operator, right: Value) -> Value:
        taint = left.taint | right.taint
        if isinstance(op, ast.Add):
            joined = _concatenate(left, right)
            if joined is not None:
                return const(joined, partial=left.partial or right.partial, taint=taint)
            if (left.known and isinstance(left.const, str)) or (right.known and isinstance(right.const, str)):
                a, _ = as_text_piece(left, self.holes)
                b, _ = as_text_piece(right, self.holes)
                return const(a + b, partial=True, taint=taint, scratch=left.scratch)
            if left.known and right.known and isinstance(left.const, (tuple, list)) \
                    and isinstance(right.const, (tuple, list)):
                return sequence_value(list(left.elements) + list(right.elements), type(left.const)) \
                    if left.elements and right.elements else Value(taint=taint)
        if isinstance(op, ast.Mod) and left.known and isinstance(left.const, str):
            return percent_format(left, right, self.holes) or Value(taint=taint)
        if isinstance(op, ast.Mult) and left.known and right.known:
            if isinstance(left.const, (str, bytes)) and isinstance(right.const, int) and 0 <= right.const <= 1000:
                return const(left.const * right.const, taint=taint)
        if isinstance(op, ast.Div) and left.anchor:
            # Path(__file__).parent / "sql": a path named from the running file (anchors.py).
            part = right.const if right.known and not right.partial and isinstance(right.const, str) else None
            return Value(qname=left.qname, taint=taint, anchor=anchors.step(left.anchor, "join", [part]))
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
        holds = self.condition(node.test)
        if holds is not None:
            return self.expr(node.body if holds else node.orelse)
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
        members = tuple((k.const, v) for k, v in zip(keys, values, strict=True)
                        if k.known and isinstance(k.const, (str, int)))
        if all(k.known for k in keys) and all(v.known for v in values) and None not in node.keys:
            try:
                folded = dict(zip((k.const for k in keys), (v.const for v in values), strict=True))
                return Value(const=folded, known=True, taint=taint, elements=tuple(values), members=members)
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
        used), else an unknown element with the list's taint, one of many (``each``); an element of
        a listing carries its glob."""
        if not iterable.elements and iterable.options and not iterable.members:
            # One of several collections (what a helper returns, a list grown under a test): an
            # element of any of them.
            parts = [self.element_of(option) for option in iterable.options[:8]]
            if len(parts) == 1:
                return parts[0].with_taint(iterable.taint)
            return Value(options=tuple(parts), taint=iterable.taint | merge_taint(parts),
                         scratch=all(p.scratch for p in parts), each=any(p.each for p in parts))
        options = iterable.elements or iterable.options
        if not options and iterable.known and not iterable.partial and isinstance(iterable.const, (tuple, list)):
            # LEGACY_TABLES = ("a", "b") reached through a default: a constant is as known as a literal.
            options = tuple(const(item, taint=iterable.taint) for item in iterable.const)
        if not options and iterable.members:
            options = tuple(key for key, _ in iterable.members)
            options = tuple(const(k) for k in options)
        taint = iterable.taint | merge_taint(iterable.elements)
        if len(options) == 1 and not iterable.listing:
            # What a generator yields in a loop (a blob of client.list_blobs(), a table name): that
            # item itself, whose methods and text are then known.
            return options[0].with_taint(taint)
        if options and len(options) <= 64:
            return Value(options=tuple(options), taint=taint, scratch=all(o.scratch for o in options),
                         listing=iterable.listing)
        return Value(taint=taint, scratch=iterable.scratch, listing=iterable.listing, each=iterable.listing is None,
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
        folded = self._fold_chr_comprehension(node) or self._known_comprehension(node)
        if folded is not None:
            return folded
        # [tempfile.mkdtemp() for _ in range(n)]: a collection of temporary paths only.
        scratch = not isinstance(node, ast.DictComp) and values[-1].scratch
        return spread(Value(taint=merge_taint(values), scratch=scratch), values)

    def _known_comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
                             ) -> Value | None:
        """``[f"tenant_{n}" for n in TENANTS]`` over a known list: its elements, one per item
        (only for an element made without calls, so nothing is reported twice)."""
        if isinstance(node, ast.DictComp) or len(node.generators) != 1 or node.generators[0].ifs \
                or not isinstance(node.generators[0].target, ast.Name) \
                or any(isinstance(n, (ast.Call, ast.Await, ast.NamedExpr, ast.Yield, ast.Lambda))
                       for n in ast.walk(node.elt)):
            return None
        items = self.element_of(self.expr(node.generators[0].iter)).options
        if not items or len(items) > 64 or not all(i.known for i in items):
            return None
        elements = []
        for item in items:
            self.scopes.append(Scope(names={node.generators[0].target.id: item}))
            try:
                elements.append(self.expr(node.elt))
            finally:
                self.scopes.pop()
        return sequence_value(elements, tuple)

    expr_ListComp = _comprehension_expr
    expr_SetComp = _comprehension_expr
    expr_GeneratorExp = _comprehension_expr
    expr_DictComp = _comprehension_expr

    def _fold_chr_comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp
                                ) -> Value | None:
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
            elif value.members and all(isinstance(key, str) for key, _ in value.members):
                keywords.update(dict(value.members))   # **{"if_exists": "replace"}: those keywords
            elif value.known and isinstance(value.const, dict) and all(isinstance(k, str) for k in value.const):
                keywords.update({key: const(item) for key, item in value.const.items()})
            else:
                args.append(value)
        func = node.func
        # Methods the walker itself follows (one set lookup for all of them; most calls are none).
        method = func.attr if isinstance(func, ast.Attribute) and func.attr in self.catalogue.walker_methods else None
        if method in GROWING_METHODS and receiver is not None and len(args) == 1 and isinstance(func, ast.Attribute):
            if func.attr != "update" and isinstance(func.value, ast.Name) and not keywords:
                self.grow(func.value.id, func.attr, args[0])
            elif func.attr == "update" and isinstance(func.value, ast.Name) and self.lookup(func.value.id) is not None \
                    and (receiver.members or (receiver.known and isinstance(receiver.const, dict))
                         or receiver.qname in ("dict()", "builtins.dict()")):
                # data.update(collect_users()): the mapping now holds those members and their data
                # (a mapping only: hashlib's h.update(secret) makes a digest, not a copy).
                added = dict(args[0].members)
                held = tuple(m for m in receiver.members if m[0] not in added) + tuple(added.items())
                folded = {**receiver.const, **args[0].const} if receiver.known and args[0].known \
                    and isinstance(receiver.const, dict) and isinstance(args[0].const, dict) else None
                self.bind(func.value.id, replace(receiver, members=held[:64], taint=receiver.taint | args[0].taint,
                                                 const=folded, known=folded is not None,
                                                 elements=receiver.elements + (args[0],)))
            elif func.attr == "update" and isinstance(func.value, ast.Attribute):
                # s.headers.update({...}): the object's mapping grows by those members.
                added = dict(args[0].members)
                held = tuple(m for m in receiver.members if m[0] not in added) + tuple(added.items())
                self.set_on_object(func.value.value, func.value.attr,
                                   Value(members=held[:64], taint=receiver.taint | args[0].taint))
        result = self.call(node, receiver, function, args, keywords)
        if method is not None and receiver is not None and isinstance(func, ast.Attribute):
            if method in self.catalogue.parser_methods:
                result = self.command_line(method, receiver, args, keywords, result)
            elif method in self.catalogue.filling_methods:
                self.fill(func.value, args, keywords)
        if keywords and not self.catalogue.client_members.isdisjoint(keywords) and result.qname \
                and last_name(result.qname.removesuffix("()"))[:1].isupper():
            # httpx.Client(headers={...}): the client holds them, and each request it sends carries them.
            given = tuple((key, value) for key, value in keywords.items() if key in self.catalogue.client_members)
            result = replace(result, members=result.members + given)
        # A path built from one of many paths (os.path.join(d, f) for f in a listing) is one of many too.
        return spread(result, [*args, *keywords.values(), *([receiver] if receiver is not None else [])])

    def command_line(self, method: str, parser: Value, args: list[Value], keywords: dict[str, Value],
                     result: Value) -> Value:
        """``parser.add_argument("--mode", default="replace")`` then ``args = parser.parse_args()``:
        ``args.mode`` is "replace" unless the command line says otherwise, which is what the script
        does when run as written (``argument_parsers`` of rules/python.yaml)."""
        spec = self.catalogue.argument_parsers
        if not any((parser.qname or "").startswith(f"{name}()") for name in spec.get("classes", ())):
            return result
        if method in spec.get("parse", ()) or method in spec.get("parse_known", ()):
            namespace = Value(qname=result.qname, members=tuple(self.options_declared.items())[:128], record=True)
            return namespace if method in spec.get("parse", ()) else sequence_value([namespace, UNKNOWN], tuple)
        if method not in spec.get("declare", ()):
            return result
        names = [a.const for a in args if a.known and isinstance(a.const, str)]
        dest = keywords.get("dest")
        name = dest.const if dest is not None and dest.known and isinstance(dest.const, str) else next(
            (n.lstrip("-").replace("-", "_") for n in names if n.startswith("--")),
            names[0].lstrip("-").replace("-", "_") if names else None)
        action = keywords.get("action")
        flag = (spec.get("flags") or {}).get(action.const) if action is not None and action.known else None
        default = keywords.get("default")
        if name and default is None and flag is not None:
            default = const(flag)
        if name and default is not None and default.known and len(self.options_declared) < 128:
            self.options_declared[name] = default
            self.command_line_values[id(default)] = default
        return result

    def call(self, node: ast.Call, receiver: Value | None, function: Value, args: list[Value],
             keywords: dict[str, Value]) -> Value:
        """What a call gives back, once its function and arguments are known."""
        if function.options and not function.qname:
            # fn(...) where fn is any of several functions: each is checked as the callee.
            for option in function.options[:8]:
                if option.function is not None and option.function.node is not None:
                    self.call(node, receiver, option, args, keywords)   # TASKS[args.cmd](...): each task
                elif option.qname:
                    Call(self, node, option, args, keywords, receiver).match()
            return Value(taint=merge_taint(args) | merge_taint(keywords.values()))
        if not function.qname and receiver is not None and receiver.members and args \
                and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            # HANDLERS.get("wipe") of a dict written in the code: that member (a function to call).
            member = self.member_of(receiver, args[0])
            if member is not None:
                return member
        if not function.qname and receiver is not None and receiver.members and not args \
                and isinstance(node.func, ast.Attribute) and node.func.attr in ("items", "values"):
            # for name, fn in TASKS.items(): each member of a mapping written in the code.
            pairs = receiver.members[:64]
            return sequence_value([sequence_value([const(k), v], tuple) if node.func.attr == "items" else v
                                   for k, v in pairs], list)
        knowledge = flow_knowledge()
        if function.qname in knowledge.argv_calls:
            args = _argv_arguments(node, args, knowledge.argv_calls[function.qname])
        handed = self.handed(node, function, args, keywords)
        if handed is not None:
            return handed
        if function.function is None:
            for given in (*args, *keywords.values()):
                if given.function is not None:
                    given.function.escapes = True   # atexit.register(purge): it runs with what that gives it
        if function.qname in self.catalogue.collection_copies and function.function is None and len(args) == 1 \
                and not keywords and not args[0].known:
            return args[0]   # list(bucket.list_blobs()): the same blobs
        if args and not args[0].known and 1 < len(args[0].options) <= 8 and (
                function.qname in knowledge.command_joins or (
                    isinstance(node.func, ast.Attribute) and node.func.attr == "join" and receiver is not None
                    and receiver.known and isinstance(receiver.const, str))):
            # " ".join(cmd) where cmd is one of several lists: one command line for each.
            return Value(options=tuple(self.call(node, receiver, function, [option, *args[1:]], keywords)
                                       for option in args[0].options), taint=merge_taint(args))
        if function.qname in knowledge.command_joins and args:
            joined = _command_line(args[0], self.holes)
            if joined is not None:
                return joined
        call = Call(self, node, function, args, keywords, receiver)
        special = call.special()
        if special is not None:
            return special
        if function.function is not None and function.function.fields is not None:
            return self.record(function.function, args, keywords)
        if function.function is not None:
            init = function.function.methods.get("__init__")
            if init is not None:
                # Cleaner("/srv/data") runs its __init__; what it sets on self is the instance's state.
                state = self.inline(init, node, args, keywords, constructing=True)
                if state is not None and state.record:
                    # Named as written here (delivery.Uploader()), so its methods are found from here.
                    made = self.dotted(node.func) or function.qname
                    return replace(state, qname=f"{made}()", taint=call.arg_taint())
            if function.bound:
                args = [*function.bound[0], *args]
                keywords = {**dict(function.bound[1]), **keywords}
            instance = receiver if receiver is not None and receiver.record and function.function.method else None
            before = len(self.result.operations)
            self.method_state = ()
            specific = self.inline(function.function, node, args, keywords, instance)
            if instance is not None and self.method_state and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name) and self.lookup(node.func.value.id) is instance:
                # refresher.register("truncate", truncate): what the method set is the object's now.
                changed = dict(self.method_state)
                held = tuple(m for m in instance.members if m[0] not in changed) + tuple(changed.items())
                self.bind(node.func.value.id, replace(instance, members=held[:64]))
            self.method_state = ()
            # fn(cur, t) for t in a known list of tables: read once per table, and only so (the
            # reading with "any of them" would report the whole list once more).
            choices = next((a for a in args if not a.known and 1 < len(a.options) <= 8
                            and all(o.known for o in a.options)), None)
            if choices is not None:
                del self.result.operations[before:]
            for option in choices.options if choices is not None else ():
                self.inline(function.function, node, [option if a is choices else a for a in args], keywords)
            if choices is not None:
                # What does not depend on the item is found once per item: once per finding.
                seen: set[tuple[object, ...]] = set()
                unique = []
                for op in self.result.operations[before:]:
                    key = (op.rule, op.location, op.targets, op.message)
                    if key not in seen:
                        seen.add(key)
                        unique.append(op)
                self.result.operations[before:] = unique
            returns = specific if specific is not None else function.function.returns
            return replace(returns, qname=returns.qname or f"{function.qname}()",
                           taint=returns.taint | call.arg_taint())
        if function.qname:
            call.match()
            call.check_function_references()
        return call.result()

    def handed(self, node: ast.Call, function: Value, args: list[Value], keywords: dict[str, Value]) -> Value | None:
        """A local function handed on to be called later: bound by ``functools.partial``, handed to a
        thread pool or event loop (``submit``, ``to_thread``, ``run_in_executor``: rules/flow.yaml),
        or mapped over a collection (``map``, ``executor.map``): read as called here."""
        name = function.qname or ""
        tail = last_name(name)
        if name in ("functools.partial", "functools.partialmethod") and args and args[0].function is not None \
                and args[0].function.fields is None:
            wrapped = args[0]
            bound = wrapped.bound or ((), ())
            return replace(wrapped, bound=((*bound[0], *args[1:]), (*bound[1], *keywords.items())))
        position = flow_knowledge().handing_calls.get(tail)
        if position is not None and len(args) > position and args[position].function is not None:
            self.call(node, None, args[position], args[position + 1:], keywords)
            return Value(taint=merge_taint(args))
        if position is not None and position < len(node.args) and len(args) > position + 1 \
                and isinstance(node.args[position], (ast.Name, ast.Attribute)) and args[position].qname:
            # asyncio.to_thread(cur.execute, sql): the API handed on is called with what follows it.
            handed_node = node.args[position]
            fake = ast.Call(func=handed_node, args=node.args[position + 1:], keywords=node.keywords)
            ast.copy_location(fake, node)
            owner = self.attribute(handed_node)[0] if isinstance(handed_node, ast.Attribute) else None
            Call(self, fake, args[position], args[position + 1:], keywords, owner).match()
        if tail in self.catalogue.walker_methods:
            later = self.catalogue.handing_keywords.get(tail)
            if later is not None:
                self.called_later(node, later, args, keywords)
            if tail in self.catalogue.migration_calls:
                self.migration_call(node, function, tail, args, keywords)
        if tail in self.catalogue.mapping_calls and len(args) >= 2 and args[0].function is not None:
            self.call(node, None, args[0], [self.element_of(a) for a in args[1:]], {})
            return Value(taint=merge_taint(args), listing=args[1].listing)
        return None

    def called_later(self, node: ast.Call, spec: dict[str, Any], args: list[Value],
                     keywords: dict[str, Value]) -> None:
        """``threading.Thread(target=wipe, args=(path,))``: ``wipe(path)`` read as called here."""
        def given(part: dict[str, Any]) -> Value | None:
            return keywords.get(part["kw"]) or (args[part["arg"]] if part["arg"] < len(args) else None)

        target = given(spec["function"])
        if target is None or target.function is None or target.function.fields is not None:
            return
        passed = given(spec["args"])
        words = list(passed.elements) if passed is not None and passed.elements else \
            [const(c) for c in passed.const] if passed is not None and passed.known and \
            isinstance(passed.const, (tuple, list)) else []
        named = given(spec["kwargs"])
        self.call(node, None, target, words, {str(k): v for k, v in named.members} if named is not None else {})

    def migration_call(self, node: ast.Call, function: Value, tail: str, args: list[Value],
                       keywords: dict[str, Value]) -> None:
        """Django's AlterField (does it narrow the field?) and RunPython (its functions run)."""
        altering = self.catalogue.migrations.get("alter_field") or {}
        if tail in altering.get("methods", ()):
            self.altered_field(node, function.qname or tail, altering)
        run_code = self.catalogue.migrations.get("run_code") or {}
        if tail in run_code.get("methods", ()):
            # RunPython(forwards, backwards): the migration runs both functions with (apps, schema_editor).
            for spec in run_code.get("functions", ()):
                code = keywords.get(spec.get("kw")) or (args[spec["arg"]] if spec.get("arg", 99) < len(args) else None)
                if code is not None and code.function is not None and code.function.fields is None:
                    self.call(node, None, code, [Value(qname=p) for p in run_code.get("parameters", ())], {})

    def altered_field(self, node: ast.Call, callee: str, spec: dict[str, Any]) -> None:
        """``AlterField(model_name, name, field)`` that narrows what the earlier migrations of the
        checked set, or this file above it, declared (a smaller max_length, a TextField made a
        CharField): the values already stored are cut or cast."""
        model = migrations.constant_text(node, spec["model"])
        name = migrations.constant_text(node, spec["name"])
        after = migrations.field_definition(migrations.argument(node, spec["field"]))
        if model is None or name is None or after is None:
            return
        declared = migrations.field_history(self.origin.path, self.options.modules, spec) \
            if self.options.modules else {}
        if self.tree is not None:
            declared = {**declared, **migrations.declared_fields(self.tree, spec, before=node.lineno)}
        before = declared.get((model, name))
        change = migrations.narrowing(before, after, spec) if before is not None else None
        if change is not None:
            self.report("py.orm-narrow-field", node, callee, targets=(f"{model}.{name}",), change=change)

    def inline(self, summary: FunctionSummary, node: ast.Call, args: list[Value],
               keywords: dict[str, Value], instance: Value | None = None, constructing: bool = False) -> Value | None:
        """Read a small function again with this call's arguments (constants, scratch paths,
        listings, record fields, and the defaults of parameters left out):
        ``_git("push", "--force")`` reaches ``subprocess.run(["git", *args])`` as a real command,
        ``purge("users")`` with ``where=None`` deletes every row. What that finds beyond what the
        body showed on its own is reported at the call, naming the helper (``via``); what the call
        gives back is returned. One reading per function and arguments: later calls reuse it."""
        definition = summary.node
        names, telling = self._parameters(summary, definition, args, keywords, instance) if definition is not None \
            else ({}, False)
        # A function of another module of the checked set is read like one of this file: that
        # module is checked too and shows what the body does on its own where it is written; the
        # call gets a finding only when what it passes decides or changes the operation.
        # A constructor is read even with nothing known passed: the state it sets (self.steps = {})
        # is what its other methods fill and read (one reading per class: the readings are kept).
        if definition is None or self.inline_depth >= MAX_INLINE_DEPTH or not (telling or constructing):
            if summary.body_ops:
                for index in summary.body_ops:   # a call that proves nothing about the target
                    summary.scratch_at_calls[index] = False
            return None
        if sum(1 for _ in ast.walk(definition)) > 1500:
            return None
        if summary.hoisted:
            # Called before its definition was read: what its body shows on its own is found
            # there, not at this call.
            summary.hoisted = False
            alone = {p.arg: self.parameter_value(p)
                     for p in (*definition.args.posonlyargs, *definition.args.args, *definition.args.kwonlyargs)}
            summary.found = frozenset(_finding(op) for op in self.read_body(summary, definition, alone)[0])
        key = _signature(names)
        cached = summary.inlined.get(key) if key is not None else None
        if cached is not None:
            operations, returns, state, skipped = cached
        else:
            mark = len(self.skipped)
            operations, returns = self.read_body(summary, definition, names)
            state, skipped = self.method_state, tuple(self.skipped[mark:][:64])
            if key is not None and len(summary.inlined) < 64:
                summary.inlined[key] = (operations, returns, state, skipped)
        if cached is not None and len(self.skipped) < 256:
            self.skipped.extend(skipped)   # what the kept reading skipped, for the readings around it
        self.method_state = state
        here = self.loc(node)
        # pool.map(delete_one, names), for n in names: drop(n): the helper runs on each of many
        # unknown items, so what it does to them is reported where it is run, too.
        many = [re.compile(rf"\b{re.escape(name)}\b") for name, value in names.items() if value.each]
        for op in operations:
            mapped = bool(many) and op.category == "destructive" and not op.scratch and \
                any(pattern.search(target) for pattern in many for target in op.targets)
            if mapped or (_finding(op) not in summary.found and _news(op, summary.found)):
                via = dict(op.details).get("via")
                chain = f"{summary.name} > {via}" if via else summary.name
                message = op.message.removesuffix(f" (through {via})") if via else op.message
                details = dict(op.details, via=chain)
                # Where in the helper it happens (the innermost line, with its file when another module's).
                details.setdefault("helper_line", str(op.location.line) if op.location.path == here.path
                                   else f"{op.location.path}:{op.location.line}")
                self.result.operations.append(replace(op, location=here, evidence=self.source_line(node),
                                                      message=f"{message} (through {chain})",
                                                      details=tuple(sorted(details.items()))))
        # parse_zip(content, workdir=tmp) with tmp a TemporaryDirectory: the body's removal is
        # scratch for this call; it is scratch for good when it is for every call in the unit.
        scratch_now = {(op.rule, op.location.line) for op in operations if op.scratch}
        # expire(settings, dry_run=True): a test these arguments decide keeps what the body did on
        # its own from running (if dry_run: return). Harmless for every call in the unit, it is
        # harmless for good. Only a call that passes something decides it (main() left to its
        # defaults is an entry point whose parameters are for other callers), never with a
        # command-line flag (a run may give it), and not for a function handed to unread code.
        given = [*args, *keywords.values(), *(m for _, m in instance.members)] if instance is not None \
            else [*args, *keywords.values()]
        decided = bool(skipped) and bool(given) and not summary.escapes and not self.flag_given(given)
        happens = {(op.rule, op.location.line) for op in operations}
        for index, body_key in summary.body_ops.items():
            previous = summary.scratch_at_calls.get(index)
            where, line = summary.body_origins.get(index, (summary.path, body_key[1]))
            kept_from_running = decided and body_key not in happens and any(
                path == where and first <= line <= last for path, first, last in skipped)
            harmless = body_key in scratch_now or kept_from_running
            summary.scratch_at_calls[index] = (previous is None or previous) and harmless
        if not self.inline_depth:
            self.skipped.clear()   # a reading from the unit's own statements is done
        return returns

    def flag_given(self, values: list[Value]) -> bool:
        """Whether a command-line option's default is among ``values`` (or their fields): a flag
        (publish(v, args.rewritten)) can choose otherwise on any run."""
        seen = 0
        pending = list(values)
        while pending and seen < 256:
            value = pending.pop()
            seen += 1
            if id(value) in self.command_line_values:
                return True
            pending.extend(m for _, m in value.members)
        return False

    def read_body(self, summary: FunctionSummary, definition: ast.FunctionDef | ast.AsyncFunctionDef,
                  names: dict[str, Value]) -> tuple[list[Operation], Value | None]:
        """What a function's body does with its parameters bound to ``names``, and what it returns."""
        scope = Scope(names=dict(names), function=FunctionSummary(summary.name))
        parameters = definition.args.posonlyargs + definition.args.args
        receiver = parameters[0].arg if summary.method and parameters else None
        given: dict[str, Value] = {}
        if receiver is not None:
            # The instance of this call: its members (Job(cfg).run() sees self.cfg), then what the
            # class's methods set when read on their own.
            prefix = receiver + "."
            given = {name[len(prefix):]: scope.names.pop(name) for name in list(scope.names) if name.startswith(prefix)}
            self.instances.append((receiver, dict(given), summary.owner.attributes if summary.owner else {}))
        saved, self.result = self.result, Analysis()
        # A function of another module sees that module's names (its imports, helpers, constants).
        home = summary.globals if summary.globals is not None and summary.globals is not self.scopes[0].names \
            else None
        if home is not None:
            self.scopes.append(Scope(names=home))
        self.scopes.append(scope)
        self.classes.append(summary.owner or FunctionSummary(""))
        self.inline_depth += 1
        try:
            self.block(definition.body)
        finally:
            self.inline_depth -= 1
            self.classes.pop()
            self.scopes.pop()
            if home is not None:
                self.scopes.pop()
            table = self.instances.pop()[1] if receiver is not None else {}
            found, self.result = self.result, saved
        function = scope.function
        self.method_state = tuple((name, value) for name, value in table.items()
                                  if "." not in name and given.get(name) is not value)[:64]
        if receiver is not None and definition.name == "__init__":
            # What __init__ set on the instance (self.cfg = cfg): the state of the object it makes.
            state = tuple((name, value) for name, value in table.items()
                          if "." not in name and given.get(name) is not value)
            return found.operations, Value(members=state[:64], record=True) if state else None
        return found.operations, function.returns if function is not None and function.returned else None

    def _parameters(self, summary: FunctionSummary, definition: ast.FunctionDef | ast.AsyncFunctionDef,
                    args: list[Value], keywords: dict[str, Value],
                    instance: Value | None = None) -> tuple[dict[str, Value], bool]:
        """The parameters' values for one call (a default where the call leaves one out), and
        whether any of them tells more than the body read on its own showed."""
        names: dict[str, Value] = {}
        telling = False
        parameters = definition.args.posonlyargs + definition.args.args
        if summary.method and parameters:
            names[parameters[0].arg] = Value(qname="self")   # the instance: self.other() is a method
            for attribute, member in instance.members if instance is not None else ():
                names[f"{parameters[0].arg}.{attribute}"] = member   # self.cfg of Job(cfg)
                telling = telling or _telling(member)
            parameters = parameters[1:]
        for index, parameter in enumerate(parameters):
            if index < len(args):
                value = args[index]
            elif parameter.arg in keywords:
                value = keywords[parameter.arg]
            elif parameter.arg in summary.defaults:
                value = summary.defaults[parameter.arg]
                telling = telling or value.known
            else:
                value = Value(qname=parameter.arg)
            names[parameter.arg] = value
        for parameter in definition.args.kwonlyargs:
            value = keywords.get(parameter.arg) or summary.defaults.get(parameter.arg) or Value(qname=parameter.arg)
            telling = telling or (parameter.arg not in keywords and value.known)
            names[parameter.arg] = value
        if definition.args.vararg is not None:
            names[definition.args.vararg.arg] = sequence_value(list(args[len(parameters):]), tuple)
        if definition.args.kwarg is not None:
            # **filters: the keywords no parameter took (none at all is an empty, false mapping).
            named = {p.arg for p in (*parameters, *definition.args.kwonlyargs)}
            extra = {key: value for key, value in keywords.items() if key not in named}
            mapping = {key: value.const for key, value in extra.items() if value.known}
            names[definition.args.kwarg.arg] = Value(
                const=mapping if len(mapping) == len(extra) else None, known=len(mapping) == len(extra),
                members=tuple(extra.items()), elements=tuple(extra.values()), taint=merge_taint(extra.values()))
            # purge() with no filters at all: ``if filters`` is decided by the call, like a default.
            telling = telling or not extra
        telling = telling or any(_telling(a) for a in (*args, *keywords.values()))
        # One of many unknown items (pool.map(delete_one, names)) tells more only to a body that
        # does something on its own: what it does is then done to each of them.
        telling = telling or (bool(summary.found) and any(a.each for a in (*args, *keywords.values())))
        return names, telling

    def condition(self, test: ast.expr) -> bool | None:
        """Whether a test holds, when a call being read again made it known (``if where:``)."""
        value = self.expr(test)
        if not self.inline_depth and not self.assumed(test):
            return None
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], (ast.Is, ast.IsNot)) \
                and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None \
                and isinstance(test.left, (ast.Name, ast.Attribute)):   # read again: nothing it reports
            left = self.expr(test.left)
            if left.known or left.qname or left.members or left.elements:
                holds = left.known and left.const is None and not left.partial
                return holds if isinstance(test.ops[0], ast.Is) else not holds
            return None
        if value.known and not value.partial and isinstance(value.const, (str, bytes, int, float, bool, tuple, dict,
                                                                          type(None))):
            return bool(value.const)
        if value.known and value.partial and isinstance(value.const, str) and HOLE_PATTERN.sub("", value.const):
            return True   # f"created_at < {cutoff}": text of its own is never empty
        return None

    def assumed(self, test: ast.expr) -> bool:
        """``cfg.hard_reset`` (or ``not cfg.hard_reset``) of a parameter that holds its record
        class's defaults, or ``self.cfg.hard_reset`` of an instance attribute that does."""
        while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test = test.operand
        first: ast.Attribute | None = None
        while isinstance(test, ast.Attribute):
            first = test
            test = test.value
        if not isinstance(test, ast.Name) or not isinstance(test.ctx, ast.Load):
            return False
        if first is not None and self.instance_attribute(f"{test.id}.{first.attr}"):
            held = self.lookup(f"{test.id}.{first.attr}")
            return held is not None and held.record
        for scope in reversed(self.scopes):
            if test.id in scope.names:
                return test.id in scope.assumed
        return False

    def stmt_If(self, node: ast.If) -> None:
        holds = self.condition(node.test)
        self.undecided += holds is None
        try:
            if holds is not False:
                self.block(node.body)
            if holds is not True:
                self.block(node.orelse)
        finally:
            self.undecided -= holds is None
        taken = node.body if holds else node.orelse if holds is False else []
        self.exits = bool(taken) and isinstance(taken[-1], (ast.Return, ast.Raise))
        left = node.orelse if holds else node.body if holds is False else []
        if left and self.inline_depth and len(self.skipped) < 256:
            self.skipped.append((self.origin.path, self.line_of(left[0]), self.line_of(left[-1], last=True)))

    def grow(self, name: str, method: str, added: Value) -> None:
        """``cmd.append("--force")``, ``cmd.extend([...])`` on a list of known words: the list grows;
        under a test that cannot be decided it is either list."""
        current = self.lookup(name)
        if current is None or current.members:
            return
        words = current.elements or (tuple(const(c) for c in current.const)
                                     if current.known and isinstance(current.const, (tuple, list)) else ())
        if not words and not (current.known and current.const in ((), [])):
            return
        if method == "append":
            more: tuple = (added,)
        else:
            items = added.const
            more = added.elements or (tuple(const(c) for c in items)
                                      if added.known and isinstance(items, (tuple, list)) else ())
            if not more:
                self.bind(name, Value(taint=current.taint | added.taint))   # words that cannot be told
                return
        if len(words) + len(more) > 256:
            return
        grown = sequence_value([*words, *more], tuple)
        self.bind(name, Value(options=(current, grown), taint=grown.taint) if self.undecided else grown)

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
            message=rule.format_message(**fields), targets=targets, verb=(verb or last_name(callee)) if callee
            else verb, evidence=self.source_line(node), scratch=scratch,
            details=make_details(callee=callee, **details)))

    def touch(self, kind: str, target: str, access: str, node: ast.AST) -> None:
        self.result.touches.append(Touch(kind, target, access, "python", self.loc(node)))

    def add(self, found: Analysis) -> None:
        """Add what was found elsewhere (embedded code, a magic's body) to this unit's findings."""
        self.result.extend(found)

    def embedded(self, language: str, value: Value, node: ast.expr, hint: str | None = None,
                 origin: Location | None = None) -> None:
        """Hand constant code to its front end; lines map into the literal where they can."""
        text = value.text
        if text is None:
            return
        clamp = None
        if origin is None:
            literal = value.node
            if isinstance(literal, ast.Constant) and isinstance(literal.value, str) \
                    and node.lineno <= literal.lineno <= (node.end_lineno or node.lineno):
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


def _walk_module(path: str, text: str, options: Options) -> ModuleNames:
    """A sibling module's top-level bindings, read like any unit; what it does is reported when
    that file itself is checked, not here."""
    session = PythonSession()
    scratch = Analysis()
    origin = Location(path)
    for unit, line_offset in parse_units(text, origin, scratch):
        Walker(text, origin, options, session, python_catalogue(), scratch, line_offset).run(unit)
    return dict(session.module.names)


def _argv_arguments(node: ast.Call, args: list[Value], start: int) -> list[Value]:
    """``create_subprocess_exec("rm", "-rf", path)``: the words from ``start`` on as one argument list
    (a starred list spreads its words); the arguments before it stay."""
    words: list[Value] = []
    for argument, value in zip(node.args[start:], args[start:], strict=False):
        if isinstance(argument, ast.Starred):
            items = value.const
            if value.elements:
                words.extend(value.elements)
            elif value.known and isinstance(items, (tuple, list)):
                words.extend(const(c) for c in items)
            else:
                return args   # words that cannot be told apart: left to the catalogue as written
        else:
            words.append(value)
    if len(words) < 2:
        return args
    return [*args[:start], sequence_value(words, tuple)]


def _command_line(words: Value, holes: Holes) -> Value | None:
    """``shlex.join(["rm", "-rf", path])``: one command line, unknown words as holes."""
    parts = words.elements or (tuple(const(c) for c in words.const)
                               if words.known and isinstance(words.const, (tuple, list)) else ())
    if not parts:
        return None
    pieces = []
    partial = False
    for part in parts:
        text, hole = as_text_piece(part, holes)
        partial = partial or hole
        pieces.append(text if hole and not part.known else shlex.quote(text))
    return const(" ".join(pieces), partial=partial, taint=merge_taint(parts) | words.taint)


def _registry_key(key: ast.expr, given: dict[str, Value], parameter: str, name: str) -> str | None:
    """The key a decorator stores a function under: a constant, the factory's argument
    (``TASKS[name] = fn``), or the function's own name (``TASKS[fn.__name__] = fn``)."""
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    if isinstance(key, ast.Name) and key.id in given:
        value = given[key.id]
        return value.const if value.known and isinstance(value.const, str) else None
    if isinstance(key, ast.Attribute) and key.attr == "__name__" and isinstance(key.value, ast.Name) \
            and key.value.id == parameter:
        return name
    return None


def _telling(value: Value) -> bool:
    """An argument worth reading a function's body again for: a constant, a scratch path, a
    listing, data from a source (``send(payload)`` with a secret: the helper's request carries
    it), a record whose fields are known, or one of several values some of which are known (an
    environment variable's constant default)."""
    return value.known or value.scratch or bool(value.listing) or _sourced(value.taint) \
        or any(m.known or _sourced(m.taint) for _, m in value.members) or _typed(value) \
        or any(o.known for o in value.options) \
        or (value.function is not None and value.function.fields is not None)   # cls of a record class


def _typed(value: Value) -> bool:
    """An object whose kind is known (a blob of ``bucket.list_blobs()``, a ``boto3`` client): the
    kind decides what a method called on it in the helper is (``blob.delete()`` deletes an object).
    A parameter read on its own is only its name."""
    qname = value.qname or ""
    return "." in qname or "(" in qname


def _sourced(taint: frozenset) -> bool:
    """Data from a source, or the machine's identity (which a DNS name built in a helper leaks)."""
    return bool(sources_of(taint)) or IDENTITY_SOURCE in taint


def _news(op: Operation, alone: frozenset[tuple[str, tuple[str, ...], str]]) -> bool:
    """Whether a finding of a helper read with a call's arguments tells more than the body read
    alone: a rule it did not show, a target the call made known, or a source. The same removal of
    a path that is still unknown ("{filename}" where it said "new_dst") is not news."""
    if op.detail("source") or op.rule not in {rule for rule, _, _ in alone}:
        return True
    resolved = op.detail("resolved")   # removals say how well their targets are known
    if resolved is not None:
        return resolved != "no"
    return not (op.targets and all("{" in target or HOLE_PATTERN.search(target) for target in op.targets))


def _origin(op: Operation) -> tuple[str, int]:
    """Where an operation happens in the end: the innermost helper line it went through, or its own."""
    inner = op.detail("helper_line")
    if inner:
        path, _, line = inner.rpartition(":")
        if line.isdigit():
            return path or op.location.path, int(line)
    return op.location.path, op.location.line


def _finding(op: Operation) -> tuple[str, tuple[str, ...], str]:
    """What tells a finding of a helper read with a call's arguments from what its body showed
    alone: the rule, the targets, and the source of the data it sends."""
    return op.rule, op.targets, str(op.detail("source") or "")


def _signature(names: dict[str, Value]) -> str | None:
    """What a reading of a body depends on, as a key; None when too large to be worth keeping."""
    def part(value: Value, depth: int = 0) -> object:
        if depth >= 3 and (value.elements or value.options) or len(value.elements) > 32 or len(value.options) > 16:
            raise ValueError("too large to key")
        inner = (tuple(part(e, depth + 1) for e in value.elements), tuple(part(o, depth + 1) for o in value.options))
        return (value.qname, repr(value.const) if value.known else None, value.partial, value.scratch,
                value.listing, value.each, tuple(sorted(value.taint)),
                tuple((k, repr(m.const) if m.known else m.qname) for k, m in value.members), len(value.elements),
                inner)

    try:
        key = repr(sorted((name, part(value)) for name, value in names.items()))
    except ValueError:
        return None
    return key if len(key) <= 4000 else None


def _concatenate(left: Value, right: Value) -> str | bytes | None:
    """``"a" + "b"`` or ``b"a" + b"b"`` of two constants; None for anything else."""
    if not (left.known and right.known):
        return None
    if isinstance(left.const, str) and isinstance(right.const, str):
        return left.const + right.const
    if isinstance(left.const, bytes) and isinstance(right.const, bytes):
        return left.const + right.const
    return None


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
