"""Calls in the Python front end: what the catalogue says of one call, its arguments and result.

:class:`Call` resolves a call the walker met: special forms (getattr, exec, partial,
magics), catalogue entries (APIs, sources, sinks) with their conditions, embedded code
handed to the SQL and shell front ends, and the value it returns. It sees the walker
only through :class:`Walk`, the few operations call resolution needs; the walker
(:mod:`analyzer.frontends.python.walker`) provides them.
"""
from __future__ import annotations

import ast
import copy
import os
import posixpath
import re
import shlex
import sys
from collections.abc import Collection
from typing import Any, Protocol
from urllib.parse import urlsplit

from ...model import Analysis, AnalysisError, Location
from ...records import Record, replace
from .. import Options, language_for_path, scriptfile
from .. import analyze as analyze_embedded
from ..notebook.jupysql import read_sql_magic
from . import anchors, migrations
from .apis import Entry, PythonCatalogue, bare, last_name, segments
from .carriers import (
    ENV_SOURCE,
    ENV_VALUE,
    IDENTITY_SOURCE,
    Places,
    add,
    credentials,
    is_constant,
    is_credential,
    keyword_places,
    merge,
    sources_of,
    url_places,
)
from .values import (
    HOLE_PATTERN,
    UNKNOWN,
    Holes,
    Value,
    as_text_piece,
    const,
    decode_call,
    merge_taint,
    sequence_value,
    str_method,
)


class Removal(Record, frozen=True):
    """What a file removal removes: its targets, ``scope`` (single: one named path; bulk: a glob,
    a listing, each element of a loop, a recursive removal) and whether the targets are known
    (``resolved``: yes, partial, no). Fields stay None for operations that remove no files."""

    targets: tuple[str, ...]
    scope: str | None = None
    resolved: str | None = None


class Walk(Protocol):
    """What resolving a call asks of the walk that met it: where things are, the names bound so
    far, and where findings go."""

    @property
    def catalogue(self) -> PythonCatalogue: ...
    @property
    def options(self) -> Options: ...
    @property
    def holes(self) -> Holes: ...
    @property
    def shared(self) -> dict: ...

    def loc(self, node: ast.AST) -> Location: ...
    def source_line(self, node: ast.AST) -> str: ...
    def source_of(self, node: ast.AST) -> str: ...
    def lookup(self, name: str) -> Value | None: ...
    def dotted(self, node: ast.expr) -> str | None: ...
    def bind(self, name: str, value: Value) -> None: ...
    def member_of(self, base: Value, key: Value) -> Value | None: ...
    def expr(self, node: ast.expr) -> Value: ...
    def element_of(self, iterable: Value) -> Value: ...
    def enclosing_functions(self) -> list[str]: ...
    def guarded_in_loop(self) -> bool: ...
    def followups_of(self, call: ast.Call) -> list[str]: ...

    def report(self, rule_id: str, node: ast.AST, callee: str, targets: tuple[str, ...] = (), scratch: bool = False,
               verb: str = "", **details: object) -> None: ...
    def touch(self, kind: str, target: str, access: str, node: ast.AST) -> None: ...
    def embedded(self, language: str, value: Value, node: ast.expr, hint: str | None = None,
                 origin: Location | None = None) -> None: ...
    def add(self, found: Analysis) -> None: ...


