"""Shell front end: finds destructive, exfiltrating and hidden operations in sh/bash code.

The script is parsed with tree-sitter-bash (parse.py), so quoting, pipes, lists,
subshells, substitutions, heredocs and control flow are the shell's own, not a
regular expression's guess. Every simple command is resolved (quotes removed,
known variables expanded: words.py) and dispatched here to the handlers that
know it: builtins that run code again (reentry.py), calls of functions defined
in the script (functions.py), wrappers and list runners and the destructive
command table (commands.py), other interpreters (embed.py) and network tools
(network.py), all matching against ``rules/shell.yaml``. Handlers that meet a
command to run again call back into :meth:`ScriptUnit.dispatch`. Text that merely
mentions a command (``echo "rm -rf /"``, a heredoc fed to ``cat``) is data and
never matched.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ... import frontends
from ...model import Analysis, AnalysisError, Comment, Location, Operation, Touch, make_details
from ...records import Record, field, replace
from .. import MAX_DEPTH, Options
from . import commands, embed, functions, network, reentry, tasks
from .flow import argv_of, record_write, script_key, secret_of_stage, secrets_of_words, sends_stdin, stdin_of
from .knowledge import Knowledge, basename, knowledge
from .parse import command_of, continued_heredocs, encode, first_bad, parse
from .state import CommandContext, Unit, Written
from .words import Binding, Scope, Word, WordResolver, variants, without_holes

if TYPE_CHECKING:  # pragma: no cover - typing only
    from tree_sitter import Node

EVIDENCE_LIMIT = 240

# Builtins that run code again or change what later commands mean (bash grammar, not tools).
Builtin = Callable[[Unit, list[Word], CommandContext], None]
BUILTINS: dict[str, Builtin] = {
    "eval": reentry.run_eval, "trap": reentry.run_trap, "alias": reentry.define_alias,
    "source": reentry.run_source, ".": reentry.run_source, "shift": functions.shift,
    "cd": reentry.change_directory, "pushd": reentry.push_directory, "popd": reentry.pop_directory,
}
# Options of bash's ``read`` that take a value (-a names an array, also set by the read).
READ_OPTIONS_WITH_ARG = "adinNptu"
# A command word that is the script's (or function's) own arguments: ``exec "$@"`` in an
# entrypoint, ``"$@"`` in a wrapper, ``"${@:2}"``: it runs the command line its caller gave,
# which is decided where the caller is analysed; not a command assembled from data (``"$1" -rf``
# with arguments of the script's own choosing still is).
PASS_THROUGH = re.compile(r"\$(?:[@*]|\{[@*](?::[0-9]+)?\})")
# Redirection operators that truncate the file they name, and those that append to it.
TRUNCATING = (">", ">|", "&>", "1>")
APPENDING = (">>", "&>>")


def _lists(word: Word) -> bool:
    """Whether a word of a ``for`` list may stand for many items: a glob, a substitution, an
    unquoted expansion of unknown value, or the arguments (``"$@"``)."""
    spread = any(token in word.text for token in ("$@", "${@", "$*", "${*"))
    return word.glob or bool(word.substitutions) or spread or (not word.known and not word.quoted)


# Statements whose body may or may not run: an assignment inside one leaves the variable holding
# either its new value or the one it had (bash grammar).
_CONDITIONAL = frozenset({"if_statement", "case_item", "while_statement", "until_statement", "for_statement",
                          "c_style_for_statement"})


def _conditional(node: Node) -> bool:
    """Whether an assignment may not run: inside a branch, a loop or after ``&&`` / ``||``
    (within the function it is in)."""
    current = node.parent
    while current is not None and current.type != "function_definition":
        if current.type in _CONDITIONAL or (current.type == "list" and current.named_children
                                            and current.named_children[0] is not node):
            return True
        node, current = current, current.parent
    return False


def _values(binding: Binding) -> tuple[str, ...] | None:
    if binding.value is not None:
        return (binding.value,)
    return binding.choices or None


def _either(before: Binding, after: Binding) -> Binding:
    """``X=/srv/data; if ...; then X=build; fi``: X holds one of both values afterwards, each in
    turn (``choices``); unknown when either is."""
    old, new = _values(before), _values(after)
    if old is None or new is None:  # a temporary folder either way stays one
        return Binding(None, before.scratch and after.scratch, computed=True,
                       variables=before.variables + after.variables)
    choices = tuple(dict.fromkeys(old + new))
    if len(choices) == 1:
        return after
    return Binding(None, before.scratch and after.scratch, computed=True, variables=before.variables + after.variables,
                   choices=choices, secret=after.secret or before.secret)


def analyze(text: str, origin: Location, options: Options) -> Analysis:
    """Analyse one shell script (or command line) whose first character sits at ``origin``."""
    return ScriptUnit(text, origin, options, knowledge()).run()


class ScriptUnit(Record):
    """One shell text being analysed: walks its tree and dispatches every command (see :class:`Unit`)."""

    text: str
    origin: Location
    options: Options
    know: Knowledge
    analysis: Analysis = field(default_factory=Analysis)

    def __post_init__(self) -> None:
        self.built = False   # text assembled for eval with unknown parts (same_shell)
        self.source = encode(self.text)
        self.lines = self.source.split(b"\n")
        self.scope = Scope(scratch_variables=frozenset(self.know.list("scratch_variables")),
                           scratch_makers=frozenset(self.know.list("scratch_makers")),
                           scratch_folders=self.know.list("scratch_folders"))
        self.words = WordResolver(self.source, self.scope, self.know.table("decoders"))
        self.functions = functions.FunctionTable()
        self.pipes: dict[int, list[Node]] = {}
        self.consumed: set[int] = set()
        # Trap handlers, run when the script exits (with the variables set by then): constant
        # code and where it is written; shared with the code this shell runs again (eval).
        self.later: list[tuple[str, Location]] = []
        self.owner = True
        # Shared with the units that come after (notebook cells: %%writefile x.sh in one cell,
        # !bash x.sh in a later one).
        self.written: dict[str, Written] = \
            self.options.shared.setdefault("shell.written", {}) if self.options.shared is not None else {}
        self.secret_files: dict[str, str] = \
            self.options.shared.setdefault("shell.secret_files", {}) if self.options.shared is not None else {}

    # -- entry ---------------------------------------------------------------------------

    def run(self) -> Analysis:
        if not self.text.strip():
            return self.analysis
        pipes = [offset for offset, operator in continued_heredocs(self.source) if operator == b"|"]
        tree, self.source = parse(self.source)
        self.lines = self.source.split(b"\n")
        self.words.source = self.source
        for offset in pipes:
            self._pipe_after_heredoc(tree.root_node, offset)
        self.visit(tree.root_node)
        if tree.root_node.has_error and not self.built:
            self._syntax_error(tree.root_node)
        if self.owner:
            self._finish()
        return self.analysis

    def _pipe_after_heredoc(self, root: Node, offset: int) -> None:
        """``cat <<EOF |`` + body + ``EOF`` + ``sh``: the heredoc command's output is the standard
        input of the command after the terminator line (parse blanked the ``|`` so that the body
        reads as data); the two are linked as the stages of one pipeline."""
        node = root.descendant_for_byte_range(offset, offset)
        while node is not None and node.type != "redirected_statement":
            node = node.parent
        following = node.next_named_sibling if node is not None else None
        while following is not None and following.type == "comment":
            following = following.next_named_sibling
        if node is None or following is None:
            return
        stages = [c for c in following.named_children if c.type != "comment"] \
            if following.type == "pipeline" else [following]
        self.link_stages([node, *stages])

    def _finish(self) -> None:
        """At the end of the script: the trap handlers run (a handler may set another), then the
        functions nothing called are reported where they are defined."""
        done: set[tuple[str, Location]] = set()
        while self.later:
            text, origin = self.later.pop(0)
            if (text, origin) not in done:
                done.add((text, origin))
                self.same_shell(text, origin)
        self.analysis.extend(functions.unused(self.functions))

    def defer(self, text: str, origin: Location) -> None:
        """Code that runs when the script exits (a trap handler)."""
        self.later.append((text, origin))

    def _syntax_error(self, root: Node) -> None:
        bad = first_bad(root)
        row = bad.start_point[0] if bad is not None else 0
        what = (f"missing {bad.type!r}" if bad is not None and bad.is_missing
                else "unbalanced quotes, brackets or an incomplete statement")
        loc = self.location(row, bad.start_point[1] if bad is not None else 0)
        if self._zsh():
            # zsh is another language: not a broken bash script, but code execgate does not read
            self.analysis.errors.append(AnalysisError(
                self.origin.path, "zsh code execgate does not read (its shell parser reads bash and POSIX sh); "
                                  "analysed the bash-compatible parts", loc.line, loc.cell))
            return
        self.analysis.errors.append(AnalysisError(
            self.origin.path, f"shell syntax error ({what}); analysed what could be parsed", loc.line, loc.cell))

    def _zsh(self) -> bool:
        """Whether the text is zsh (rules/shell.yaml `zsh_markers`, or a .zsh file)."""
        if self.origin.path.lower().endswith(".zsh"):
            return True
        return any(re.search(marker, self.text) for marker in self.know.list("zsh_markers"))

    # -- positions -----------------------------------------------------------------------

    def location(self, row: int, byte_col: int) -> Location:
        line = self.lines[row] if row < len(self.lines) else b""
        col = len(line[:byte_col].decode("utf-8", errors="replace"))
        column = self.origin.column + col if row == 0 else col + 1
        return self.origin.shifted(lines=row, column=column)

    def node_location(self, node: Node) -> Location:
        return self.location(node.start_point[0], node.start_point[1])

    def raw(self, node: Node) -> str:
        return self.words.raw(node)

    # -- walking -------------------------------------------------------------------------

    def visit(self, node: Node) -> None:
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
            self.link_stages([c for c in node.named_children if c.type != "comment"])
        elif kind == "redirected_statement":
            self.redirected(node)
        elif kind == "heredoc_redirect":
            self.heredoc_pipeline(node)
        elif kind == "function_definition":
            functions.define(self, self.functions, node)
            return
        elif kind == "declaration_command":
            self.export_functions(node)
        elif kind == "for_statement":
            self.for_variable(node)
        elif kind in ("while_statement", "until_statement"):
            self.read_variables(node)
        elif kind in ("subshell", "command_substitution", "process_substitution"):
            # `(cd scripts && ./reset.sh)`, `$(cd web && pwd)`: the cd ends with the subshell
            directory = self.scope.directory
            for child in node.children:
                self.visit(child)
            self.scope.directory = directory
            return
        for child in node.children:
            self.visit(child)

    def assign(self, node: Node) -> None:
        """``x=value``: remember constants and temporary directories for later commands."""
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name is None:
            return
        operator = next((c for c in node.children if not c.is_named), None)
        appends = operator is not None and self.raw(operator) == "+="
        if value is None:
            binding = Binding("")
        elif value.type == "array":
            # an array's words are kept ("${cmd[@]}" runs them); += adds to those already known
            words = tuple(w for child in value.named_children for w in self.words.words(child))
            before = self.scope.variables.get(self.raw(name)) if appends else None
            known = before.elements if before is not None else (() if not appends else None)
            binding = Binding(None, computed=True, elements=None if known is None else known + words)
        elif appends:
            binding = Binding(None, computed=True)
        else:
            word = self.words.word(value)
            secrets = secrets_of_words(self, [word]) if word.substitutions else []
            binding = Binding(word.value, word.scratch, word.prefix, computed=word.computed, variables=word.variables,
                              choices=word.choices, secret=secrets[0].description if secrets else None)
            before = self.scope.variables.get(self.raw(name))
            if before is not None and _conditional(node):
                binding = _either(before, binding)
        self.scope.variables[self.raw(name)] = binding

    def export_functions(self, node: Node) -> None:
        """``export -f f`` (``declare -fx f``): child shells may run ``f`` from here on, with
        arguments unknown; it is analysed here, with the variables set so far."""
        words = [self.raw(c) for c in node.children]
        if not words or words[0] not in ("export", "declare", "typeset"):
            return
        flags = "".join(w[1:] for w in words[1:] if w.startswith("-"))
        if "f" not in flags or (words[0] != "export" and "x" not in flags):
            return
        unknown = Word(None, "$@", variables=("@",))
        for child in node.named_children:
            if child.type == "variable_name":
                functions.call(self, self.functions, self.raw(child), [unknown], CommandContext(node, []))

    def for_variable(self, node: Node) -> None:
        """``for f in LIST``: one item at a time, each one of many when the list is a listing
        (a glob, a command's output, a split expansion, the arguments); temporary when every
        word of the list lies in a temporary directory."""
        variable = node.child_by_field_name("variable")
        if variable is None:
            return
        values = node.children_by_field_name("value")
        words = [w for value in values for w in self.words.words(value)]
        listing = not values or any(_lists(w) for w in words)
        scratch = bool(words) and all(w.scratch for w in words)
        items = words[0].shown if listing and len(words) == 1 else ""
        choices = tuple(c for w in words for c in ((w.value or "",) if w.known else w.choices)) \
            if not listing and all(w.known or w.choices for w in words) else ()
        self.scope.variables[self.raw(variable)] = Binding(None, scratch, listing=listing, items=items, computed=True,
                                                           choices=choices)

    def read_variables(self, node: Node) -> None:
        """``while read -r f; do ...; done``: the variables ``read`` sets in a loop's condition
        hold one line of a listing per pass."""
        condition = node.child_by_field_name("condition")
        if condition is None:
            return
        pending = [condition]
        while pending:
            current = pending.pop()
            pending.extend(current.named_children)
            name = current.child_by_field_name("name") if current.type == "command" else None
            if name is None or self.words.word(name).value != "read":
                continue
            names = []
            arguments = [self.words.word(a) for a in current.children_by_field_name("argument")]
            index = 0
            while index < len(arguments):
                text = arguments[index].shown
                if text.startswith("-") and len(text) > 1:
                    takes = text[-1] in READ_OPTIONS_WITH_ARG and len(text) == 2
                    if text == "-a" and index + 1 < len(arguments):
                        names.append(arguments[index + 1].shown)
                    index += 2 if takes else 1
                    continue
                names.append(text)
                index += 1
            for variable in names or ["REPLY"]:
                self.scope.variables[variable] = Binding(None, listing=True, computed=True)

    def link_stages(self, stages: list[Node]) -> None:
        """Remember, for each stage, the stages before it; a secret source feeding a network
        tool is reported once, as exfil-secret at the sink, not also as a read."""
        for index, stage in enumerate(stages[1:], start=1):
            command = command_of(stage)
            if command is not None:
                self.pipes[command.id] = stages[:index]
        if any(sends_stdin(self, stage) for stage in stages[1:]):
            for stage in stages[:-1]:
                command = command_of(stage)
                if command is not None and secret_of_stage(self, stage):
                    self.consumed.add(command.id)

    def heredoc_pipeline(self, node: Node) -> None:
        """``cat <<EOF | bash``: tree-sitter puts ``| bash`` inside the heredoc redirection."""
        inner = next((c for c in node.named_children if c.type == "pipeline"), None)
        if inner is None:
            command = next((c for c in node.named_children if c.type == "command"), None)
            stages_inner = [command] if command is not None else []
        else:
            stages_inner = [c for c in inner.named_children if c.type != "comment"]
        statement = node.parent
        body = statement.child_by_field_name("body") if statement is not None else None
        if statement is None or body is None or not stages_inner:
            return
        self.link_stages([statement, *stages_inner])

    def redirected(self, node: Node) -> None:
        """A redirection with no command (``> file``) truncates the file."""
        body = node.child_by_field_name("body")
        if body is None:
            for redirect in node.children_by_field_name("redirect"):
                self.truncation(redirect, node, bare=True)
        elif body.type == "command":
            record_write(self, body, list(node.children_by_field_name("redirect")))
            # `: > f`, `true > f`, `cat /dev/null > f` write nothing: they only empty the file
            name = body.child_by_field_name("name")
            line = [basename(self.words.word(name).shown) if name is not None else "",
                    *(self.words.word(a).shown for a in body.children_by_field_name("argument"))]
            bare = any(line == empty.split() for empty in self.know.list("empty_output"))
            for redirect in node.children_by_field_name("redirect"):
                self.truncation(redirect, body, bare=bare)

    def truncation(self, redirect: Node, node: Node, bare: bool) -> None:
        if redirect.type != "file_redirect":
            return
        operator = next((self.raw(c) for c in redirect.children if not c.is_named), "")
        destination = redirect.child_by_field_name("destination")
        if destination is None or operator not in TRUNCATING:
            if destination is not None and operator in APPENDING:
                network.redirect_exfil(self, redirect, node, self.words.word(destination))
            return
        target = self.words.word(destination)
        if network.redirect_exfil(self, redirect, node, target):
            return
        ctx = CommandContext(node, [redirect])
        if self.know.is_device(target.shown):
            self.report("shell.dd-device", ctx, [target.shown], verb="write", command=">")
        elif bare or self.know.is_critical_path(target.shown) or self.know.is_credential_path(target.shown):
            if not self.know.matches_list("stream_files", target.shown):
                self.report("shell.truncate-file", ctx, [target.shown], verb="truncate", scratch=target.scratch)

    # -- commands ------------------------------------------------------------------------

    def command(self, node: Node) -> None:
        if node.child_by_field_name("name") is None:
            return
        argv = argv_of(self, node)
        redirects = list(node.children_by_field_name("redirect"))
        parent = node.parent
        if parent is not None and parent.type == "redirected_statement":
            redirects.extend(parent.children_by_field_name("redirect"))
        ctx = CommandContext(node, redirects)
        ctx.stdin = stdin_of(self, ctx)
        self.dispatch(argv, ctx)

    def dispatch(self, argv: list[Word], ctx: CommandContext) -> None:
        """Match one resolved command line: a written script run by its path, an alias, a function,
        a builtin, a wrapper or list runner (whose command comes back here), else every table
        that knows the program."""
        if not argv:
            return
        head = argv[0]
        if head.value is None and head.choices:
            # `PM=npm; [ -f yarn.lock ] && PM=yarn; $PM install`: each program it may be
            for choice in head.choices:
                words = [choice] if head.quoted else choice.split() or [""]
                self.dispatch([replace(head, value=w, text=w, choices=()) for w in words] + argv[1:], ctx)
            return
        if head.value is None:
            if not PASS_THROUGH.fullmatch(head.text.strip("\"'")):
                self.report("shell.evasion-dynamic-command", ctx, [head.text], verb="run")
            return
        program = basename(head.value)
        rest = argv[1:]
        if not program:
            return
        # a file run by its path: its extension or #! line says the language (`uv run tools/x.py`);
        # what it does is read from it, and a known tool run by its path (./manage.py flush) is
        # matched as well, unless it is a script this script wrote
        if "/" in head.value and reentry.run_written(self, head, frontends.language_for_path(head.value) or "shell",
                                                     ctx, program) and script_key(head) in self.written:
            return
        if program in self.scope.aliases:
            reentry.expand_alias(self, program, rest, ctx)
            return
        if "/" not in head.value and functions.call(self, self.functions, program, rest, ctx):
            return
        builtin = BUILTINS.get(program)
        if builtin is not None:
            builtin(self, rest, ctx)
            return
        tasks.run_task(self, program, rest, ctx)  # npm run x, make x: the project's script or recipe
        wrapper = self.know.lookup("wrappers", program)
        if wrapper is not None:
            commands.run_wrapped(self, program, wrapper, rest, ctx)
            return
        if program in self.know.table("xargs").get("names", []):
            commands.run_xargs(self, rest, ctx)
            return
        if program in self.know.table("find").get("names", []):
            commands.run_find(self, program, rest, ctx)
            return
        commands.run_remote(self, program, rest, ctx)
        # `xargs rm -rf` deletes the list it is fed, reported once as such (`xargs rm -rf /x`
        # also removes /x: its own operands are matched as well)
        fed_only = commands.fed_deleter(self, program, ctx) and all(w.shown.startswith("-") for w in rest)
        for variant in variants(rest):  # `for f in a.sql b.sql; do psql -f "$f"`: each file
            embed.interpreter(self, program, variant, ctx)
        if not commands.dry_run(self, program, rest) and not commands.only_help(self, program, rest):
            network.network(self, program, rest, ctx)
            if not fed_only:
                commands.match_table(self, program, rest, ctx)
        commands.secret_read(self, program, rest, ctx)

    # -- results -------------------------------------------------------------------------

    def evidence(self, node: Node) -> str:
        text = without_holes(" ".join(self.raw(node).split()))
        return text if len(text) <= EVIDENCE_LIMIT else text[:EVIDENCE_LIMIT - 3] + "..."

    def report(self, rule_id: str, ctx: CommandContext, targets: list[str], verb: str = "",
               severity: str | None = None, scratch: bool = False, details: dict[str, object] | None = None,
               **fields: object) -> None:
        rule = self.know.rule(rule_id)
        # text spelt with a placeholder of the embedding code's values (sed -i, a refspec...) is
        # named as an unknown value, never by the placeholder
        targets = [without_holes(t) for t in targets]
        fields = {k: without_holes(v) if isinstance(v, str) else v for k, v in fields.items()}
        details = {k: without_holes(v) if isinstance(v, str) else v for k, v in (details or {}).items()}
        default_target = fields.pop("default_target", None)
        fill: dict[str, object] = {"target": ", ".join(targets) or str(default_target or ""), "verb": verb}
        fill.update(fields)
        fill.update(details or {})
        if not fill["target"]:
            del fill["target"]  # format_message keeps "": no operand named, the catalogue says "the target"
        location = self.node_location(ctx.node)
        operation = Operation(rule=rule.id, category=rule.category, severity=severity or rule.severity,
                              language="shell", location=location, message=rule.format_message(**fill),
                              targets=tuple(targets), verb=verb, evidence=self.evidence(ctx.node),
                              scratch=scratch, details=make_details(**(details or {})))
        self.analysis.operations.append(operation)
        self._touch(rule_id, targets, location, details or {})

    def _touch(self, rule_id: str, targets: list[str], location: Location, details: dict[str, object]) -> None:
        kind_access = (self.know.table("touches").get(rule_id) or [])
        if len(kind_access) == 2:
            kind, access = str(kind_access[0]), str(kind_access[1])
            for target in targets:
                self.analysis.touches.append(Touch(kind, target, access, "shell", location))
        host = details.get("host")
        if host:
            self.analysis.touches.append(Touch("host", str(host), "send", "shell", location))

    def add_touch(self, kind: str, target: str, access: str, node: Node) -> None:
        self.analysis.touches.append(Touch(kind, target, access, "shell", self.node_location(node)))

    def same_shell(self, text: str, origin: Location, at: Location | None = None, built: bool = False) -> None:
        """Code this same shell runs later (eval, trap, an alias, ``. file``): analysed with this
        script's variables, so `trap 'rm -rf "$tmp"' EXIT` knows $tmp came from mktemp. ``built``:
        text assembled with unknown parts (the caller reports it as code it cannot fully know), so
        what does not parse in it is no syntax error of this script."""
        if self.options.depth + 1 > MAX_DEPTH:
            self.analysis.errors.append(AnalysisError(self.origin.path, f"eval nested more than {MAX_DEPTH} deep",
                                                      origin.line, origin.cell))
            return
        nested = ScriptUnit(text, origin, self.options.deeper(), self.know)
        nested.scope = self.scope
        nested.words = WordResolver(nested.source, self.scope, self.know.table("decoders"))
        nested.functions = self.functions
        nested.written = self.written
        nested.secret_files = self.secret_files
        nested.later, nested.owner = self.later, False
        nested.built = built
        self._take(nested.run(), at)

    def take_variables(self, text: str, origin: Location) -> None:
        """``. ./config.sh``: the file is analysed where it is sourced (scriptfile, with its
        findings); here it only runs for what it assigns and defines, into this script's
        variables and functions."""
        if self.options.depth + 1 > MAX_DEPTH:
            return
        # the file is being followed: one that sources itself (or its sourcer) is not read again
        options = self.options.deeper(scripts=self.options.scripts + (origin.path,))
        nested = ScriptUnit(text, origin, options, self.know)
        nested.scope = self.scope
        nested.words = WordResolver(nested.source, self.scope, self.know.table("decoders"))
        # its functions are callable from here on (`. lib.sh` then `wipe_data`); one nothing
        # calls was already reported by the file's own analysis, at the line that sources it
        nested.functions = self.functions
        defined = len(self.functions.defined)
        nested.owner = False
        nested.run()
        for function in self.functions.defined[defined:]:
            function.used = True
            function.sourced = True

    def embedded(self, language: str, text: str, origin: Location, hint: str | None = None,
                 at: Location | None = None) -> None:
        """Hand code written in another language (or a nested shell) to its front end."""
        options = self.options.deeper(context_hint=hint) if hint else self.options.deeper()
        # through the package, which picks the front end (and which tests may replace)
        self._take(frontends.analyze(language, text, origin, options), at)

    def _take(self, nested: Analysis, at: Location | None) -> None:
        """Add a nested analysis; with ``at`` (a script file written earlier and run there), its
        operations are reported where the file runs, and its comments (already data of the
        writing command) are not taken again."""
        if at is not None:
            nested = Analysis([replace(op, location=at) for op in nested.operations],
                              nested.touches, [], nested.errors)
        self.analysis.extend(nested)
