"""Matching one resolved command line against the catalogue.

Wrappers (``sudo``, ``env``, ``timeout 5`` ...) are peeled, ``xargs`` and
``find -exec`` hand on the command they run, ``eval`` / ``trap`` / aliases
re-enter the shell front end with their constant text, and what remains is
matched against every table of ``rules/shell.yaml`` that knows the program:
interpreters, network tools and the destructive command table.
"""
from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Any

from .args import ParsedArgs, matches, parse_args
from .flow import content_origin, script_key, secret_of_words
from .knowledge import basename
from .words import Word

if TYPE_CHECKING:  # pragma: no cover
    from .script import Ctx, _Unit


def dispatch(unit: _Unit, argv: list[Word], ctx: Ctx) -> None:
    """Everything execgate knows about this command line, reported on ``unit``."""
    from . import embed as shell_embed
    from . import functions as shell_functions
    from . import network as shell_network

    if not argv:
        return
    head = argv[0]
    if head.value is None:
        unit.report("shell.evasion-dynamic-command", ctx, [head.text], verb="run")
        return
    program = basename(head.value)
    rest = argv[1:]
    if not program:
        return
    if "/" in head.value and run_written(unit, head, "shell", ctx, program):
        return
    if program in unit.scope.aliases:
        _expand_alias(unit, program, rest, ctx)
        return
    if "/" not in head.value and program in unit.scope.functions and shell_functions.call(unit, program, rest, ctx):
        return
    special = _SPECIAL.get(program)
    if special is not None:
        special(unit, rest, ctx)
        return
    wrapper = unit.know.lookup("wrappers", program)
    if wrapper is not None:
        _wrapper(unit, program, wrapper, rest, ctx)
        return
    know = unit.know
    if program in know.table("xargs").get("names", []):
        _xargs(unit, rest, ctx)
        return
    if program in know.table("find").get("names", []):
        _find(unit, program, rest, ctx)
        return
    if ctx.fed_by == "xargs" and program in know.table("xargs").get("deleters", []):
        unit.report("shell.xargs-delete", ctx, [], verb="delete", command=f"xargs {program}")
    shell_embed.interpreter(unit, program, rest, ctx)
    shell_network.network(unit, program, rest, ctx)
    _rules(unit, program, rest, ctx)
    _secret_read(unit, program, rest, ctx)


# -- wrappers and re-entry ---------------------------------------------------------------


def _wrapper(unit: _Unit, program: str, spec: dict[str, Any], rest: list[Word], ctx: Ctx) -> None:
    """Skip the wrapper's own options and run what it wraps (or the shell string it is given)."""
    takes = set(spec.get("options_with_arg", []))
    query = set(spec.get("query_flags", []))
    strings = set(spec.get("string_flags", []))
    positional = int(spec.get("positional", 0))
    i = 0
    while i < len(rest):
        text = rest[i].shown
        if text == "--":
            i += 1
            break
        name, eq, value = text.partition("=")
        if spec.get("assignments") and eq and not text.startswith("-") and name.replace("_", "a").isalnum():
            i += 1
            continue
        if text.startswith("-") and len(text) > 1:
            if name in query or (not text.startswith("--") and any(f"-{c}" in query for c in text[1:])):
                return
            if name in strings:
                word = rest[i] if eq else (rest[i + 1] if i + 1 < len(rest) else None)
                if word is not None:
                    run_string(unit, program, word, ctx, strip=f"{name}=" if eq else "")
                return
            i += 2 if name in takes and not eq else 1
            continue
        if positional:
            positional, i = positional - 1, i + 1
            continue
        break
    if i < len(rest) and spec.get("shell_string") == "join":
        words = rest[i:]
        joined = " ".join(w.shown for w in words)
        run_string(unit, program, Word(joined if all(w.known for w in words) else None, joined, words[0].node), ctx)
        return
    if spec.get("positional_optional") and i < len(rest) and not rest[i].shown.startswith("-"):
        i += 1
    dispatch(unit, rest[i:], ctx.but(wrappers=ctx.wrappers + (program,)))