class Call:
    """One call being resolved: its name, arguments, and what the catalogue says of it."""

    def __init__(self, walker: Walk, node: ast.Call, function: Value, args: list[Value],
                 keywords: dict[str, Value], receiver: Value | None = None) -> None:
        self.w = walker
        self.receiver = receiver
        self.node = node
        self.function = function
        self.args = args
        self.keywords = keywords
        self.name = function.qname or ""
        self.taint_out: frozenset[str] = frozenset()   # sources the result comes from (catalogue sources)
        self.taint_dropped: frozenset[str] = frozenset()   # labels the result does not inherit (os.environ's)
        self.listing_out: str | None = None   # the glob a listing call's result matches
        self.listing_whole = False            # that glob came from a `calls` entry (it beats a `methods` one)
        self.value_out: Value | None = None   # the constant a source gives when nothing else is set

    # -- arguments ---------------------------------------------------------------------------

    def arg(self, index: int | None = None, kw: str | list[str] | None = None) -> Value | None:
        names = kw if isinstance(kw, list) else [kw] if kw else []
        for name in names:
            if name in self.keywords:
                return self.keywords[name]
        if index is not None and 0 <= index < len(self.args):
            return self.args[index]
        return None

    def arg_node(self, index: int | None = None, kw: str | list[str] | None = None) -> ast.expr | None:
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

    def spec_arg(self, spec: dict[str, Any]) -> Value | None:
        """The argument a catalogue spec ``{arg: N, kw: NAME}`` names."""
        return self.arg(spec.get("arg"), spec.get("kw"))

    def receiver_value(self) -> Value:
        """The object a method is called on."""
        return self.receiver if self.receiver is not None else UNKNOWN

    def receiver_text(self) -> str:
        """The receiver as written, with the names passed to its calls that hold a known text
        shown as that text: ``s3.Bucket(bucket)`` read with a caller's "platform-artifacts" names
        that bucket (the call decided the target), read on its own it stays as written."""
        if not isinstance(self.node.func, ast.Attribute):
            return ""
        receiver = self.node.func.value
        known: dict[str, str] = {}
        for node in ast.walk(receiver):
            if isinstance(node, ast.Call):
                for argument in (*node.args, *(k.value for k in node.keywords)):
                    if isinstance(argument, ast.Name):
                        value = self.w.lookup(argument.id)
                        if value is not None and value.known and isinstance(value.const, str) \
                                and not value.partial:
                            known[argument.id] = value.const
        if not known:
            return self.w.source_of(receiver)

        class _Shown(ast.NodeTransformer):
            def visit_Name(self, node: ast.Name) -> ast.expr:
                return ast.Constant(known[node.id]) if node.id in known else node

        try:
            return ast.unparse(_Shown().visit(copy.deepcopy(receiver)))
        except (ValueError, RecursionError):
            return self.w.source_of(receiver)

    # -- the result -------------------------------------------------------------------------------

    def result(self) -> Value:
        name = self.name
        catalogue = self.w.catalogue
        taint = self.taint_out | self.arg_taint()
        if isinstance(self.node.func, ast.Attribute):
            taint = taint | self.function.taint   # methods of tainted data give tainted data
        taint = taint - self.taint_dropped
        if self.value_out is not None:
            # The default, or whatever the environment sets: never known for sure (not scratch).
            return Value(options=(const(self.value_out.const, taint=taint), Value(taint=taint)), taint=taint)
        if name in catalogue.scratch_calls:
            return Value(qname=name + "()", scratch=True)
        scratch = False
        through = catalogue.scratch_through
        if name in through.get("first_argument", ()):
            scratch = (self.args[0] if self.args else self.function).scratch
        if not scratch and isinstance(self.node.func, ast.Attribute) and self.function.scratch is False:
            scratch = self.receiver_value().scratch and last_name(name) in through.get("receiver_methods", ())
        if not scratch and last_name(name) in through.get("destination_argument", ()):
            # zf.extract(member, tmp), shutil.copy(src, tmp): the path returned lies in the destination.
            scratch = any(a.scratch for a in self.args[1:]) or any(v.scratch for v in self.keywords.values())
        folded = self.fold_path(name)
        host = self._host_of_constructor(name)
        if host is None and isinstance(self.node.func, ast.Attribute) \
                and last_name(name) in catalogue.client_hosts.get("same_host", ()):
            host = self.receiver_value().host   # ssh.open_sftp() talks to the host ssh connected to
        if name in catalogue.dry_run.get("configs", ()):
            # QueryJobConfig(dry_run=True): the options it holds, for the call it is handed to.
            return Value(qname=name + "()", members=tuple(self.keywords.items()))
        builder = catalogue.request_builders.get(name)
        if builder is not None:
            return self._request_object(builder, taint)
        if name in catalogue.sql_builders and self.args and (self.args[0].known or self.args[0].file_text):
            # The SQL is read where it runs (conn.execute(stmt)), not where it is built.
            return replace(self.args[0], qname=name + "()")
        calls: tuple[tuple[str, object], ...] = ()
        if isinstance(self.node.func, ast.Attribute):
            first = self.args[0] if self.args else None
            argument = first.const if first is not None and first.known and not first.partial else None
            calls = self.receiver_value().calls + ((self.node.func.attr, argument),)
        opened, file_text = self.file_facts(name)
        return Value(qname=name + "()" if name else None, taint=taint, scratch=scratch, host=host,
                     const=folded, known=folded is not None, calls=calls[-16:], listing=self.listing_out,
                     opened=opened, file_text=file_text, anchor=self.anchor_of(name))

    def anchor_of(self, name: str) -> str | None:
        """The path named from ``__file__`` a path call makes (``os.path.join(os.path.dirname(__file__),
        "sql")``, ``Path(__file__).with_name("sql")``), see anchors.py."""
        table = self.w.catalogue.path_anchors
        how = table.get("calls", {}).get(name)
        if how and self.args and self.args[0].anchor:
            return anchors.step(self.args[0].anchor, how, [_text_of(a) for a in self.args[1:]])
        how = table.get("methods", {}).get(last_name(name))
        if how and isinstance(self.node.func, ast.Attribute):
            receiver = self.receiver_value()
            if receiver.anchor:
                return anchors.step(receiver.anchor, how, [_text_of(a) for a in self.args])
        return None

    def file_facts(self, name: str) -> tuple[str | None, str | None]:
        """(the path a file object is open on, the path or glob whose text the result is) for
        ``open(p)``, ``open(p).read()``, ``Path(p).read_text()`` and a module spec made from a file."""
        readers = self.w.catalogue.file_text
        if name in readers.get("openers", ()):
            return _path_named(self.args[0] if self.args else self.arg(kw="file")), None
        if name in readers.get("spec_makers", ()):
            return None, _path_named(self.arg(1, "location"))
        if name in readers.get("spec_through", ()):
            return None, self.args[0].file_text if self.args else None
        if isinstance(self.node.func, ast.Attribute):
            tail = last_name(name)
            receiver = self.receiver_value()
            if tail in readers.get("read_methods", ()) and receiver.opened:
                return None, receiver.opened
            if tail in readers.get("path_read_methods", ()):
                return None, _path_named(receiver)
            if tail in readers.get("path_open_methods", ()) and receiver.qname and "Path" in receiver.qname:
                return _path_named(receiver), None
        return None, None

    def read_file_text(self, language: str, name: str | None, hint: str | None = None) -> bool:
        """The file (or every file a glob matches) named ``name``, read as ``language`` where it
        runs and reported here; False when none is read (missing, outside the roots: the call keeps
        the decision it had; a missing file is recorded among the reads for the scan cache)."""
        if not name:
            return False
        here = self.w.loc(self.node)
        options = self.w.options
        names = [name]
        if scriptfile.is_pattern(name):
            names = scriptfile.matching(name, here, options)
            listed = scriptfile.pattern_folder(name, here, options)
            if listed is not None:
                self.w.add(Analysis(reads=[listed]))
        read = False
        for path in names:
            found = scriptfile.run(language, path, here, here, options, hint)
            if found is None:
                absent = scriptfile.missing(path, here, options)
                if absent is not None:
                    self.w.add(Analysis(reads=[absent]))
                continue
            self.w.add(found)
            read = True
        return read

    def _request_object(self, builder: dict[str, Any], taint: frozenset) -> Value:
        """``Request(url, data=...)``: remembers where it goes and whether it carries data."""
        qname = self.name + "()"
        if builder.get("returns") == "receiver":
            return replace(self.receiver_value(), qname=qname)
        url = self.spec_arg(builder["url"])
        data = self.spec_arg(builder["data"])
        host = _host_of(url.text) if url is not None and url.text else None
        # Its parts, by the keyword that passes them, for the send to tell where each travels.
        parts = dict(self.keywords)
        for key in ("data", "headers"):
            value = self.spec_arg(builder[key]) if key in builder else None
            if value is not None and not any(value is v for v in parts.values()):
                parts[key] = value
        if url is not None:
            parts["@url"] = url
        return Value(qname=qname, host=host, taint=taint | self.function.taint,
                     calls=(("Request", "data" if data is not None else None),), members=tuple(parts.items()))

    def fold_path(self, name: str) -> str | None:
        """The path a path builder makes of constant parts (``os.path.join("/srv", "data")``)."""
        if name not in self.w.catalogue.path_builders or not self.args:
            return None
        parts = [a.const for a in self.args if a.known and isinstance(a.const, str)]
        return posixpath.join(*parts) if len(parts) == len(self.args) else None

    def _host_of_constructor(self, name: str) -> str | None:
        """The host or bucket a client is made for (``smtplib.SMTP("mail.example")``), from the
        catalogue's ``client_hosts``."""
        clients = self.w.catalogue.client_hosts
        tail = last_name(name)
        first = self.spec_arg(clients["argument"])
        if first is None or not first.known:
            return None
        value = first.const
        if tail in clients["connections"]:
            if isinstance(value, tuple) and value:
                return f"{value[0]}:{value[1]}" if len(value) > 1 else str(value[0])
            return value if isinstance(value, str) else None
        if tail in clients["buckets"] and isinstance(value, str):
            scheme = _bucket_scheme(clients["bucket_schemes"], name, tail)
            return f"{scheme}://{value}" if scheme else None
        return None

    # -- special forms -------------------------------------------------------------------------------

    def special(self) -> Value | None:
        name = self.name
        catalogue = self.w.catalogue
        tail = last_name(name)
        if name in catalogue.exec_calls or name in catalogue.run_calls:
            return self.exec_like()
        if name in catalogue.dynamic_import_calls:
            return self.dynamic_import()
        if tail in catalogue.file_text.get("module_runners", ()) and isinstance(self.node.func, ast.Attribute) \
                and self.args and self.read_file_text("python", self.args[0].file_text):
            return Value()   # spec.loader.exec_module(module) of a spec made from a file in the tree
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
            Call(self.w, self.node, method, list(self.function.elements), {}, self.args[0]).match()
            return Value()
        if tail == "__getattribute__" and self.receiver is not None and self.args:
            attribute = self.args[0]
            if attribute.known and isinstance(attribute.const, str) and self.receiver.qname:
                return Value(qname=f"{self.receiver.qname}.{attribute.const}")
        if tail == "run_cell" and "get_ipython" in name and self.args and self.args[0].text is not None:
            here = self.w.loc(self.node)
            nested = analyze_embedded("python", _ipython_to_python(self.args[0].text), here, self.w.options.deeper())
            self.w.add(Analysis(operations=[replace(op, location=here) for op in nested.operations],
                                errors=[replace(e, line=here.line) for e in nested.errors]))
            return Value()
        if name in catalogue.command_splits and self.args and self.args[0].text is not None \
                and not self.args[0].partial:
            try:
                words = shlex.split(self.args[0].text)
            except ValueError:   # an unclosed quote: shlex itself would raise
                return None
            return sequence_value([const(word, taint=self.args[0].taint) for word in words[:256]], tuple)
        if tail == "get" and self.receiver is not None and self.receiver.members and self.args:
            return self.w.member_of(self.receiver, self.args[0])
        if name in ("vars", "builtins.vars") and self.args:
            return Value(qname="vars()", host=self.args[0].qname)
        if name in ("functools.partial", "functools.partialmethod"):
            return self.partial()
        if tail in catalogue.mapping_calls and len(self.node.args) >= 2 and isinstance(self.node.args[0], ast.Lambda):
            self.map_lambda(self.node.args[0], self.args[1])
        if name in ("chr", "builtins.chr") and self.args and self.args[0].known:
            code = self.args[0].const
            try:
                return const(chr(code)) if isinstance(code, int) else None
            except (ValueError, OverflowError):
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
        if self.receiver is not None and self.receiver.known and isinstance(self.node.func, ast.Attribute):
            folded = str_method(self.receiver, self.node.func.attr, self.args, self.w.holes)
            if folded is not None:
                return folded
        if tail in ("run_cell_magic", "run_line_magic") and "get_ipython" in name:
            return self.ipython_magic(tail)
        if tail in catalogue.client_hosts["connect_methods"] and isinstance(self.node.func, ast.Attribute):
            self._remember_connect(self.node.func.value)
        if tail in catalogue.client_hosts.get("attach_methods", ()) and isinstance(self.node.func, ast.Attribute) \
                and isinstance(self.node.func.value, ast.Name) and self.args and self.args[0].host:
            # logger.addHandler(HTTPHandler("collector", ...)): what the logger logs goes there too.
            name = self.node.func.value.id
            self.w.bind(name, replace(self.w.lookup(name) or Value(qname=name), host=self.args[0].host))
        return None

    def _remember_connect(self, target: ast.expr) -> None:
        """``sock.connect(("host", 443))`` gives the socket its host (so does
        ``self.ssh.connect(host)`` the instance's client)."""
        name = target.id if isinstance(target, ast.Name) else \
            self.w.dotted(target) if isinstance(target, ast.Attribute) else None
        address = self.arg(0, "hostname")
        if name is None or address is None:
            return
        # A host that may be one of several values (a config field read from the environment with a
        # constant default): the host its constant options share, as for a request's URL.
        choices = [address] if address.known and not address.partial else \
            [o for o in address.options if o.known and not o.partial]
        hosts = {_address_host(choice.const) for choice in choices}
        host = hosts.pop() if len(hosts) == 1 else None
        bound = self.w.lookup(name)
        if host and (bound is not None or isinstance(target, ast.Name)):
            self.w.bind(name, replace(bound or Value(qname=name), host=host))

    def exec_like(self) -> Value:
        """exec/eval/compile of a constant payload: read as Python here; anything else is evasion,
        and so is every run of a file or module by name (``run_calls``)."""
        payload = self.spec_arg(self.w.catalogue.exec_payload)
        readers = self.w.catalogue.file_text
        if payload is not None and self.name in self.w.catalogue.exec_calls \
                and self.read_file_text("python", payload.file_text):
            return Value()   # exec(open("tools/cleanup.py").read())
        if payload is not None and self.name in readers.get("runners", ()) \
                and self.read_file_text("python", _path_named(payload)):
            return Value()   # runpy.run_path("tools/cleanup.py")
        if payload is not None and payload.known and not payload.partial and payload.text is not None \
                and self.name in self.w.catalogue.exec_calls:
            here = self.w.loc(self.node)
            nested = analyze_embedded("python", payload.text, here, self.w.options.deeper())
            evidence = self.w.source_line(self.node)
            self.w.add(Analysis(
                operations=[replace(op, location=here, evidence=evidence,
                                    details=tuple(sorted(dict(op.details, via=self.name).items())))
                            for op in nested.operations],
                errors=[replace(e, line=here.line) for e in nested.errors],
                touches=[replace(t, location=here) for t in nested.touches]))
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

    def map_lambda(self, function: ast.Lambda, items: Value) -> None:
        """``map(lambda b: b.delete(), bucket.list_blobs())``: the lambda's body read again with its
        parameter bound to an element of what it is mapped over, as a loop body would be."""
        parameters = function.args.posonlyargs + function.args.args
        if not parameters:
            return
        name = parameters[0].arg
        before = self.w.lookup(name)
        self.w.bind(name, self.w.element_of(items))
        try:
            self.w.expr(function.body)
        finally:
            self.w.bind(name, before if before is not None else Value(qname=name))

    def check_function_references(self) -> None:
        """``map(os.remove, files)``, ``executor.submit(shutil.rmtree, p)``, ``Thread(target=os.remove)``:
        a dangerous function handed on to be called later is reported where it is handed on."""
        for index, value in enumerate(list(self.args) + list(self.keywords.values())):
            if not value.qname or value.function is not None:
                continue
            node = self.node.args[index] if index < len(self.node.args) else self.node
            if not isinstance(node, (ast.Name, ast.Attribute)) and node is not self.node:
                continue
            reported: set[str] = set()
            for entry, pattern in self.w.catalogue.lookup(value.qname):
                # A reference to an API that is dangerous whatever its arguments (no conditions).
                if entry.kind == "api" and not entry.get("when") and not entry.get("embedded") \
                        and entry.rule not in reported and (pattern.whole or len(pattern.segments) > 1
                                                            or entry.category == "destructive"):
                    reported.add(entry.rule)
                    removal = Removal(("<passed to " + self.name + ">",))
                    if entry.get("scope"):
                        others = [v for v in list(self.args) + list(self.keywords.values()) if v is not value]
                        removal = self.handed_removal(entry.get("scope"), others, removal.targets)
                    self.w.report(entry.rule, self.node, value.qname, targets=removal.targets, scope=removal.scope,
                                  resolved=removal.resolved)

    def handed_removal(self, scope: str, others: list[Value], targets: tuple[str, ...]) -> Removal:
        """A removal function handed on: ``map(os.remove, glob.glob("*.csv"))`` removes every path of
        the listing (bulk); ``executor.submit(os.remove, path)`` one path."""
        listing = next((v.listing for v in others if v.listing), None)
        if listing:
            return Removal((listing,), "bulk", _resolved_listing(listing))
        if last_name(self.name) in self.w.catalogue.mapping_calls:
            for value in others:
                if value.known and isinstance(value.const, tuple) and value.const \
                        and all(isinstance(c, str) for c in value.const) and not value.partial:
                    return Removal(tuple(value.const), scope, "yes")
            return Removal(targets, "bulk", "no")
        return Removal(targets, scope, "no")

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

    def _magic(self, kind: str, name: str, magics: dict[str, Any]) -> None:
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
                statement = _magic_statement(line, magics.get("python_magic_options_with_value", ()))
                self.w.add(analyze_embedded("python", _ipython_to_python(statement), here, self.w.options.deeper()))
            elif language == "run":
                # %run [-i -e -t ...] file.py args: the file is read when it is beside the notebook
                # or in the checked tree (scriptfile); otherwise (or %run -m module) it is unknown code.
                words = line.split()
                at = next((i for i, w in enumerate(words) if not w.startswith("-")), len(words))
                found = None
                if at < len(words) and "-m" not in words[:at]:
                    path = words[at]
                    found = scriptfile.run(language_for_path(path) or "python", path, here, here, self.w.options)
                if found is None:
                    self.w.report("py.evasion-dynamic-exec", self.node, f"%run {line}".strip(),
                                  targets=(line.strip(),))
                else:
                    self.w.add(found)
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
                self.w.add(Analysis(errors=[AnalysisError(here.path, f"%%script {interpreter} cell not analysed",
                                                          here.line, here.cell)]))
                return
        if language in ("shell", "python"):
            text = _ipython_to_python(body) if language == "python" else body
            self.w.add(analyze_embedded(language, text, body_origin, self.w.options.deeper()))
        elif language == "sql":
            self.sql_magic(line, body, here, body_origin)
        elif language == "file":
            words = [w for w in line.split() if not w.startswith("-")]
            path = words[0] if words else ""
            self.w.touch("file", path, "write", self.node)
            # A later `!bash path` in this session runs what was written here.
            written = self.w.shared.setdefault("shell.written", {})
            written[os.path.normpath(path) if path else ""] = (body, body_origin, f"%%writefile {path}")
            file_language = language_for_path(path, body[:128])
            if file_language in ("python", "shell", "sql"):
                self.w.add(analyze_embedded(file_language, body, body_origin, self.w.options.deeper()))
        elif language is None:
            self.w.add(Analysis(errors=[AnalysisError(here.path, f"cell magic %%{name} not analysed", here.line,
                                                      here.cell)]))

    def sql_magic(self, line: str, body: str, here: Location, body_origin: Location | None) -> None:
        """``%sql`` / ``%%sql`` (jupysql, ipython-sql): only the SQL part goes to the SQL front end;
        options, connections and ``name <<`` are the magic's own grammar (notebook/jupysql.py)."""
        magic = read_sql_magic(line, body)
        statement = magic.line_sql
        if magic.result:
            # `%%sql rows << SELECT ...` binds the result to a name: a query result.
            self.w.bind(magic.result, Value(taint=frozenset({f"query result ({_short(statement or body)})"})))
        if magic.replaces_table:
            self.w.report("py.dataframe-replace-table", self.node, "%sql --persist-replace",
                          targets=(magic.replaces_table,))
        if magic.sql_file:
            self.w.report("py.evasion-dynamic-exec", self.node, f"%sql --file {magic.sql_file}",
                          targets=(magic.sql_file,))
        options = self.w.options.deeper(context_hint=magic.dialect_hint, shared=self.w.shared)
        if statement.strip():
            self.w.add(analyze_embedded("sql", statement, here, options))
        if magic.body_sql.strip() and body_origin is not None:
            self.w.add(analyze_embedded("sql", magic.body_sql, body_origin, options))

    # -- catalogue entries -----------------------------------------------------------------------------

    def match(self) -> None:
        """Apply every catalogue entry that matches the call's name."""
        applied: set[str] = set()
        seen: set[int] = set()
        self.migration_step()
        for entry, pattern in self.w.catalogue.lookup(self.name):
            if entry.kind == "listing":
                self.apply_listing(entry, pattern.whole)
                continue
            # One report per rule and call, however many patterns of that rule match it.
            if id(entry) in seen or (entry.kind == "api" and entry.rule in applied):
                continue
            seen.add(id(entry))
            if self.apply(entry) and entry.kind == "api":
                applied.add(entry.rule)

    def apply(self, entry: Entry) -> bool:
        """Apply a matching catalogue entry; True when an API entry's conditions held."""
        if entry.kind == "source":
            self.apply_source(entry)
        elif entry.kind == "listing":
            self.apply_listing(entry, True)
        elif entry.kind == "sink":
            self.apply_sink(entry)
        elif self.conditions_hold(entry.get("when") or {}):
            if (entry.category == "destructive" or entry.get("embedded")) and self.dry_run(entry.rule):
                return True   # it only shows what it would do
            embedded = entry.get("embedded")
            if embedded:
                # An entry whose code argument is not in this call (Airflow's sql= keyword on a
                # positional call) leaves the call to the next entry of the same rule.
                if self.spec_arg(embedded) is None:
                    return False
                self.apply_embedded(entry, embedded)
            else:
                self.apply_api(entry)
            return True
        return False

    # -- migrations ------------------------------------------------------------------------------------

    def migration_role(self) -> tuple[str | None, str]:
        """("up" or "down", the up function's name) inside a migration's functions, else (None, "")."""
        spec = self.w.catalogue.migrations
        up_names = spec.get("up_functions", ())
        for name in reversed(self.w.enclosing_functions()):
            if name in spec.get("down_functions", ()):
                return "down", next(iter(up_names), "upgrade")
            if name in up_names:
                return "up", name
        return None, ""

    def as_sql(self) -> str | None:
        """The SQL a migration operation stands for (``migrations: as_sql``), when its names are constants."""
        spec = self.w.catalogue.migrations.get("as_sql", {}).get(self.name)
        if spec is None:
            return None
        names = []
        for argument in spec.get("args", ()):
            value = self.spec_arg(argument)
            if "receiver_call" in argument:   # batch_op of op.batch_alter_table("customers")
                value = next((const(made) for method, made in self.receiver_value().calls
                              if method == argument["receiver_call"]), None)
            node = self.arg_node(argument.get("arg"), argument.get("kw"))
            if argument.get("made_by") and isinstance(node, ast.Call) and node.args \
                    and last_name(self.w.source_of(node.func)) == argument["made_by"]:
                value = const(node.args[0].value) if isinstance(node.args[0], ast.Constant) else None
            if value is None or not value.known or value.partial or not isinstance(value.const, str) \
                    or not re.fullmatch(r"[\w.$]+", value.const):
                return None
            names.append(value.const)
        return str(spec["sql"]).format(*names)

    def migration_step(self) -> None:
        """An up-migration's operation is remembered as the SQL it stands for; Django's
        ``RunSQL(sql, reverse_sql)`` reads its reverse SQL after its forward SQL."""
        spec = self.w.catalogue.migrations
        if self.name in spec.get("as_sql", {}) and self.migration_role()[0] == "up":
            made = self.as_sql()
            if made is not None:
                self.w.shared.setdefault(migrations.UP_SQL, []).append(made)
        reverse = spec.get("reverse_sql", {})
        if last_name(self.name) in reverse.get("methods", ()):
            forward, backward = self.spec_arg(reverse["forward"]), self.spec_arg(reverse["reverse"])
            up, down = _sql_texts(forward), _sql_texts(backward)
            if backward is not None and down is None and not (backward.known and backward.const in ("", None)):
                return   # reverse SQL that cannot be read: the forward SQL's own entry reports the call
            if down:
                origin = self._code_origin(backward) if backward is not None else self.w.loc(self.node)
                options = self.w.options.deeper(context_hint=self.sql_hint(), shared=self.w.shared)
                self.w.add(migrations.read_down(migrations.owned([up] if up else [], spec.get("owns", [])), down,
                                                origin, options, "the forward SQL"))

    def undoes_up(self) -> str | None:
        """Why a destructive operation in a down-migration loses nothing: it undoes what the
        up-migration made (None when it may drop anything else)."""
        up: list[str] = self.w.shared.get(migrations.UP_SQL) or []
        role, up_name = self.migration_role()
        down = self.as_sql() if role == "down" and up else None
        if down is None:
            return None
        up = migrations.owned(up, self.w.catalogue.migrations.get("owns", []))
        found = migrations.read_down(up, down, self.w.loc(self.node), self.w.options.deeper(), f"{up_name}()")
        destructive = [op for op in found.operations if op.category == "destructive"]
        if not destructive or found.errors or not all(op.scratch for op in destructive):
            return None
        return "; ".join(dict.fromkeys(str(op.detail("scratch") or "") for op in destructive)) or None

    def _code_origin(self, value: Value) -> Location:
        """Where the first character of a constant's text is: its literal when written in the call."""
        literal = value.node
        if isinstance(literal, ast.Constant) and isinstance(literal.value, str) \
                and self.node.lineno <= literal.lineno <= (self.node.end_lineno or self.node.lineno):
            return self.w.loc(literal)
        return self.w.loc(self.node)

    def dry_run(self, rule: str) -> bool:
        """Whether the call only shows what it would do (``dry_run:`` of the catalogue): a keyword
        with a constant dry value (boto3's ``DryRun=True``), or a dry command word for its rule."""
        spec = self.w.catalogue.dry_run
        keywords = spec.get("keywords") or {}
        if self.when_kwarg(keywords, every=True):
            return True
        for value in self.keywords.values():   # job_config=QueryJobConfig(dry_run=True)
            if value.qname and value.qname[:-2] in spec.get("configs", ()) and any(
                    self._equals(member, list(keywords.get(key, ())), every=True) for key, member in value.members):
                return True
        words: list[str] | dict[str, list[str]] = (spec.get("words") or {}).get(rule) or []
        return bool(words) and self.when_any_arg_contains(words)

    def target_of(self, spec: object) -> tuple[tuple[str, ...], bool]:
        """The target named by a catalogue `target:` spec, and whether it is scratch."""
        if spec == "receiver":
            receiver = self.receiver_value()
            if receiver.known and isinstance(receiver.const, str):
                return (receiver.const,), receiver.scratch
            return ((self.receiver_text() or "?"),), receiver.scratch
        if isinstance(spec, dict):
            value = self.spec_arg(spec)
            node = self.arg_node(spec.get("arg"), spec.get("kw"))
            if value is None:
                return (), False
            if value.known and isinstance(value.const, (str, int)) and not value.partial:
                return (str(value.const),), value.scratch
            if value.known and isinstance(value.const, str) and value.partial:
                # f"{project}.scratch.tmp_events_{run}": the constant parts still say what it is.
                return (HOLE_PATTERN.sub("{}", value.const),), value.scratch
            if value.known and isinstance(value.const, tuple) and all(isinstance(v, str) for v in value.const):
                return tuple(value.const), value.scratch
            return ((self.w.source_of(node) if node is not None else "?"),), value.scratch
        return (), False

    def apply_api(self, entry: Entry) -> None:
        targets, scratch = self.target_of(entry.get("target"))
        removal = Removal(targets)
        scope = entry.get("scope")
        if scope:
            removal = self.removal_facts(scope, entry.get("target"), targets)
        undoes = self.undoes_up() if entry.category == "destructive" and not scratch else None
        self.w.report(entry.rule, self.node, self.name, targets=removal.targets, scratch=scratch or bool(undoes),
                      scope=removal.scope, resolved=removal.resolved, reason=undoes)
        kind = "file" if entry.rule.startswith("py.fs") else "resource"
        for target in targets:
            self.w.touch(kind, target, "delete", self.node)

    def removal_facts(self, scope: str, spec: object, targets: tuple[str, ...]) -> Removal:
        """How much a removal removes (``scope``: single or bulk) and whether its target is known
        (``resolved``: yes, partial, no). A path from a listing is bulk and shown as the listing's
        glob; each element of a loop over a collection of unknown size is bulk; a loop over a
        constant list removes those named paths."""
        value: Value | None = self.receiver_value() if spec == "receiver" else \
            self.spec_arg(spec) if isinstance(spec, dict) else None
        if value is None:
            return Removal(targets, scope, "no")
        if value.listing:
            return Removal((value.listing,), "bulk", _resolved_listing(value.listing))
        if not value.known and value.options and all(
                o.known and isinstance(o.const, str) and not o.partial for o in value.options):
            named = tuple(dict.fromkeys(str(o.const) for o in value.options))
            return Removal(named, "bulk" if value.each else scope, "yes")
        if not value.known and any(o.known and isinstance(o.const, str) and not o.partial for o in value.options):
            # os.environ.get("ROOT", "/srv/data"): the default is what it removes unless something
            # else is set, so it is named, and the target is only partly known (never scratch).
            named = tuple(dict.fromkeys(str(o.const) for o in value.options
                                        if o.known and isinstance(o.const, str) and not o.partial))
            return Removal(named, "bulk" if value.each else scope, "partial")
        resolved = "partial" if value.known and value.partial else "yes" if value.known else "no"
        return Removal(targets, "bulk" if value.each else scope, resolved)

    def apply_listing(self, entry: Entry, whole: bool) -> None:
        """A call that lists a directory or expands a glob: its result stands for the glob it matches."""
        if self.listing_out is not None and (self.listing_whole or not whole):
            return
        directory = self._listing_part(entry.get("directory"), ".")
        pattern = self._listing_part(entry.get("pattern"), "*")
        shape: str = entry.get("shape", "{directory}/*")
        if directory in (".", "./") or pattern.startswith("/"):
            shape = shape.replace("{directory}/", "")
        self.listing_out = shape.replace("{directory}", directory.rstrip("/") or "/").replace("{pattern}", pattern)
        self.listing_whole = whole

    def _listing_part(self, spec: object, default: str) -> str:
        """The text of a listing's directory or pattern: a constant, the glob of a listing it comes
        from, ``{}`` for the unknown parts of a string, ``{expression}`` for an unknown value."""
        value: Value | None
        node: ast.expr | None
        if spec is None:
            return default
        if spec == "receiver":
            value, node = self.receiver_value(), (self.node.func.value if isinstance(self.node.func, ast.Attribute)
                                                  else None)
        elif isinstance(spec, dict):
            value, node = self.spec_arg(spec), self.arg_node(spec.get("arg"), spec.get("kw"))
        else:
            return default
        if value is None:
            return default
        if value.listing:
            return value.listing
        text = value.text
        if text is not None:
            return HOLE_PATTERN.sub("{}", text) if value.partial else text
        return "{" + (self.w.source_of(node) if node is not None else "?") + "}"

    def apply_embedded(self, entry: Entry, spec: dict[str, Any], value: Value | None = None) -> None:
        language = spec["language"]
        if self.name in self.w.catalogue.sql_builders:
            return   # read where the built statement runs (unknown text is reported there once)
        value = value if value is not None else self.spec_arg(spec)
        calls = entry.data.get("calls") or ()
        sql_only = "calls" in entry.data and self.name not in calls and (
            last_name(self.name) in (entry.get("sql_only_methods") or ())
            # execute(code) on an object that is no database client runs something else
            or (last_name(self.name) in (entry.get("sql_receiver_methods") or ()) and not self.sql_receiver()))
        if value is None:
            return
        if value.options and not value.known:
            # execute(stmt) for stmt in a known list: each statement is read.
            for option in value.options:
                self.apply_embedded(entry, spec, option)
            return
        argv = _argv_of(value) if language == "shell" else None
        if language == "sql" and value.text is None and _sql_texts(value):
            value = const(_sql_texts(value))   # RunSQL(["CREATE ...", "DROP ..."]): the statements in turn
        if argv is not None:
            line = _argv_to_shell(argv, self.w.holes, self.w.catalogue.command_words)
            value = const(line, partial=not value.known or value.partial)
        if value.text is None:
            if sql_only:
                return
            if self.read_file_text(language, value.file_text, self.sql_hint() if language == "sql" else None):
                return   # conn.executescript(Path("sql/reset.sql").read_text()): the file is read here
            self.w.report(entry.rule, self.node, self.name, targets=(self.w.source_of(self.arg_node(
                spec.get("arg"), spec.get("kw")) or self.node),))
            return
        if language == "sql":
            stripped = value.text.lstrip().lower()
            if stripped.startswith("__execgate_hole_"):
                # The statement's first word is computed: its kind cannot be known.
                self.w.report("py.sql-dynamic", self.node, self.name, targets=(_short(value.text),))
                return
            if not stripped.startswith(self.w.catalogue.sql_statement_starts):
                # A fragment (RawSQL("id = %s"), extra(where=...)) or prose: not a statement.
                return
            role, up_name = self.migration_role()
            up = migrations.owned(self.w.shared.get(migrations.UP_SQL, []), self.w.catalogue.migrations.get("owns", []))
            if role == "down" and up:
                options = self.w.options.deeper(context_hint=self.sql_hint())
                self.w.add(migrations.read_down(up, value.text, self._code_origin(value), options, f"{up_name}()"))
                return
            self.w.embedded("sql", value, self.node, hint=self.sql_hint())
            if role == "up":
                self.w.shared.setdefault(migrations.UP_SQL, []).append(value.text)
        else:
            self.w.embedded(language, value, self.node)

    def sql_hint(self) -> str | None:
        """The database client a SQL string is given to: the root of the receiver's constructor chain."""
        name = self.name
        for module in self.w.catalogue.sql_clients:
            if name == module or name.startswith(module + ".") or name.startswith(module + "()"):
                return module
        return None

    # -- conditions ------------------------------------------------------------------------------------

    def conditions_hold(self, when: dict) -> bool:
        for key, spec in when.items():
            if not getattr(self, "when_" + key)(spec):
                return False
        return True

    def _equals(self, value: Value | None, wanted: list, every: bool = False) -> bool:
        """Whether a value is one of ``wanted``; a value that may be one of several
        (``"replace" if full else "append"``, an environment variable or its default) is when any
        of them is, or with ``every`` (a dry run, which must hold whichever runs) when all are."""
        if value is None:
            return False
        choices = [value] if value.known else list(value.options)
        if not choices or (every and not all(c.known for c in choices)):
            return False
        hits = [c.known and any(c.const == candidate or (isinstance(c.const, str) and isinstance(candidate, str)
                                                         and c.const.lower() == candidate.lower())
                                for candidate in wanted)
                for c in choices]
        return all(hits) if every else any(hits)

    def when_kwarg(self, spec: dict[str, list[object]], every: bool = False) -> bool:
        return any(self._equals(self.keywords.get(name), list(values), every) for name, values in spec.items())

    def when_not_kwarg(self, spec: dict[str, list[object]]) -> bool:
        return not self.when_kwarg(spec, every=True)

    def when_arg_not_named(self, spec: dict[str, Any]) -> bool:
        value = self.arg(spec.get("index"), spec.get("kw"))
        return value is None or not any(name in (value.qname or "") for name in spec["names"])

    def when_path_from_config(self, spec: str | dict[str, Any]) -> bool:
        """The path comes from configuration (``settings.DATA_FILE``, ``config["db"]``, an env variable)."""
        node: ast.expr | None
        if isinstance(spec, dict):
            node = self.arg_node(spec.get("arg"), spec.get("kw"))
            value = self.spec_arg(spec)
        else:   # receiver
            node = self.node.func.value if isinstance(self.node.func, ast.Attribute) else None
            value = self.receiver_value()
        if node is None or value is None or value.scratch:
            return False
        config_files = self.w.catalogue.config_files
        if any(t.startswith((ENV_SOURCE, ENV_VALUE)) or (t.startswith("file ") and t.lower().endswith(config_files))
               for t in value.taint):
            return True
        while isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
            node = node.func if isinstance(node, ast.Call) else node.value
        return isinstance(node, ast.Name) and node.id in self.w.catalogue.config_names

    def when_receiver_not(self, names: list[str]) -> bool:
        receiver = self.name.rsplit(".", 1)[0] if "." in self.name else ""
        return receiver not in names

    def receiver_kind(self) -> str:
        """The receiver's resolved name (``sys.path``, ``sqlite3.connect().cursor()``), else its
        text as written; "" for a plain function call."""
        if not isinstance(self.node.func, ast.Attribute):
            return ""
        qname = self.receiver_value().qname
        return qname if qname else self.w.source_of(self.node.func.value)

    def when_unguarded_in_loop(self, _wanted: object) -> bool:
        return not self.w.guarded_in_loop()

    def when_receiver_not_from(self, modules: list[str]) -> bool:
        return not any(self.name == module or self.name.startswith((module + ".", module + "()"))
                       for module in modules)

    def when_receiver_not_plain(self, _wanted: object) -> bool:
        """The receiver may be a database collection: not an attribute of a standard-library module
        (``sys.path.remove(cwd)``), not a list, tuple, set or dict (a literal, a constant, a
        comprehension), nor an object the catalogue calls plain (``plain_objects``)."""
        receiver = self.receiver_value()
        if receiver.known or receiver.elements or receiver.members and not receiver.qname:
            return False
        qname = self.receiver_kind()
        root = qname.split(".", 1)[0].split("(", 1)[0]
        if receiver.qname and "." in qname and root in sys.stdlib_module_names:
            return False
        return not any(qname == plain or qname.startswith(plain + ".") for plain in self.w.catalogue.plain_objects)

    def sql_receiver(self) -> bool:
        """Whether a method call's receiver may be a database cursor, connection, engine or session:
        made by a SQL client library, or named like one (``cur``, ``self.conn``, ``engine``); a
        kernel client's ``kc.execute(code)`` is not."""
        if not isinstance(self.node.func, ast.Attribute):
            return True
        kind = self.receiver_kind()
        if any(kind == module or kind.startswith((module + ".", module + "()"))
               for module in (*self.w.catalogue.sql_clients, *self.w.catalogue.sql_receivers)):
            return True
        last = re.sub(r"(\(\)|\[\])+$", "", kind).rsplit(".", 1)[-1].lower()
        words = self.w.catalogue.sql_receiver_names
        return last in words or any(last.endswith(("_" + word, word + "_")) or last.startswith(word + "_")
                                    for word in words)

    def when_not_in_function(self, names: list[str]) -> bool:
        return not any(name in names for name in self.w.enclosing_functions())

    def when_arg_matches(self, spec: dict[str, Any]) -> bool:
        value = self.arg(spec.get("index"), spec.get("kw"))
        return value is not None and value.text is not None and re.search(spec["pattern"], value.text) is not None

    def when_no_positional_args(self, _wanted: object) -> bool:
        return not self.node.args

    def when_kwarg_present(self, names: list[str]) -> bool:
        return any(name in self.keywords for name in names)

    def when_arg(self, spec: dict[str, Any]) -> bool:
        return self._equals(self.arg(spec.get("index"), spec.get("kw")), list(spec.get("equals", [])))

    def when_any_arg_contains(self, spec: list[str] | dict[str, list[str]]) -> bool:
        """A constant argument, or a string in a constant list argument, holds one of the words
        (``"--force"``) or matches one of the patterns."""
        needles = spec.get("words", []) if isinstance(spec, dict) else spec
        patterns = spec.get("patterns", []) if isinstance(spec, dict) else []
        values = list(self.args) + list(self.keywords.values())
        values += [option for value in values for option in value.options]   # ["--force"] if f else []
        for value in values:
            texts = [value.const] if value.known and isinstance(value.const, str) else \
                [c for c in value.const if isinstance(c, str)] if value.known and isinstance(value.const, tuple) else []
            for text in texts:
                words = text.split()
                if any(n in words for n in needles) or any(re.search(p, text) for p in patterns):
                    return True
        return False

    def _chain_calls(self) -> tuple[tuple[str, object], ...]:
        """The method calls that made the receiver: ``a.mode("x").save()`` -> (("mode", "x"),)."""
        return self.receiver_value().calls if self.receiver is not None else ()

    def when_chain_call(self, spec: dict[str, Any]) -> bool:
        wanted = [w.lower() if isinstance(w, str) else w for w in spec.get("equals", [])]
        for method, argument in self._chain_calls():
            if method == spec["method"] and (argument.lower() if isinstance(argument, str) else argument) in wanted:
                return True
        return False

    def when_chain_lacks(self, names: list[str]) -> bool:
        if any(method in names for method, _ in self._chain_calls()):
            return False
        return not any(bare(s) in names for s in segments(self.name)[:-1])

    def when_no_followup(self, names: list[str]) -> bool:
        return not any(m in names for m in self.w.followups_of(self.node))

    def when_no_filter(self, spec: dict[str, Any]) -> bool:
        value = self.arg(spec.get("index"), spec.get("kw"))
        return value is None or (value.known and value.const in ("", None))

    def when_empty_filter(self, spec: dict[str, Any]) -> bool:
        value = self.arg(spec.get("index"), spec.get("kw"))
        if value is None:
            return last_name(self.name) != "remove"   # list.remove() always has an argument
        # A filter that may be empty (a helper returning {} on one path) may delete everything.
        return any(v.known and v.const in ({}, None) for v in (value, *value.options))

    # -- taint ----------------------------------------------------------------------------------------------

    def apply_source(self, entry: Entry) -> None:
        argument = self.spec_arg(entry.get("argument") or {})
        first_words = entry.get("needs_sql")
        if first_words:
            text = argument.text if argument is not None else None
            if not text or not text.lstrip().lower().startswith(tuple(first_words)):
                return
            self.taint_out = self.taint_out | {f"query result ({_short(text)})"}
            return
        label = entry.get("name")
        if label == "table":
            if argument is not None and argument.known and isinstance(argument.const, str):
                label = f"table {argument.const}"
                self.w.touch("table", argument.const, "read", self.node)
        if label == "command output":
            text = argument.text if argument is not None else None
            if text is None and argument is not None and argument.known and isinstance(argument.const, tuple):
                text = " ".join(str(c) for c in argument.const)
            secret = next((w for w in (text or "").split() if self._is_credentials(w)), None)
            if secret:
                label = f"credentials file {secret}"
        if label == "file":
            path = argument
            if isinstance(self.node.func, ast.Attribute) and \
                    last_name(self.name) in (entry.get("receiver_methods") or ()):
                receiver = self.receiver_value()
                path = receiver if receiver.known else path
            path_text = path.text if path is not None else None
            if path_text and self._is_credentials(path_text):
                label = f"credentials file {path_text}"
            elif path_text:
                label = f"file {path_text}"
            if path_text:
                self.w.touch("file", path_text, "read", self.node)
        elif label == ENV_SOURCE and entry.get("variable"):
            # One variable, not the whole environment the method is called on.
            self.taint_dropped = frozenset({ENV_SOURCE})
            labels = env_labels(self.w.catalogue, argument)
            self.taint_out = self.taint_out | labels
            for name in _constant_texts(argument):
                self.w.touch("env", name, "read", self.node)
            default = self.spec_arg(entry.get("default") or {})
            if default is not None and default.known and not default.partial and isinstance(default.const, str) \
                    and default.const and all(label.startswith(ENV_VALUE) for label in labels):
                # os.getenv("WRITE_MODE", "replace"): configuration whose default is what the script
                # does when nothing sets it (a secret's default is never taken for it).
                self.value_out = default
            return
        self.taint_out = self.taint_out | {label}

    def _is_credentials(self, path: str) -> bool:
        return self.w.catalogue.secrets.is_credential_path(path)

    def apply_sink(self, entry: Entry) -> None:
        rule = entry.rule
        carrier = entry.get("carrier", "body")
        if "url" in entry.data:
            self.http_sink(entry)
        elif "bucket" in entry.data:
            spec = entry.data["bucket"]
            bucket = self.spec_arg(spec)
            host = None
            if bucket is not None and bucket.known and isinstance(bucket.const, str):
                host = f"{spec['scheme']}://{bucket.const}"
            host = host or self.receiver_value().host or self.function.host
            self.send(rule, host, {carrier: self.arg_taint() | self.receiver_value().taint}, constant=False)
        elif "local_file" in entry.data:
            # sftp.put("~/.ssh/id_rsa", ...): the file named is read and sent to the connected host.
            local = self.spec_arg(entry.data["local_file"])
            taint = self.arg_taint() | self.receiver_value().taint
            local_path = local.text if local is not None and not local.partial else None
            if local_path:
                taint = taint | {f"credentials file {local_path}" if self._is_credentials(local_path)
                                 else f"file {local_path}"}
                self.w.touch("file", local_path, "read", self.node)
            host = self.receiver_value().host or self.function.host
            self.send(rule, host, {carrier: taint}, constant=False)
        elif "remote_path" in entry.data:
            path = self.spec_arg(entry.data["remote_path"])
            text = path.text if path is not None else None
            writers = entry.get("writers") or {}
            if not last_name(self.name).startswith(tuple(writers.get("prefixes", ()))) and not any(
                    bare(part) in writers.get("through", ()) for part in segments(self.name)[:-1]):
                return   # spark.read.parquet("s3://...") reads; only writers send data out
            if text and "://" in text and text.split("://", 1)[0].lower() in self.w.catalogue.remote_schemes:
                try:
                    parts = urlsplit(text)
                    host = f"{parts.scheme}://{parts.hostname or parts.netloc}"
                except ValueError:   # s3://bucket[.]x: no client reads it; shown as written
                    host = _host_of(text) or text.split("://", 1)[0] + "://?"
                self.send(rule, host, {carrier: self.receiver_value().taint | self.function.taint}, constant=False)
        elif "dns_name" in entry.data:
            name = self.spec_arg(entry.data["dns_name"])
            if name is None:
                return
            identity = name.taint & {IDENTITY_SOURCE}
            if not name.partial and identity and not sources_of(name.taint):
                return   # gethostbyname(socket.gethostname()): the machine looks itself up
            if (sources_of(name.taint) or identity) and (not name.known or name.partial):
                self.send(rule, "DNS", {carrier: name.taint}, constant=False, identity=bool(identity))
        else:
            receiver = self.receiver_value()
            host = receiver.host or self.function.host
            if "host" in entry.data:   # logging.handlers.HTTPHandler("collector:8080", ...): it names its host
                named = self.spec_arg(entry.data["host"])
                address = named.const if named is not None and named.known and not named.partial else None
                host = f"{address[0]}:{address[1]}" if isinstance(address, tuple) and len(address) > 1 else \
                    address if isinstance(address, str) else host
            if entry.get("needs_host") and not host:
                return   # logger.info(...) sends only through a handler that names a host
            if entry.get("needs_source") and not sources_of(self.arg_taint() | receiver.taint):
                return   # what it will carry later is not known here; only a source passed to it is
            constant = all(is_constant(v, self.w.holes) for v in (*self.args, *self.keywords.values()))
            self.send(rule, host, {carrier: self.arg_taint() | receiver.taint}, constant)

    def http_sink(self, entry: Entry) -> None:
        """An HTTP request: where it goes, and what travels in each of its parts. A body is data
        whatever it holds; headers, auth, the query and the URL count when they carry a source."""
        data = entry.data
        url_index = 1 if self.name in (data.get("url_after_method") or ()) else 0
        url = None if self.name in (data.get("url_elsewhere") or ()) else self.arg(url_index, data["url"].get("kw"))
        spec = data.get("carriers", {})
        body_spec = data.get("body", {})
        parts: dict[str, Value] = {k: self.keywords[k] for k in body_spec.get("kw", ()) if k in self.keywords}
        payload = {spec.get("keywords", {}).get(k, "body") for k in parts}   # places that hold data anyway
        bodies = list(parts.values())   # what the payload is made of (the address and headers are not)
        places: Places = {}
        positional = spec.get("positional", "body")
        if self.name not in (data.get("body_position_exempt") or ()):
            start = body_spec.get("args_from", 1) + url_index
            if len(self.args) > start:
                payload.add(positional)
                bodies += self.args[start:]
        else:
            positional = spec.get("exempt_positional", positional)   # requests.get(url, params)
        if len(self.args) > url_index + 1:
            add(places, positional, merge_taint(self.args[url_index + 1:]))
        for key in data.get("tainted_only", {}).get("kw", ()):
            if key in self.keywords:
                parts[key] = self.keywords[key]
        for key, value in self.receiver_value().members if isinstance(self.node.func, ast.Attribute) else ():
            # A session's own headers and auth (s.headers.update(...), s.auth = ...) go with each request.
            if key in (data.get("client_keywords") or ()) and key not in parts:
                parts[key] = value
        request = url if url is not None and url.qname and url.qname[:-2] in self.w.catalogue.request_builders \
            else None
        if request is not None:
            if ("Request", "data") in request.calls:
                payload.add("body")
            built = dict(request.members)
            url = built.pop("@url", None)
            for key, value in built.items():
                if key in spec.get("keywords", {}):
                    parts.setdefault(key, value)
                    if key in body_spec.get("kw", ()):
                        bodies.append(value)
        for key, value in parts.items():
            merge(places, keyword_places(key, value, spec))
        if url is not None and url.partial and url.text is not None and url.taint:
            merge(places, url_places(url.text, url.taint, self.w.holes))
        for place in payload:
            add(places, place, frozenset())
        if not payload and not any(sources_of(taint) for taint in places.values()):
            if url is not None and url.text:
                host = _host_of(url.text)
                if host:
                    self.w.touch("host", host, "read", self.node)
            return
        host = _host_of(url.text) if url is not None and url.text else _default_host(url)
        if request is not None:
            host = request.host
        if host is None and self.receiver_value().host and (url is None or not url.text or "://" not in url.text):
            host = self.receiver_value().host   # http.client: the connection names the host
        self.send(entry.rule, host, places, all(is_constant(v, self.w.holes) for v in bodies))

    def send(self, rule: str, host: str | None, places: Places, constant: bool, identity: bool = False) -> None:
        """Report data leaving for ``host``: ``source`` names where it came from (nothing for a
        constant payload), ``credential`` the secret variables among them, ``carrier`` where in the
        request the sourced data travels (where the payload travels when there is none), and
        ``payload`` whether anything but constants, environment configuration and the credentials
        named travels (``constant`` or ``data``; ``constant`` says the payload's own parts are).
        ``identity``: the machine's identity counts as a source (in a DNS name it is what leaks)."""
        sourced = {place: sources_of(taint) | (taint & {IDENTITY_SOURCE} if identity else frozenset())
                   for place, taint in places.items()}
        taint = frozenset().union(*sourced.values()) if sourced else frozenset()
        # "query result" and "query result (SELECT ...)" are one source: the more precise label says it.
        shown = sorted(label for label in taint if not any(other.startswith(label + " (") for other in taint))
        source = ", ".join(shown) if shown else None
        carrier = ",".join(sorted(place for place, labels in sourced.items() if labels) or sorted(places))
        constant = constant and all(is_credential(label) for label in taint)
        self.w.report(rule, self.node, self.name, targets=(host,) if host else (), host=host or None, source=source,
                      sink=self.name, credential=",".join(credentials(taint)) or None, carrier=carrier or None,
                      payload="constant" if constant else "data")
        self.w.touch("host", host or "?", "send", self.node)


