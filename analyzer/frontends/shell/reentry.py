"""Code the script runs again: ``eval``, ``trap``, aliases, ``source``, shell strings and written scripts.

A constant string is analysed where it runs (``eval 'rm -rf "$tmp"'`` with the
script's variables, ``su -c '...'`` in a new shell); a computed one is evasion.
A script file the script wrote earlier (flow.record_write) is analysed as the
text it received when it is run (``bash x.sh``, ``. x.sh``, ``./x.sh``).
"""
from __future__ import annotations

import os
import re
import shlex
from typing import TYPE_CHECKING

from ...model import Analysis, Location
from ...records import replace
from .. import scriptfile
from .flow import content_origin, downloader_in, script_key
from .knowledge import basename
from .parse import encode, parse
from .state import CommandContext, Unit
from .words import Word

if TYPE_CHECKING:  # pragma: no cover - typing only
    from tree_sitter import Node

# Builtins whose string runs in this same shell, with its variables; any other program given
# a shell string (bash -c, su -c, ssh host '...') starts a new shell.
SAME_SHELL = ("eval", "trap")


# A variable that a double-quoted string given to eval/trap put inside single quotes of the code
# (`trap "rm -rf '$tmp'" EXIT`): the code holds its value, quoted.
_QUOTED_VARIABLE = re.compile(r"'(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)'")


def template(word: Word) -> str | None:
    """The code of a string for this same shell made of constant text and variables (``trap "rm
    -rf $tmp" EXIT``, ``eval "rm -f $OUT/x"``): the variables are expanded when the string is
    made, the rest is code as written, so it reads as that code with the script's variables.
    None when a command substitution makes part of it, or when the command itself is a
    variable (``eval "$CMD"``, ``eval "$@"``): code assembled from data."""
    text = word.text.strip()
    if word.value is not None or word.substitutions or not text or text.startswith(("$", "`")):
        return None
    if word.node is not None and word.node.type == "string":
        # inside double quotes `\"`, `\$`, `\\` and `\``  are the characters themselves
        text = _DOUBLE_QUOTE_ESCAPE.sub(r"\1", text)
    return _QUOTED_VARIABLE.sub(r'"\1"', text)


_DOUBLE_QUOTE_ESCAPE = re.compile(r'\\([\\"$`])')


def parses(code: str) -> bool:
    """Whether shell code parses without a syntax error."""
    return not parse(encode(code))[0].root_node.has_error


# The shell variable an input line of xargs stands as, in a shell string it is put into.
XARGS_INPUT = "${XARGS_INPUT}"


def filled_code(word: Word, ctx: CommandContext, strip: str = "") -> str | None:
    """The code of a shell string that only xargs' input lines leave unknown (``xargs -I{} sh -c
    'gzip "{}"'``), each line put in as a variable of unknown value; None for any other unknown
    string, and when the line is the whole code (``xargs -I{} sh -c {}`` runs each line: evasion)."""
    marker = ctx.placeholder
    if word.value is not None or not marker or word.node is None or marker not in word.text:
        return None
    text = word.text[len(strip):] if strip and word.text.startswith(strip) else word.text
    return text.replace(marker, XARGS_INPUT) if text.strip() != marker else None


def run_string(unit: Unit, program: str, word: Word, ctx: CommandContext, strip: str = "") -> None:
    """A shell string that will be run (``eval``, ``bash -c``, ``su -c``): analysed when constant
    (or constant but for xargs' input lines: filled_code)."""
    filled = filled_code(word, ctx, strip) if program not in SAME_SHELL else None
    if filled is not None:
        unit.embedded("shell", filled, content_origin(unit, word), hint=program)
        return
    if word.value is None and word.with_holes is not None:
        word = replace(word, value=word.with_holes)   # read on with the caller's unknown values
    if word.value is None:
        code = template(word) if program in SAME_SHELL else None
        if code is None:
            unit.report("shell.evasion-eval", ctx, [word.text], verb="eval", command=program)
        elif not parses(code):
            # code built with unknown parts that does not read as shell as written (`eval "db_$1 ()
            # { ... }"`): what it becomes is only known at run time; what parses is still read
            unit.report("shell.evasion-eval", ctx, [word.text], verb="eval", command=program)
            unit.same_shell(code, content_origin(unit, word), built=True)
        else:
            unit.same_shell(code, content_origin(unit, word))
        return
    text = word.value[len(strip):] if strip and word.value.startswith(strip) else word.value
    if program in SAME_SHELL:
        unit.same_shell(text, content_origin(unit, word))
    else:
        unit.embedded("shell", text, content_origin(unit, word), hint=program)