def run_string(unit: _Unit, program: str, word: Word, ctx: Ctx, strip: str = "") -> None:
    """A shell string that will be run (``eval``, ``bash -c``, ``su -c``): analysed when constant."""
    if word.value is None:
        unit.report("shell.evasion-eval", ctx, [word.text], verb="eval", command=program)
        return
    text = word.value[len(strip):] if strip and word.value.startswith(strip) else word.value
    if program in _SAME_SHELL:
        unit.same_shell(text, content_origin(unit, word))
    else:
        unit.embedded("shell", text, content_origin(unit, word), hint=program)


def _eval(unit: _Unit, rest: list[Word], ctx: Ctx) -> None:
    if not rest:
        return
    joined = " ".join(w.shown for w in rest)
    value = joined if all(w.known for w in rest) else None
    run_string(unit, "eval", Word(value, joined, rest[0].node), ctx)


def _trap(unit: _Unit, rest: list[Word], ctx: Ctx) -> None:
    """``trap 'rm -rf "$tmp"' EXIT`` runs its first argument later: it is code."""
    if rest and rest[0].shown not in ("-", "") and not rest[0].shown.startswith("-"):
        run_string(unit, "trap", rest[0], ctx)


def _alias(unit: _Unit, rest: list[Word], ctx: Ctx) -> None:
    for word in rest:
        name, eq, value = word.shown.partition("=")
        if eq and word.value is not None:
            unit.scope.aliases[name] = value


def _expand_alias(unit: _Unit, program: str, rest: list[Word], ctx: Ctx) -> None:
    body = unit.scope.aliases.pop(program)  # an alias is not expanded inside itself (ls='ls -l')
    try:
        unit.same_shell(body + "".join(" " + shlex.quote(w.shown) for w in rest), unit.node_location(ctx.node))
    finally:
        unit.scope.aliases[program] = body


def _source(unit: _Unit, rest: list[Word], ctx: Ctx) -> None:
    """``. file`` / ``source file`` runs the file in this shell: analysed when the script wrote it."""
    if rest:
        run_written(unit, rest[0], "shell", ctx, "source", same_shell=True)


def run_written(unit: _Unit, path: Word, language: str, ctx: Ctx, program: str, same_shell: bool = False) -> bool:
    """A file this script wrote earlier (echo/printf/cat redirected into it) is run: its text is
    analysed as ``language`` (a ``#!`` line naming a known interpreter wins), and what it does
    is reported at the line that runs it, the same place as ``bash -c '...'`` would be.
    Text that was computed is evasion, like ``eval "$x"``. False when the script did not write it."""
    written = unit.written.get(script_key(path))
    if written is None:
        return False
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
        unit.embedded(language, text, origin, hint=program, at=at)
    return True


_SAME_SHELL = ("eval", "trap")
def _shift(unit: _Unit, rest: list[Word], ctx: Ctx) -> None:
    from .functions import shift

    shift(unit, rest, ctx)


_SPECIAL = {"eval": _eval, "trap": _trap, "alias": _alias, "source": _source, ".": _source, "shift": _shift}


# -- list runners -------------------------------------------------------------------------


def _xargs(unit: _Unit, rest: list[Word], ctx: Ctx) -> None:
    spec = unit.know.table("xargs")
    args_end = _first_operand(rest, set(spec.get("options_with_arg", [])))
    dispatch(unit, rest[args_end:], ctx.but(fed_by="xargs"))


def _first_operand(words: list[Word], takes: set[str]) -> int:
    i = 0
    while i < len(words):
        text = words[i].shown
        if text == "--":
            return i + 1
        if not text.startswith("-") or text == "-":
            return i
        i += 2 if text in takes else 1
    return i


