"""Shell words: what an argument is after quote removal, escapes and known expansions.

The shell decides what runs only after it has removed quotes (``r''m`` is
``rm``), decoded ANSI-C strings (``$'\\x72m'``), expanded variables assigned
earlier in the script and split unquoted expansions on whitespace. This module
does the same on tree-sitter nodes, statically: a part it cannot know (``$1``,
``$(curl ...)``) leaves the word unresolved (``value is None``) while ``text``
keeps a readable form for messages and targets.
"""
from __future__ import annotations

import base64
import binascii
import re
from typing import TYPE_CHECKING

from ...records import Record, field, replace

if TYPE_CHECKING:  # pragma: no cover - typing only
    from tree_sitter import Node


class Word(Record, frozen=True):
    """One shell word. ``value`` is None when part of it is only known at run time."""

    value: str | None
    text: str
    node: Node | None = None   # where it is spelt (None for a word made up, such as ``$#``)
    scratch: bool = False      # rooted at a directory the script provably made temporary
    quoted: bool = False       # came (at least partly) from quotes: never an operator/option by accident
    variables: tuple[str, ...] = ()   # variables expanded in it (for secret detection)
    substitutions: tuple[Node, ...] = ()  # command substitution nodes inside it
    prefix: str = ""           # the constant text it starts with (all of it when known)
    glob: bool = False         # the shell expands it as a pattern (an unquoted `*`, `?` or `[`)
    listed: bool = False       # holds a loop variable that runs over a listing (one item of many)
    # Part of it is made at run time by the script (a command's output, a line read, an argument),
    # not only taken from the environment (`$CI_COMMIT_SHA`: configuration, not data).
    computed: bool = False
    # The constant values it takes in turn, when its one unknown part is a loop variable over a
    # constant list (`for d in build dist; do rm -rf "./$d"`: ./build, then ./dist).
    choices: tuple[str, ...] = ()
    # Code handed over by another front end with its placeholders for values it cannot know
    # (``psql -c 'DROP TABLE __execgate_hole_1__'`` from Python): the text with those
    # placeholders, when they are its only unknown parts. The front end the text goes on to
    # (SQL, a nested shell) reads them as its own unknown values.
    with_holes: str | None = None

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def shown(self) -> str:
        """The word as execgate names it in findings: resolved text where known."""
        return self.value if self.value is not None else self.text


def variants(words: list[Word]) -> list[list[Word]]:
    """The command line once for each value its first word of constant values in turn takes
    (``for f in a.sql b.sql; do psql -f "$f"``), that word made constant; as it is otherwise."""
    index = next((i for i, w in enumerate(words) if w.value is None and w.choices), None)
    if index is None:
        return [words]
    word = words[index]
    return [words[:index] + [replace(word, value=c, text=c, prefix=c, choices=())] + words[index + 1:]
            for c in word.choices]


class Binding(Record, frozen=True):
    """What a variable holds: its value when constant, and whether it is a temporary directory."""

    value: str | None
    scratch: bool = False
    prefix: str = ""           # constant text the value starts with, when the value is unknown
    listing: bool = False      # a loop variable: each pass holds one item of a listing
    items: str = ""            # the listing it runs over (``*.log``), shown in its place
    computed: bool = False     # the unknown value is made by the script, not taken from the environment
    variables: tuple[str, ...] = ()   # the variables its value was made of (T=$GITHUB_TOKEN holds a secret)
    elements: tuple[Word, ...] | None = None   # an array's words (cmd=(rm -rf x)), when all are seen
    choices: tuple[str, ...] = ()   # the constant values a loop variable takes in turn (for f in a b)
    secret: str | None = None       # what secret its value holds (K=$(cat ~/.ssh/id_rsa)), described