def run_eval(unit: Unit, rest: list[Word], ctx: CommandContext) -> None:
    """``eval a b c`` runs its words joined by spaces."""
    if not rest:
        return
    joined = " ".join(w.shown for w in rest)
    value = joined if all(w.known for w in rest) else None
    node = ctx.node
    if value is not None and not all(w.node is not None and node.start_byte <= w.node.start_byte < node.end_byte
                                     for w in rest):
        # words spelt elsewhere (`eval "${cmd[@]}"` of an array set earlier): read at the eval
        unit.same_shell(value, unit.node_location(node))
        return
    run_string(unit, "eval", Word(value, joined, rest[0].node), ctx)


def run_trap(unit: Unit, rest: list[Word], ctx: CommandContext) -> None:
    """``trap 'rm -rf "$tmp"' EXIT`` runs its first argument later, when the script exits or is
    signalled: it is code, analysed at the end of the script with the variables set by then
    (``trap cleanup EXIT`` before ``tmp=$(mktemp -d)``)."""
    if rest and rest[0].shown not in ("-", "") and not rest[0].shown.startswith("-"):
        word = rest[0]
        code = word.value if word.value is not None else template(word)
        if code is None:
            run_string(unit, "trap", word, ctx)
        elif rest[1:] and all(w.shown == "RETURN" for w in rest[1:]) and _in_function(ctx.node):
            # `f() { local tmp; tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN; ...}`: it runs when
            # the function returns, with the function's variables (gone by the end of the script)
            unit.same_shell(code, content_origin(unit, word))
        else:
            unit.defer(code, content_origin(unit, word))


def _in_function(node: Node) -> bool:
    current = node.parent
    while current is not None:
        if current.type == "function_definition":
            return True
        current = current.parent
    return False


def define_alias(unit: Unit, rest: list[Word], ctx: CommandContext) -> None:
    """``alias ll='ls -l'``: a later ``ll`` runs its text (expand_alias)."""
    for word in rest:
        name, eq, value = word.shown.partition("=")
        if eq and word.value is not None:
            unit.scope.aliases[name] = value


def expand_alias(unit: Unit, program: str, rest: list[Word], ctx: CommandContext) -> None:
    body = unit.scope.aliases.pop(program)  # an alias is not expanded inside itself (ls='ls -l')
    try:
        unit.same_shell(body + "".join(" " + shlex.quote(w.shown) for w in rest), unit.node_location(ctx.node))
    finally:
        unit.scope.aliases[program] = body


def run_source(unit: Unit, rest: list[Word], ctx: CommandContext) -> None:
    """``. file`` / ``source file`` runs the file in this shell: analysed when the script wrote it."""
    if not rest:
        return
    source = downloader_in(unit, rest[0].node) if rest[0].value is None else None
    if source is not None:  # `source <(curl -s URL)`
        unit.report("shell.evasion-remote-code", ctx, [], verb="run", command="source", source=source)
        return
    written = unit.written.get(script_key(rest[0]))
    run_written(unit, rest[0], "shell", ctx, "source", same_shell=True)
    if written is None and rest[0].value is not None:
        # `. ./config.sh`: what the file of the tree assigns holds here from now on
        found = scriptfile.read(in_directory(unit, rest[0].value), unit.origin, unit.options, "shell")
        if found is not None:
            unit.take_variables(found[1], Location(found[0], 1))


# `cd "$(dirname "$0")"` and its spellings: the script's own folder.
_OWN_FOLDER = re.compile(r'"?\$\((?:dirname|realpath|cd)\s+"?\$(?:0|\{0\}|\{BASH_SOURCE(?:\[0\])?\})"?\)"?'
                         r'|"?\$\{(?:0|BASH_SOURCE(?:\[0\])?)%/\*\}"?')