def _find(unit: _Unit, program: str, rest: list[Word], ctx: Ctx) -> None:
    """``find DIR ... -delete`` / ``-exec rm {} ;`` delete the whole match list."""
    spec = unit.know.table("find")
    starts = []
    for word in rest:
        if word.shown.startswith(("-", "(", "!")) and word.shown != "-":
            break
        starts.append(word)
    # What find can delete is what lies under its start directories: `find /tmp -name x -delete`
    # deletes in /tmp/**, which the policy's scratch paths cover; `find / ...` and `find . ...` do not.
    targets = [_below(w.shown) for w in starts] or ["./**"]
    scratch = bool(starts) and all(w.scratch for w in starts)
    shown = [w.shown for w in rest]
    if any(action in shown for action in spec.get("delete_actions", [])):
        unit.report("shell.find-delete", ctx, targets, verb="delete", scratch=scratch, command=program)
    for command in _exec_commands(rest, spec):
        if command and command[0].known and basename(command[0].shown) in unit.know.table("xargs").get("deleters", []):
            unit.report("shell.find-delete", ctx, targets, verb="exec " + basename(command[0].shown),
                        scratch=scratch, command=program)
        else:
            dispatch(unit, command, ctx.but(fed_by="find"))


def _below(root: str) -> str:
    """The paths under a find start directory, as a glob."""
    stripped = root.rstrip("/")
    return (stripped or "") + "/**"


def _exec_commands(rest: list[Word], spec: dict[str, Any]) -> list[list[Word]]:
    found: list[list[Word]] = []
    actions = set(spec.get("exec_actions", []))
    batch = set(spec.get("fd_exec_flags", []))
    i = 0
    while i < len(rest):
        text = rest[i].shown
        if text in actions:
            j = i + 1
            while j < len(rest) and rest[j].shown not in (";", "+"):
                j += 1
            found.append(rest[i + 1:j])
            i = j
        elif text in batch:
            found.append(rest[i + 1:])
            break
        i += 1
    return found


# -- the destructive command table --------------------------------------------------------


def _rules(unit: _Unit, program: str, rest: list[Word], ctx: Ctx) -> None:
    spec = unit.know.lookup("commands", program)
    if spec is None:
        return
    args = parse_args(rest, spec.get("options_with_arg", []), bool(spec.get("single_dash_long")))
    fired: set[str] = set()
    for matcher in spec.get("rules", []):
        rule = matcher["rule"]
        if rule in fired:
            continue
        found = matches(matcher, args, unit.know)
        if found is None:
            continue
        words = _targets(matcher, args, found.rest)
        if matcher.get("protected_only") and words and not any(_may_be_protected(unit, w) for w in words):
            continue
        fired.add(rule)
        path = args.operands[:len(matcher.get("subcommand", []))]
        if matcher.get("positionals_any"):
            path = _path_to(unit, matcher, args.operands)
            words = args.operands[len(path):]
        words = words + [w for flag in matcher.get("target_flags", []) for w in args.flag_words.get(flag, [])]
        targets = [_target_text(matcher, w) for w in words]
        severity = _severity(unit, matcher, targets)
        scratch = bool(words) and all(w.scratch for w in words)
        verb = path[-1].shown if path else program
        unit.report(rule, ctx, targets, verb=verb.lower(), severity=severity, scratch=scratch,
                    command=" ".join([program, *[w.shown for w in path]]), flags=_flags_text(args),
                    default_target=matcher.get("default_target"))


def _path_to(unit: _Unit, matcher: dict[str, Any], operands: list[Word]) -> list[Word]:
    """`gcloud compute instances delete vm1`: the command path up to the matched verb."""
    for index, word in enumerate(operands):
        if any(unit.know.pattern_matches(word.shown, str(p)) for p in matcher["positionals_any"]):
            return operands[:index + 1]
    return operands