def env_labels(catalogue: PythonCatalogue, name: Value | None) -> frozenset[str]:
    """What reading one environment variable gives: a secret when its name looks like one
    (rules/secrets.yaml), an environment value when it does not; a name that cannot be read,
    or is only partly known, may be a secret's."""
    if name is None:
        return frozenset({ENV_SOURCE})
    if name.known and name.partial and isinstance(name.const, str):
        return frozenset({f"{ENV_SOURCE} {HOLE_PATTERN.sub('{}', name.const)}"})
    names = _constant_texts(name)
    if not names:
        return frozenset({ENV_SOURCE})
    return frozenset(f"{ENV_SOURCE if catalogue.is_secret_variable(n) else ENV_VALUE} {n}" for n in names)


def _constant_texts(value: Value | None) -> list[str]:
    """The constant texts a value is, itself or each of its options; [] when any is unknown."""
    if value is None:
        return []
    choices = [value] if value.known else list(value.options)
    texts = [c.text for c in choices if not c.partial]
    return [t for t in texts if t is not None] if choices and len(texts) == len(choices) \
        and all(t is not None for t in texts) else []


def _sql_texts(value: Value | None) -> str | None:
    """SQL given as a text or a list of texts (RunSQL([...])), as one text; None when not constant."""
    if value is None or not value.known or value.partial:
        return None
    if isinstance(value.const, str):
        return value.const
    if isinstance(value.const, (tuple, list)) and all(isinstance(c, str) for c in value.const):
        return "\n".join(migrations.statement(c) for c in value.const)
    return None


