"""Shell front end: finds destructive, exfiltrating and hidden operations in sh/bash code.

The script is parsed with tree-sitter-bash, so quoting, pipes, lists,
subshells, substitutions, heredocs and control flow are the shell's own, not a
regular expression's guess. Every simple command is resolved (quotes removed,
known variables expanded, wrappers like ``sudo``/``env``/``xargs`` peeled) and
matched against the catalogue in ``rules/shell.yaml``; code given to other
interpreters (``bash -c``, ``python -c``, ``psql <<EOF``) is handed to that
language's front end; a call of a function defined in the script is analysed with its
arguments (shell_functions.py). Text that merely mentions a command (``echo "rm -rf /"``,
a heredoc fed to ``cat``) is data and never matched.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from ...model import Analysis, AnalysisError, Comment, Location, Operation, Touch, make_details
from .. import Options
from .knowledge import Knowledge, basename, knowledge
from .words import Binding, Scope, Word, WordResolver

_PARSER: Any = None
EVIDENCE_LIMIT = 240


def _parser() -> Any:
    """The tree-sitter parser, made once per process (tree_sitter is imported only when needed)."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter
        import tree_sitter_bash

        _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))
    return _PARSER


def analyze(text: str, origin: Location, options: Options) -> Analysis:
    """Analyse one shell script (or command line) whose first character sits at ``origin``."""
    return _Unit(text, origin, options, knowledge()).run()


@dataclass(frozen=True)
class Stdin:
    """Where a command's standard input comes from, as far as the script shows."""

    producer: str                         # program or redirection feeding it
    secret: str | None = None             # description of a secret/dump source upstream
    constant: str | None = None           # the text, when it is a constant
    origin: Location | None = None        # where that constant text starts
    downloader: str | None = None         # curl/wget directly upstream
    file: str | None = None               # `< file`


@dataclass
class Ctx:
    """One simple command being analysed: its node, redirections and input."""

    node: Any
    redirects: list[Any]
    stdin: Stdin | None = None
    fed_by: str | None = None             # "xargs" / "find" when operands come from a list
    wrappers: tuple[str, ...] = ()

    def but(self, **changes: Any) -> Ctx:
        return dataclasses.replace(self, **changes)


_UNSAFE_CODE_POINTS = re.compile("[\U00040000-\U0010FFFF]")