class Scope(Record):
    """Variables and aliases seen so far in one script (simple, flow-insensitive)."""

    variables: dict[str, Binding] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    scratch_variables: frozenset[str] = frozenset()
    scratch_makers: frozenset[str] = frozenset()
    # The machine's temporary folders (`/tmp/`): a path the embedding code builds below one with
    # a value of its own (`f"/tmp/exports/{day}.json"`) stays there, as `$TMPDIR/$x` does.
    scratch_folders: tuple[str, ...] = ()
    # The words of the function call being analysed ($1.. $9, "$@"); None outside a call, or when
    # the call passes on arguments of unknown number (``main "$@"`` at the top of a script).
    positional: tuple[Word, ...] | None = None
    # Where `cd` has gone, relative to the script's folder ("" there, absolute after `cd /srv`):
    # scripts, manifests and Makefiles named by a relative path are looked up from it.
    directory: str = ""
    directories: list[str] = field(default_factory=list)   # pushd's stack

    def lookup(self, name: str) -> Binding:
        if name in self.variables:
            return self.variables[name]
        if name == "IFS":
            return Binding(" \t\n")
        return Binding(None, name in self.scratch_variables)

    def parameter(self, name: str) -> Word | None:
        """``$1``, ``$@``, ``$*``, ``$#`` inside an analysed function call; None when unbound."""
        args = self.positional
        if args is None:
            return None
        if name.isdigit() and name != "0":
            index = int(name) - 1
            return args[index] if index < len(args) else None  # not passed: unset, not ""
        if name in ("@", "*"):
            text = " ".join(w.shown for w in args)
            known = all(w.known for w in args)
            prefix = text
            if not known:
                first = next(i for i, w in enumerate(args) if not w.known)
                prefix = "".join(w.shown + " " for w in args[:first]) + args[first].prefix
            return Word(text if known else None, text, None, bool(args) and args[0].scratch,
                        any(w.quoted for w in args), tuple(v for w in args for v in w.variables),
                        tuple(n for w in args for n in w.substitutions), prefix)
        if name == "#":
            return Word(str(len(args)), str(len(args)))
        return None


# The placeholder the Python front end writes for a value it cannot know in a command it hands
# over (python/values.py HOLE), and how a finding names such a value instead.
HOLE_PREFIX = "__execgate_hole_"
HOLE = re.compile(r"(__execgate_hole_\d+__)")
HOLE_SHOWN = "{?}"


def without_holes(text: str) -> str:
    """Text for a message or evidence: each placeholder of an unknown value shown as such."""
    return HOLE.sub(HOLE_SHOWN, text) if HOLE_PREFIX in text else text


# A pattern character the shell expands when it is not quoted or escaped.
_GLOB = re.compile(r"(?<!\\)(?:\\\\)*[*?[]")


def has_glob(bare: str) -> bool:
    """Whether unquoted text holds an unescaped pattern character (``*.log``, ``x?``, ``[ab]``)."""
    return _GLOB.search(bare) is not None


_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
                   "e": "\x1b", "E": "\x1b", "\\": "\\", "'": "'", '"': '"', "?": "?"}
_ANSI = re.compile(r"\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)", re.S)