def _targets(matcher: dict[str, Any], args: ParsedArgs, rest: list[Word]) -> list[Word]:
    how = str(matcher.get("targets", "none"))
    if how in ("operands", "subcommand_rest"):
        return rest
    if how == "operands_after_first":
        return rest[1:]
    if how == "positionals":
        return args.operands
    if how == "positionals_after_first":
        return args.operands[1:]
    if how == "refspecs":
        return rest[1:]
    if how.startswith("key:"):
        key = how[4:]
        return [w for w in rest if w.shown.startswith(key)]
    if how.startswith("flag:"):
        return args.flag_words.get(how[5:], [])
    return []


def _target_text(matcher: dict[str, Any], word: Word) -> str:
    how = str(matcher.get("targets", ""))
    text = word.shown
    if how.startswith("key:"):
        return text[len(how) - 4:]
    if how == "refspecs":
        text = text.lstrip("+")
        text = text.split(":", 1)[1] if ":" in text else text
        return text.removeprefix("refs/heads/")
    return text


def _may_be_protected(unit: _Unit, word: Word) -> bool:
    """Whether a pushed refspec may land on a protected branch (``protected_branches``).

    A constant name decides by itself; ``HEAD`` (the current branch) and a name only known at run
    time may be anything, unless its constant start already rules every protected pattern out
    (``feature/$TICKET`` can never be ``main`` or ``release/*``). A variable part could in theory
    hold ``:main``; a refspec built that way is not what a script means by a feature branch."""
    complete = word.value is not None
    text = (word.value if complete else word.prefix) or ""
    text = text.lstrip("+")
    if ":" in text:
        text = text.split(":", 1)[1]
    heads = "refs/heads/"
    if text.startswith(heads):
        text = text[len(heads):]
    elif text.startswith("refs/") or (not complete and heads.startswith(text)):
        return True  # tags and other refs are shared; an unknown ref path may be anything
    if complete:
        return text in ("", "HEAD", "@") or unit.know.is_protected_branch(text)
    return any(_could_start(text, pattern) for pattern in unit.know.list("protected_branches"))


def _could_start(prefix: str, pattern: str) -> bool:
    """Whether some name starting with ``prefix`` may match the glob ``pattern`` (conservative)."""
    cut = min([pattern.index(c) for c in "*?[" if c in pattern] or [len(pattern)])
    literal = pattern[:cut]
    if cut == len(pattern):
        return pattern.startswith(prefix)
    return literal.startswith(prefix) or prefix.startswith(literal)


def _severity(unit: _Unit, matcher: dict[str, Any], targets: list[str]) -> str | None:
    if "protected_severity" in matcher:
        if not targets or any(unit.know.is_protected_branch(t) for t in targets):
            return str(matcher["protected_severity"]) if targets else matcher.get("severity")
        return matcher.get("unprotected_severity", matcher.get("severity"))
    if "critical_severity" in matcher and any(unit.know.is_critical_path(t) for t in targets):
        return str(matcher["critical_severity"])
    return matcher.get("severity")


def _flags_text(args: ParsedArgs) -> str:
    short = "".join(name[1:] for name in args.flags if len(name) == 2 and name[0] == "-")
    long = [name for name in args.flags if name.startswith("--")]
    return " ".join(([f"-{short}"] if short else []) + long)


def _secret_read(unit: _Unit, program: str, rest: list[Word], ctx: Ctx) -> None:
    if program not in unit.know.list("file_readers") or ctx.node.id in unit.consumed:
        return
    operands = [w for w in rest if not w.shown.startswith("-")]
    if program in unit.know.list("file_copiers") and len(operands) > 1:
        operands = operands[:-1]  # the destination is written, not read
    files = [w for w in operands if unit.know.is_credential_path(w.shown)]
    if files and secret_of_words(unit, files):
        unit.report("shell.secret-read", ctx, [w.shown for w in files], verb="read", command=program)