@dataclass
class _Unit:
    text: str
    origin: Location
    options: Options
    know: Knowledge
    analysis: Analysis = field(default_factory=Analysis)

    def __post_init__(self) -> None:
        # tree-sitter-bash 0.25 crashes the process (SIGSEGV) on code points of the unassigned and
        # private planes (U+40000 and up) in some positions; no shell command is spelt with them,
        # so each becomes "????" (the same four UTF-8 bytes long: offsets do not move).
        self.source = _UNSAFE_CODE_POINTS.sub("????", self.text).encode("utf-8", errors="surrogatepass")
        self.lines = self.source.split(b"\n")
        self.scope = Scope(scratch_variables=frozenset(self.know.list("scratch_variables")),
                           scratch_makers=frozenset(self.know.list("scratch_makers")))
        self.words = WordResolver(self.source, self.scope)
        self.pipes: dict[int, list[Any]] = {}     # command node id -> earlier pipeline stages
        self.consumed: set[int] = set()           # secret sources already reported as exfil-secret
        # path -> (text, origin, writer); shared with the units that come after (notebook cells:
        # %%writefile x.sh in one cell, !bash x.sh in a later one).
        self.written: dict[str, tuple[str | None, Location, str]] = \
            self.options.shared.setdefault("shell.written", {}) if self.options.shared is not None else {}

    # -- entry ---------------------------------------------------------------------------

    def run(self) -> Analysis:
        if not self.text.strip():
            return self.analysis
        tree = self.parse()
        self.visit(tree.root_node)
        if tree.root_node.has_error:
            self._syntax_error(tree.root_node)
        return self.analysis

    def parse(self) -> Any:
        """Parse, with two rewrites that keep every line and column where it was.

        A brace expansion at command position (``{rm,-rf,/}``) is a word bash expands into
        ``rm -rf /``; tree-sitter reads its ``{`` as the start of a group. Its braces and
        top-level commas become spaces (same length) and the text is parsed again.

        And a workaround for a tree-sitter-bash 0.25 bug: after a pipeline of three or more
        stages, a later redirection can make it read following lines as more arguments of one
        command (`a | b | c\nrm -rf / < f` -> `c` with arguments `rm -rf /`). A newline between
        two words of one command ends that command in bash, so a `;` is put at the end of the
        first word (same lines and columns for everything after it) and the text parsed again."""
        tree = _parser().parse(self.source)
        spans = _brace_commands(tree.root_node, self.source)
        if spans:
            self.source = _spread_braces(self.source, spans)
            tree = _parser().parse(self.source)
        for _ in range(8):
            cuts = sorted(set(_joined_lines(tree.root_node, self.source)), reverse=True)
            if not cuts:
                break
            for cut in cuts:
                self.source = self.source[:cut] + b";" + self.source[cut:]
            tree = _parser().parse(self.source)
        self.lines = self.source.split(b"\n")
        self.words.source = self.source
        return tree

    def _syntax_error(self, root: Any) -> None:
        bad = _first_bad(root)
        row = bad.start_point[0] if bad is not None else 0
        what = (f"missing {bad.type!r}" if bad is not None and bad.is_missing
                else "unbalanced quotes, brackets or an incomplete statement")
        loc = self.location(row, bad.start_point[1] if bad is not None else 0)
        self.analysis.errors.append(AnalysisError(
            self.origin.path, f"shell syntax error ({what}); analysed what could be parsed", loc.line, loc.cell))

    # -- positions -----------------------------------------------------------------------

    def location(self, row: int, byte_col: int) -> Location:
        line = self.lines[row] if row < len(self.lines) else b""
        col = len(line[:byte_col].decode("utf-8", errors="replace"))
        column = self.origin.column + col if row == 0 else col + 1
        return self.origin.shifted(lines=row, column=column)

    def node_location(self, node: Any) -> Location:
        return self.location(node.start_point[0], node.start_point[1])

    def raw(self, node: Any) -> str:
        return self.words.raw(node)

    # -- walking -------------------------------------------------------------------------

    def visit(self, node: Any) -> None:
        kind = node.type
        if kind == "comment":
            text = self.raw(node)
            self.analysis.comments.append(Comment(self.node_location(node), text[1:] if text.startswith("#") else text))
            return
        if kind == "variable_assignment":
            if node.parent is None or node.parent.type != "command":
                self.assign(node)
        elif kind == "command":
            self.command(node)
        elif kind == "pipeline":
            self.pipeline(node)
        elif kind == "redirected_statement":
            self.redirected(node)
        elif kind == "heredoc_redirect":
            self.heredoc_pipeline(node)
        elif kind == "function_definition":
            from .functions import define

            define(self, node)
            return
        elif kind == "for_statement":
            variable = node.child_by_field_name("variable")
            if variable is not None:
                self.scope.variables[self.raw(variable)] = Binding(None)
        for child in node.children:
            self.visit(child)

    def assign(self, node: Any) -> None:
        """``x=value``: remember constants and temporary directories for later commands."""
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name is None:
            return
        operator = next((c for c in node.children if not c.is_named), None)
        if value is None:
            binding = Binding("")
        elif value.type == "array" or (operator is not None and self.raw(operator) == "+="):
            binding = Binding(None)
        else:
            word = self.words.word(value)
            binding = Binding(word.value, word.scratch, word.prefix)
        self.scope.variables[self.raw(name)] = binding

    def pipeline(self, node: Any) -> None:
        self.link_stages([c for c in node.named_children if c.type != "comment"])

    def link_stages(self, stages: list[Any]) -> None:
        """Remember, for each stage, the stages before it; a secret source feeding a network
        tool is reported once, as exfil-secret at the sink, not also as a read."""
        from .flow import secret_of_stage, sends_stdin

        for index, stage in enumerate(stages[1:], start=1):
            command = _command_of(stage)
            if command is not None:
                self.pipes[command.id] = stages[:index]
        if any(sends_stdin(self, stage) for stage in stages[1:]):
            for stage in stages[:-1]:
                command = _command_of(stage)
                if command is not None and secret_of_stage(self, stage):
                    self.consumed.add(command.id)

    def heredoc_pipeline(self, node: Any) -> None:
        """``cat <<EOF | bash``: tree-sitter puts ``| bash`` inside the heredoc redirection."""
        inner = next((c for c in node.named_children if c.type == "pipeline"), None)
        if inner is None:
            inner = next((c for c in node.named_children if c.type == "command"), None)
            stages_inner = [inner] if inner is not None else []
        else:
            stages_inner = [c for c in inner.named_children if c.type != "comment"]
        statement = node.parent
        body = statement.child_by_field_name("body") if statement is not None else None
        if body is None or not stages_inner:
            return
        self.link_stages([statement] + stages_inner)

    def redirected(self, node: Any) -> None:
        """A redirection with no command (``> file``) truncates the file."""
        from .flow import record_write

        body = node.child_by_field_name("body")
        if body is None:
            for redirect in node.children_by_field_name("redirect"):
                self.truncation(redirect, node, bare=True)
        elif body.type == "command":
            record_write(self, body, list(node.children_by_field_name("redirect")))
            name = body.child_by_field_name("name")
            program = basename(self.words.word(name).shown) if name is not None else ""
            args = body.children_by_field_name("argument")
            bare = program in (":", "true") and not args or program == "cat" and len(args) == 1 \
                and self.words.word(args[0]).shown == "/dev/null"
            for redirect in node.children_by_field_name("redirect"):
                self.truncation(redirect, body, bare=bare)

    def truncation(self, redirect: Any, node: Any, bare: bool) -> None:
        from .network import redirect_exfil

        if redirect.type != "file_redirect":
            return
        operator = next((self.raw(c) for c in redirect.children if not c.is_named), "")
        destination = redirect.child_by_field_name("destination")
        if destination is None or operator not in (">", ">|", "&>", "1>"):
            if destination is not None and operator in (">>", "&>>"):
                redirect_exfil(self, redirect, node, self.words.word(destination))
            return
        target = self.words.word(destination)
        if redirect_exfil(self, redirect, node, target):
            return
        ctx = Ctx(node, [redirect])
        if self.know.is_device(target.shown):
            self.report("shell.dd-device", ctx, [target.shown], verb="write", command=">")
        elif bare or self.know.is_critical_path(target.shown) or self.know.is_credential_path(target.shown):
            if target.shown not in ("/dev/null", "/dev/stdout", "/dev/stderr") and not target.shown.startswith("/dev/fd"):
                self.report("shell.truncate-file", ctx, [target.shown], verb="truncate", scratch=target.scratch)

    # -- commands ------------------------------------------------------------------------

    def command(self, node: Any) -> None:
        name = node.child_by_field_name("name")
        if name is None:
            return
        from .flow import argv_of

        argv = argv_of(self, node)
        redirects = list(node.children_by_field_name("redirect"))
        parent = node.parent
        if parent is not None and parent.type == "redirected_statement":
            redirects.extend(parent.children_by_field_name("redirect"))
        ctx = Ctx(node, redirects)
        ctx.stdin = self.stdin_of(ctx)
        self.dispatch(argv, ctx)

    def stdin_of(self, ctx: Ctx) -> Stdin | None:
        from .flow import stdin_of

        return stdin_of(self, ctx)

    def dispatch(self, argv: list[Word], ctx: Ctx) -> None:
        """Match one resolved command line: peel wrappers, then every table that knows the program."""
        from . import commands as shell_commands

        shell_commands.dispatch(self, argv, ctx)

    # -- results -------------------------------------------------------------------------

    def evidence(self, node: Any) -> str:
        text = " ".join(self.raw(node).split())
        return text if len(text) <= EVIDENCE_LIMIT else text[:EVIDENCE_LIMIT - 3] + "..."

    def report(self, rule_id: str, ctx: Ctx, targets: list[str], verb: str = "", severity: str | None = None,
               scratch: bool = False, details: dict[str, object] | None = None, **values: object) -> None:
        rule = self.know.rule(rule_id)
        target = ", ".join(targets) or str(values.pop("default_target", None) or "")
        values.pop("default_target", None)
        fill = {"target": target, "verb": verb}
        fill.update({k: v for k, v in values.items()})
        fill.update(details or {})
        if not fill["target"]:
            del fill["target"]  # format_message keeps "": no operand named, the catalogue says "the target"
        location = self.node_location(ctx.node)
        operation = Operation(rule=rule.id, category=rule.category, severity=severity or rule.severity,
                              language="shell", location=location, message=rule.format_message(**fill),
                              targets=tuple(targets), verb=verb, evidence=self.evidence(ctx.node),
                              scratch=scratch, details=make_details(**(details or {})))
        self.analysis.operations.append(operation)
        self.touch(rule_id, targets, location, details or {})

    def touch(self, rule_id: str, targets: list[str], location: Location, details: dict[str, object]) -> None:
        kind_access = (self.know.table("touches").get(rule_id) or [])
        if len(kind_access) == 2:
            kind, access = str(kind_access[0]), str(kind_access[1])
            for target in targets:
                self.analysis.touches.append(Touch(kind, target, access, "shell", location))
        host = details.get("host")
        if host:
            self.analysis.touches.append(Touch("host", str(host), "send", "shell", location))

    def add_touch(self, kind: str, target: str, access: str, node: Any) -> None:
        self.analysis.touches.append(Touch(kind, target, access, "shell", self.node_location(node)))

    def same_shell(self, text: str, origin: Location, at: Location | None = None) -> None:
        """Code this same shell runs later (eval, trap, an alias, ``. file``): analysed with this
        script's variables, so `trap 'rm -rf "$tmp"' EXIT` knows $tmp came from mktemp."""
        from .. import MAX_DEPTH

        if self.options.depth + 1 > MAX_DEPTH:
            self.analysis.errors.append(AnalysisError(self.origin.path, f"eval nested more than {MAX_DEPTH} deep",
                                                      origin.line, origin.cell))
            return
        nested = _Unit(text, origin, self.options.deeper(), self.know)
        nested.scope = self.scope
        nested.words = WordResolver(nested.source, self.scope)
        nested.written = self.written
        self._take(nested.run(), at)

    def embedded(self, language: str, text: str, origin: Location, hint: str | None = None,
                 at: Location | None = None) -> None:
        """Hand code written in another language (or a nested shell) to its front end."""
        from .. import analyze as analyze_language

        options = self.options.deeper(context_hint=hint) if hint else self.options.deeper()
        self._take(analyze_language(language, text, origin, options), at)

    def _take(self, nested: Analysis, at: Location | None) -> None:
        """Add a nested analysis; with ``at`` (a script file written earlier and run there), its
        operations are reported where the file runs, and its comments (already data of the
        writing command) are not taken again."""
        if at is not None:
            nested = Analysis([dataclasses.replace(op, location=at) for op in nested.operations],
                              nested.touches, [], nested.errors)
        self.analysis.extend(nested)