def _resolved_listing(glob: str) -> str:
    """A listing's glob is known, or has parts written as ``{...}`` that are not."""
    return "partial" if "{" in glob else "yes"


def _bucket_scheme(schemes: list[dict[str, Any]], name: str, method: str) -> str | None:
    """The scheme of a bucket a client call names: the first of the catalogue's ``bucket_schemes``
    whose conditions fit the resolved name and the method."""
    for choice in schemes:
        if "methods" in choice and method not in choice["methods"]:
            continue
        if "name_contains" in choice and choice["name_contains"] not in name:
            continue
        if "name_lacks" in choice and choice["name_lacks"] in name:
            continue
        return choice["scheme"]
    return None


def _address_host(value: object) -> str | None:
    """The host a connect call names: ``"host"``, or ``("host", 443)`` as ``host:443``."""
    if isinstance(value, tuple):
        return f"{value[0]}:{value[1]}" if len(value) > 1 else str(value[0]) if value else None
    return value if isinstance(value, str) else None


def _default_host(url: Value | None) -> str | None:
    """The host of a URL that may be one of several values (``os.environ.get("URL",
    "https://collector.example.net/in")``): the host its constant options share, so the finding
    names it and the policy decides it; None when they name different hosts or none."""
    if url is None or not url.options:
        return None
    hosts = {_host_of(option.text) for option in url.options if option.text}
    return hosts.pop() if len(hosts) == 1 else None