def change_directory(unit: Unit, rest: list[Word], ctx: CommandContext) -> None:
    """``cd DIR`` (``pushd DIR``): later relative script paths are looked up from DIR. A folder
    known only at run time leaves the lookup where it was; the script's own folder
    (``cd "$(dirname "$0")"``) is where it starts."""
    operands = [w for w in rest if not w.shown.startswith("-") or w.shown == "-"]
    scope = unit.scope
    if not operands:
        return
    target = operands[0]
    if _OWN_FOLDER.fullmatch(target.text):
        scope.directory = ""
    elif target.value is not None and target.value not in ("-", "~") and not target.value.startswith("~"):
        scope.directory = os.path.normpath(os.path.join(scope.directory, target.value))


def push_directory(unit: Unit, rest: list[Word], ctx: CommandContext) -> None:
    unit.scope.directories.append(unit.scope.directory)
    change_directory(unit, rest, ctx)


def pop_directory(unit: Unit, rest: list[Word], ctx: CommandContext) -> None:
    if unit.scope.directories:
        unit.scope.directory = unit.scope.directories.pop()


def in_directory(unit: Unit, name: str) -> str:
    """A relative path as seen from where the script has gone with ``cd``."""
    directory = unit.scope.directory
    return os.path.normpath(os.path.join(directory, name)) if directory and not name.startswith("/") else name


def run_file(unit: Unit, path: Word, language: str, ctx: CommandContext, program: str,
             hint: str | None = None) -> bool:
    """A script file of the checked tree run by its path (``bash scripts/reset.sh``): read and
    analysed in a new shell (or its language), reported at the line that runs it with the line
    inside it (scriptfile.run). False when it is not read: the command keeps its decision.
    ``hint``: the context hint for its front end (the program's name when None)."""
    if path.value is None:
        return False
    found = run_script(unit, language, path.value, ctx, hint or program)
    if found is None:
        return False
    unit.analysis.extend(found)
    return True


def run_script(unit: Unit, language: str, name: str, ctx: CommandContext, hint: str) -> Analysis | None:
    """The script file ``name`` analysed where the command runs it (scriptfile.run), or None when
    it is not read; one missing from the checked tree is recorded among the reads all the same.
    Run by its own path (``hint`` is its name), its ``#!`` line says whether it is read."""
    name = in_directory(unit, name)
    executed = basename(name) == hint
    found = scriptfile.run(language, name, unit.origin, unit.node_location(ctx.node), unit.options, hint=hint,
                           executed=executed)
    if found is None:
        # missing, or not read for its #! line: the cache drops the result once that changes
        unread = scriptfile.missing(name, unit.origin, unit.options) or \
            (scriptfile.locate(name, unit.origin, unit.options) if executed else None)
        if unread is not None and unread not in unit.analysis.reads:
            unit.analysis.reads.append(unread)
    return found


def run_written(unit: Unit, path: Word, language: str, ctx: CommandContext, program: str,
                same_shell: bool = False, from_disk: bool = True, hint: str | None = None) -> bool:
    """A file this script wrote earlier (echo/printf/cat redirected into it) is run: its text is
    analysed as ``language`` (a ``#!`` line naming a known interpreter wins), and what it does
    is reported at the line that runs it, the same place as ``bash -c '...'`` would be.
    Text that was computed is evasion, like ``eval "$x"``. A script it did not write is read from
    the checked tree when it is there (run_file; not for ``python -m module``)."""
    written = unit.written.get(script_key(path))
    if written is None:
        return from_disk and run_file(unit, path, language, ctx, program, hint)
    text, origin, writer = written
    at = unit.node_location(ctx.node)
    if text is None:
        unit.report("shell.evasion-eval", ctx, [writer], verb="run", command=f"{program} {path.shown}")
        return True
    first = text.split("\n", 1)[0]
    if first.startswith("#!"):
        words = first[2:].split()
        name = basename(words[1] if words and basename(words[0]) == "env" and len(words) > 1 else
                        (words[0] if words else ""))
        spec = unit.know.lookup("interpreters", name.rstrip("0123456789.") or name) or \
            unit.know.lookup("interpreters", name)
        if spec is not None:
            language = str(spec["language"])
    if same_shell and language == "shell":
        unit.same_shell(text, origin, at=at)
    else:
        unit.embedded(language, text, origin, hint=hint or program, at=at)
    return True
