"""Calls in the Python front end: what the catalogue says of one call, its arguments and result.

:class:`Call` resolves a call the :class:`~analyzer.frontends.python.walker.Walker` met: special forms
(getattr, exec, partial, magics), catalogue entries (APIs, sources, sinks) with their
conditions, embedded code handed to the SQL and shell front ends, and the value it returns.
"""
from __future__ import annotations

import ast
import fnmatch
import os
import re
import shlex
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ...model import AnalysisError, Location
from .. import analyze as analyze_embedded
from .apis import Entry, bare, segments
from .values import (HOLE_PATTERN, UNKNOWN, Holes, Value, as_text_piece, const, decode_call, merge_taint,
                            str_method)

if TYPE_CHECKING:
    from .walker import Walker

SQL_KEYWORDS = ("select", "with", "insert", "update", "delete", "drop", "truncate", "alter", "create", "merge",
                "grant", "revoke", "copy", "unload", "export", "vacuum", "replace", "upsert", "call", "exec",
                "execute", "begin", "set", "use", "show", "describe", "explain", "declare", "do", "purge",
                "optimize", "undrop", "remove", "put", "get", "list", "comment", "analyze", "refresh", "restore")
REMOTE_SCHEMES = ("s3", "s3a", "s3n", "gs", "gcs", "az", "abfs", "abfss", "wasb", "wasbs", "adl", "http", "https",
                  "ftp", "sftp", "ssh", "scp", "r2", "oss", "cos", "swift", "webdav", "dropbox", "gdrive")
ENV_SOURCE = "environment secret"
_CONFIG_FILES = (".json", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".env")


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
        through = self.w.catalogue.scratch_through
        if not scratch and name in through.get("first_argument", ()):
            first = self.args[0] if self.args else self.function
            scratch = bool(first.scratch) or (name.startswith("pathlib.Path()") and self.function.scratch)
        if not scratch and isinstance(self.node.func, ast.Attribute) and self.function.scratch is False:
            scratch = self.receiver_value().scratch and bare(segments(name)[-1]) in through.get("receiver_methods", ())
        if not scratch and bare(segments(name)[-1] if name else "") in through.get("destination_argument", ()):
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
            from .. import language_for_path

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
                # An entry whose code argument is not in this call (Airflow's sql= keyword on a
                # positional call) leaves the call to the next entry of the same rule.
                if self.arg(embedded.get("arg"), embedded.get("kw")) is None:
                    return False
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
            if value.known and isinstance(value.const, str) and value.partial:
                # f"{project}.scratch.tmp_events_{run}": the constant parts still say what it is.
                return (HOLE_PATTERN.sub("{}", value.const),), value.scratch
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

    def when_arg_matches(self, spec: dict) -> bool:
        value = self.arg(spec.get("index"), spec.get("kw"))
        return value is not None and value.text is not None and re.search(spec["pattern"], value.text) is not None

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