def _command_of(stage: Any) -> Any:
    """The simple command of a pipeline stage (through a redirection)."""
    if stage.type == "command":
        return stage
    if stage.type == "redirected_statement":
        body = stage.child_by_field_name("body")
        return body if body is not None and body.type == "command" else None
    return None


def _joined_lines(node: Any, source: bytes) -> list[int]:
    """Byte offsets where one command's words are separated by an unescaped newline."""
    found: list[int] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "command":
            children = [c for c in current.children if c.type != "comment"]
            for before, after in zip(children, children[1:]):
                gap = source[before.end_byte:after.start_byte]
                if re.search(rb"(?<!\\)\n", gap) and after.type not in ("heredoc_redirect", "heredoc_body"):
                    found.append(before.end_byte)
                    break
        stack.extend(current.children)
    return found


_WORD_END = b" \t\n;&|<>()"


def _brace_commands(root: Any, source: bytes) -> list[tuple[int, int]]:
    """Byte spans of brace-expansion words at command position: a ``{`` that tree-sitter took
    for a group although no blank follows it (bash needs one), or a command name that starts
    with ``{`` (``A=1 {rm,-rf} /``)."""
    found: list[tuple[int, int]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        start = None
        if node.type == "{" and node.parent is not None and node.end_byte < len(source) \
                and source[node.end_byte:node.end_byte + 1] not in (b" ", b"\t", b"\n", b""):
            start = node.start_byte
        elif node.type == "command_name" and source[node.start_byte:node.start_byte + 1] == b"{":
            start = node.start_byte
        if start is not None:
            end = _word_end(source, start)
            if _top_level_commas(source[start:end]):
                found.append((start, end))
        stack.extend(node.children)
    return sorted(set(found))


def _word_end(source: bytes, start: int) -> int:
    """Where the shell word starting at ``start`` ends (quotes and backslashes respected)."""
    i, quote = start, 0
    while i < len(source):
        ch = source[i]
        if quote:
            if ch == quote:
                quote = 0
            elif ch == 0x5C and quote == 0x22:
                i += 1
        elif ch in (0x27, 0x22):
            quote = ch
        elif ch == 0x5C:
            i += 1
        elif ch in _WORD_END:
            break
        i += 1
    return min(i, len(source))


def _top_level_commas(word: bytes) -> list[int]:
    """Offsets of the commas of ``{a,b,...}`` when the word is exactly one such expansion."""
    if len(word) < 3 or word[:1] != b"{" or word[-1:] != b"}":
        return []
    depth, quote, commas, i = 0, 0, [], 0
    while i < len(word):
        ch = word[i]
        if quote:
            if ch == quote:
                quote = 0
        elif ch in (0x27, 0x22):
            quote = ch
        elif ch == 0x5C:
            i += 1
        elif ch == 0x7B:
            depth += 1
        elif ch == 0x7D:
            depth -= 1
            if depth == 0 and i != len(word) - 1:
                return []  # `{a,b}c` or `{a}{b}`: not one plain expansion
        elif ch == 0x2C and depth == 1:
            commas.append(i)
        i += 1
    return commas if depth == 0 else []


def _spread_braces(source: bytes, spans: list[tuple[int, int]]) -> bytes:
    """``{rm,-rf,/}`` -> `` rm -rf / ``: the words bash makes of it, at the same offsets."""
    out = bytearray(source)
    for start, end in spans:
        for offset in [0, end - start - 1, *_top_level_commas(source[start:end])]:
            out[start + offset] = 0x20
    return bytes(out)


def _first_bad(node: Any) -> Any:
    if node.type == "ERROR" or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = _first_bad(child)
            if found is not None:
                return found
    return None