def _host_of(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL with a constant host part, else None."""
    if "://" not in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        # A URL no client reads (https://host[.]example.com, a bad IPv6 literal): its host as
        # written, which the policy never allows.
        scheme, _, rest = url.partition("://")
        netloc = re.split(r"[/?#]", rest, maxsplit=1)[0]
        return f"{scheme.lower()}://{netloc}" if netloc and not HOLE_PATTERN.search(netloc) else None
    netloc = parts.netloc
    if not netloc or HOLE_PATTERN.search(netloc):
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host   # an IPv6 literal keeps its brackets
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def _argv_of(value: Value) -> tuple[Value, ...] | None:
    """The words of an argument list (``["rm", "-rf", path]``), or None when the value is not a list."""
    if value.elements:
        return value.elements
    if value.known and isinstance(value.const, (tuple, list)):
        return tuple(const(c) for c in value.const)
    return None


def _text_of(value: Value) -> str | None:
    return value.const if value.known and not value.partial and isinstance(value.const, str) else None


def _path_named(value: Value | None) -> str | None:
    """The constant path (or one named from __file__, or the glob of a listing's element) a value
    names, else None."""
    if value is None:
        return None
    if value.anchor:
        return value.anchor
    if value.known and not value.partial and isinstance(value.const, str):
        return value.const
    # An element of a listing (for p in Path("migrations").glob("*.sql")): every file it may be.
    return value.listing if value.listing and "{" not in value.listing else None


def _argv_to_shell(elements: tuple[Value, ...], holes: Holes, words_of: dict[str, str] | None = None) -> str:
    """An argument list as one shell line: constants quoted, unknown parts as (double-quoted) holes
    so a temporary directory's ``$TMPDIR`` still reads as scratch to the shell front end;
    ``words_of`` names the word a value stands for (``sys.executable``: python3)."""
    words = []
    for element in elements:
        if words_of and not element.known and element.qname in words_of:
            words.append(words_of[element.qname])
            continue
        text, hole = as_text_piece(element, holes)
        words.append(f'"{text}"' if hole and not element.known else shlex.quote(text))
    return " ".join(words)


def _magic_statement(line: str, options_with_value: Collection[str]) -> str:
    """The statement of ``%prun -s cumulative stmt`` / ``%timeit -n 3 stmt``: options dropped."""
    words = line.split(" ")
    while words and words[0].startswith("-"):
        option = words.pop(0)
        if option in options_with_value and words:
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