def decode_ansi_c(body: str) -> str:
    """Decode the inside of ``$'...'`` the way bash does (\\x72 -> r, \\162 -> r, \\u0072 -> r)."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        head = code[0]
        try:
            if head == "x":
                return chr(int(code[1:], 16))
            if head in "uU":
                return chr(int(code[1:], 16))
            if head.isdigit():
                return chr(int(code, 8) & 0xFF)
        except (ValueError, OverflowError):
            return match.group(0)
        if head == "c" and len(code) == 2:
            return chr(ord(code[1].upper()) ^ 0x40)
        return _SIMPLE_ESCAPES.get(code, "\\" + code)

    return _ANSI.sub(one, body)


def unescape_bare(text: str) -> str:
    """Remove backslashes the way the shell does outside quotes (``\\rm`` is ``rm``)."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            if text[i + 1] != "\n":
                out.append(text[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def unescape_double(text: str) -> str:
    """Backslash removal inside double quotes: only before $ ` " \\ and newline."""
    return re.sub(r'\\([$`"\\\n])', lambda m: "" if m.group(1) == "\n" else m.group(1), text)


class WordResolver:
    """Turns argument nodes into :class:`Word` values using the script's :class:`Scope`."""

    def __init__(self, source: bytes, scope: Scope, decoders: dict[str, list[str]] | None = None) -> None:
        self.source = source
        self.scope = scope
        # programs that decode their input with one of these flags (rules/shell.yaml `decoders`)
        self.decoders = decoders or {}

    def raw(self, node: Node) -> str:
        return self.source[node.start_byte:node.end_byte].decode("utf-8", errors="replace")

    def word(self, node: Node) -> Word:
        parts = _Parts(scratch_folders=self.scope.scratch_folders)
        self._collect(node, parts, in_quotes=False)
        return parts.word(node)

    def words(self, node: Node) -> list[Word]:
        """The words an argument becomes: unquoted expansions of known values are split on $IFS
        (``CMD="rm -rf"; $CMD /``, ``rm${IFS}-rf${IFS}/``)."""
        spread = self._spread(node)
        if spread is not None:
            return spread
        word = self.word(node)
        expanding = ("simple_expansion", "expansion", "command_substitution")
        unquoted = node.type in expanding or (
            node.type == "concatenation" and any(c.type in expanding for c in node.children))
        if unquoted and word.value is not None:
            pieces = self._ifs_pieces(word.value)
            if len(pieces) != 1:
                return [Word(piece, piece, node, word.scratch and i == 0, False, word.variables,
                             glob=has_glob(piece), listed=word.listed, computed=word.computed)
                        for i, piece in enumerate(pieces)]
        return [word]

    def _ifs_pieces(self, value: str) -> list[str]:
        """``value`` split on $IFS, as the shell splits an unquoted expansion (whole when IFS is empty)."""
        separators = self.scope.lookup("IFS").value or ""
        return [p for p in re.split("[" + re.escape(separators) + "]+", value) if p] if separators else [value]

    def _spread(self, node: Node) -> list[Word] | None:
        """``"$@"`` (and ``"${@}"``, bare ``$@`` / ``$*``) inside an analysed function call: the
        caller's words, one word each (bare ones are split on $IFS when known); None otherwise."""
        array = self._array(node)
        if array is not None:
            return array
        args = self.scope.positional
        if args is None:
            return None
        quoted = node.type == "string"
        inner = [c for c in node.named_children] if quoted else [node]
        if len(inner) != 1 or inner[0].type not in ("simple_expansion", "expansion"):
            return None
        expansion = inner[0]
        named = [c for c in expansion.children if c.is_named]
        if len(named) != 1 or named[0].type != "special_variable_name":
            return None
        name = self.raw(named[0])
        if name != "@" and not (name == "*" and not quoted):
            return None
        if quoted:
            return list(args)
        out: list[Word] = []
        for word in args:
            if word.value is None:
                out.append(word)
                continue
            pieces = self._ifs_pieces(word.value)
            out.extend(word if len(pieces) == 1 and pieces[0] == word.value else
                       Word(piece, piece, word.node, word.scratch and i == 0, False, word.variables)
                       for i, piece in enumerate(pieces))
        return out

    def _array(self, node: Node) -> list[Word] | None:
        """``"${cmd[@]}"`` of an array whose words the script set (``cmd=(rm -rf "$d")``): those
        words, one each (``"${cmd[*]}"``: one word of them joined); None otherwise."""
        quoted = node.type == "string"
        inner = [c for c in node.named_children] if quoted else [node]
        if len(inner) != 1 or inner[0].type != "expansion":
            return None
        named = [c for c in inner[0].children if c.is_named]
        if len(named) != 1 or named[0].type != "subscript":
            return None
        name, index = named[0].child_by_field_name("name"), named[0].child_by_field_name("index")
        if name is None or index is None or self.raw(index) not in ("@", "*"):
            return None
        elements = self.scope.lookup(self.raw(name)).elements
        if elements is None:
            return None
        if quoted and self.raw(index) == "*":
            joined = " ".join(w.shown for w in elements)
            known = all(w.known for w in elements)
            return [Word(joined if known else None, joined, node, quoted=True,
                         variables=tuple(v for w in elements for v in w.variables))]
        return list(elements)

    # -- parts ------------------------------------------------------------------------

    def _collect(self, node: Node, parts: _Parts, in_quotes: bool) -> None:
        kind = node.type
        if kind in ("word", "number"):
            parts.add(unescape_bare(self.raw(node)), self.raw(node))
            parts.glob = parts.glob or (not in_quotes and has_glob(self.raw(node)))
        elif kind == "raw_string":
            body = self.raw(node)[1:-1]
            parts.add(body, body, quoted=True)
        elif kind == "ansi_c_string":
            body = self.raw(node)[2:-1]
            parts.add(decode_ansi_c(body), self.raw(node), quoted=True)
        elif kind in ("string", "translated_string"):
            self._collect_string(node, parts)
        elif kind == "string_content":
            parts.add(unescape_double(self.raw(node)), self.raw(node), quoted=True)
        elif kind in ("concatenation", "command_name"):
            for child in node.children:
                self._collect(child, parts, in_quotes)
        elif kind in ("simple_expansion", "expansion"):
            self._collect_expansion(node, parts, in_quotes)
        elif kind == "command_substitution":
            value, scratch = self.substitution_value(node)
            parts.add(value, self.raw(node), scratch=scratch, substitution=node)
        elif not node.is_named:
            text = self.raw(node)
            if text in ('"', "$"):
                return
            parts.add(text, text)
        else:  # arithmetic, process substitution, brace expressions ...: known only at run time
            parts.add(None, self.raw(node))

    def _collect_string(self, node: Node, parts: _Parts) -> None:
        before = len(parts.items)
        for child in node.children:
            if not child.is_named:
                continue
            self._collect(child, parts, in_quotes=True)
        if len(parts.items) == before:
            parts.add("", '""', quoted=True)
        parts.quoted = True

    def _collect_expansion(self, node: Node, parts: _Parts, in_quotes: bool) -> None:
        name_node = next((c for c in node.children if c.type in ("variable_name", "special_variable_name")), None)
        if name_node is None:
            sub = next((c for c in node.children if c.type == "subscript"), None)
            name_node = sub.child_by_field_name("name") if sub is not None else None
        name = self.raw(name_node) if name_node is not None else ""
        plain = node.type == "simple_expansion" or len([c for c in node.children if c.is_named]) == 1
        argument = self.scope.parameter(name) if name else None
        if argument is not None:
            # a function's parameter: the caller's word, shown as the caller spelt it
            if plain and argument.value == "":
                parts.add_blank(self.raw(node), variable=name)
            elif plain:
                parts.add(argument.value, argument.text if argument.value is None else argument.value,
                          scratch=argument.scratch, variable=name, prefix=argument.prefix,
                          computed=argument.computed, choices=argument.choices)
                parts.variables.extend(argument.variables)
                parts.substitutions.extend(argument.substitutions)
            else:
                parts.add(None, self.raw(node), variable=name)
            return
        binding = self.scope.lookup(name) if name else Binding(None)
        value = binding.value if plain else None
        raw = self.raw(node)
        # A variable the script never set is the environment's; one it set holds what it was given;
        # $1, $@, $? ... and an expansion that runs a command are made at run time.
        environment = bool(name) and name_node is not None and name_node.type == "variable_name" \
            and not name.isdigit() and "$(" not in raw[1:] and "`" not in raw
        computed = binding.computed if name in self.scope.variables else not environment
        if value == "":
            parts.add_blank(raw, variable=name)
            return
        parts.add(value, binding.items if plain and binding.items else raw, scratch=binding.scratch, variable=name,
                  prefix=binding.prefix if plain else "", computed=computed, choices=binding.choices if plain else ())
        parts.variables.extend(v for v in binding.variables if v != name)
        parts.listed = parts.listed or binding.listing
        # an unquoted expansion is expanded again as a pattern: PATTERN='*.log'; rm $PATTERN
        parts.glob = parts.glob or (not in_quotes and value is not None and any(c in value for c in "*?["))

    def substitution_value(self, node: Node) -> tuple[str | None, bool]:
        """``$(echo rm)`` is ``rm``; ``$(echo cm0= | base64 -d)`` is what it decodes to;
        ``$(mktemp -d)`` is unknown but scratch; anything else unknown."""
        commands = [c for c in node.children if c.is_named]
        if len(commands) == 1 and commands[0].type == "pipeline":
            return self._decoded(commands[0]), False
        if len(commands) != 1 or commands[0].type != "command":
            return None, False
        return self._printed(commands[0])

    def _decoded(self, pipeline: Node) -> str | None:
        """The text of ``echo PAYLOAD | base64 -d`` (a constant, then one of `decoders`)."""
        stages = [c for c in pipeline.named_children if c.type == "command"]
        if len(stages) != 2 or len(pipeline.named_children) != 2:
            return None
        name = stages[1].child_by_field_name("name")
        flags = self.decoders.get(self.word(name).value or "") if name is not None else None
        args = [self.word(a).value for a in stages[1].children_by_field_name("argument")]
        printed, _ = self._printed(stages[0])
        if not flags or printed is None or not any(a in flags for a in args):
            return None
        try:
            return base64.b64decode(printed.strip(), validate=False).decode("utf-8")
        except (binascii.Error, ValueError, UnicodeDecodeError):
            return None

    def _printed(self, command: Node) -> tuple[str | None, bool]:
        name = command.child_by_field_name("name")
        if name is None:
            return None, False
        program = self.word(name).value
        args = [self.word(a) for a in command.children_by_field_name("argument")]
        if program in self.scope.scratch_makers:
            return None, True
        if program == "echo" and all(a.known for a in args):
            values = [a.value or "" for a in args]
            while values and values[0] in ("-n", "-e", "-E"):
                values.pop(0)
            return " ".join(values), False
        if program == "printf" and len(args) == 1 and args[0].known and "%" not in (args[0].value or ""):
            return decode_ansi_c(args[0].value or ""), False
        return None, False


class _Parts(Record):
    items: list[tuple[str | None, str]] = field(default_factory=list)
    scratch_start: bool | None = None
    quoted: bool = False
    variables: list[str] = field(default_factory=list)
    substitutions: list[Node] = field(default_factory=list)
    prefix: str | None = None      # set once an unknown part ends the constant start
    glob: bool = False
    listed: bool = False
    computed: bool = False
    blanks: int = 0                # expansions of empty variables among the items
    choices: dict[int, tuple[str, ...]] = field(default_factory=dict)   # item index -> its values in turn
    holes: dict[int, str] = field(default_factory=dict)   # item index -> the embedding code's placeholder
    scratch_folders: tuple[str, ...] = ()                  # Scope.scratch_folders

    def add(self, value: str | None, text: str, quoted: bool = False, scratch: bool = False,
            variable: str = "", substitution: Node | None = None, prefix: str = "", computed: bool = True,
            choices: tuple[str, ...] = ()) -> None:
        if value is not None and HOLE_PREFIX in value and HOLE.search(value):
            # a value the embedding code computes (subprocess.run(["rm", "-rf", d])): unknown here,
            # shown as such, never as the placeholder's own name
            pieces = HOLE.split(value)
            if not self.items and pieces[0].startswith(self.scratch_folders):
                scratch = True
            for i, piece in enumerate(pieces):
                if i % 2:
                    self.holes[len(self.items)] = piece
                    self.add(None, HOLE_SHOWN, quoted, scratch)
                elif piece:
                    self.add(piece, piece, quoted, scratch)
            return
        if value is None and choices:
            self.choices[len(self.items)] = choices
        if self.scratch_start is None:
            self.scratch_start = scratch
        self.computed = self.computed or (value is None and computed)
        if value is None and self.prefix is None:
            self.prefix = "".join(v or "" for v, _ in self.items) + prefix
        self.items.append((value, text))
        self.quoted = self.quoted or quoted
        if variable:
            self.variables.append(variable)
        if substitution is not None:
            self.substitutions.append(substitution)

    def add_blank(self, text: str, variable: str) -> None:
        """An expansion of a variable that holds nothing: alone it is the empty word; beside other
        text (``"$DIR/"``) it stands for a value execgate does not know, never for nothing (a path
        read as ``/`` is a placeholder, not the script's meaning)."""
        self.blanks += 1
        self.add(None, text, variable=variable, computed=False)

    def word(self, node: Node) -> Word:
        if self.blanks and self.blanks == len(self.items):
            self.items = [("", "")] * len(self.items)
            self.prefix = None
        known = all(v is not None for v, _ in self.items)
        value = "".join(v or "" for v, _ in self.items) if known else None
        text = "".join(v if v is not None else t for v, t in self.items)
        scratch = bool(self.scratch_start) and ".." not in text.split("/")
        prefix = value if value is not None else self.prefix or ""
        with_holes = None
        only_holes = all(v is not None or i in self.holes for i, (v, _) in enumerate(self.items))
        if value is None and self.holes and only_holes:
            with_holes = "".join(self.holes.get(i, v or "") for i, (v, _) in enumerate(self.items))
        return Word(value, text, node, scratch, self.quoted, tuple(self.variables), tuple(self.substitutions), prefix,
                    self.glob, self.listed, self.computed, self._choices(), with_holes)

    def _choices(self) -> tuple[str, ...]:
        """The word's values in turn, when its only unknown part takes constant values in turn."""
        unknown = [i for i, (v, _) in enumerate(self.items) if v is None]
        if len(unknown) != 1 or unknown[0] not in self.choices:
            return ()
        index = unknown[0]
        before = "".join(v or "" for v, _ in self.items[:index])
        after = "".join(v or "" for v, _ in self.items[index + 1:])
        return tuple(before + choice + after for choice in self.choices[index])
