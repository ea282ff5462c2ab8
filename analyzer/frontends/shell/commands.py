"""Matching one resolved command line against the catalogue's command tables.

Wrappers (``sudo``, ``env``, ``timeout 5`` ...) are peeled and ``xargs`` and
``find -exec`` hand on the command they run (back to the unit's dispatch,
script.py); what remains is matched against the destructive command table of
``rules/shell.yaml`` and its list of programs that read files.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...records import replace
from .args import ParsedArgs, matches, parse_args
from .flow import argv_of, read_files, secret_of_words
from .knowledge import Entry, Knowledge, basename, glob_any
from .parse import command_of
from .reentry import run_string
from .state import CommandContext, Unit
from .words import Word

if TYPE_CHECKING:  # pragma: no cover - typing only
    from tree_sitter import Node


# The ``scope`` detail of a file removal: named files, or a pattern, a tree or a list.
SINGLE, BULK = "single", "bulk"


# -- wrappers ----------------------------------------------------------------------------


def run_wrapped(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    """Skip the wrapper's own options and run what it wraps (or the shell string it is given)."""
    takes = set(spec.get("options_with_arg", []))
    query = set(spec.get("query_flags", []))
    strings = set(spec.get("string_flags", []))
    skip = set(spec.get("skip_words", []))
    runs_after = set(spec.get("run_words", []))
    positional = int(spec.get("positional", 0))
    i = 0
    while i < len(rest):
        text = rest[i].shown
        if text == "--":
            i += 1
            break
        if text in skip:
            i += 1
            continue
        if runs_after and not text.startswith("-"):
            if text not in runs_after:
                if spec.get("other_words_run") and text not in spec.get("own_commands", []):
                    runs_after = set()
                    break  # `yarn prisma migrate reset`: a binary of the project
                return  # `pnpm install`, `bundle update`: the tool's own command, not a program
            runs_after = set()
            i += 1
            continue
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
            string_letter = _clustered_string_flag(text, strings)
            if string_letter is not None:
                # `env -iS 'rm -rf /x'`: the last flag of a cluster takes the next word,
                # one inside it the rest of the cluster (`-iS'cmd'` spelt together)
                attached = text[text.index(string_letter) + 1:]
                if attached:
                    run_string(unit, program, rest[i], ctx, strip=text[:text.index(string_letter) + 1])
                elif i + 1 < len(rest):
                    run_string(unit, program, rest[i + 1], ctx)
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
    if runs_after:
        return
    if spec.get("positional_optional") and i < len(rest) and not rest[i].shown.startswith("-"):
        i += 1
    unit.dispatch(rest[i:], ctx.but(wrapper=program))


def _clustered_string_flag(text: str, strings: set[str]) -> str | None:
    """The letter of a string-taking flag inside a cluster of short flags (``-iS``), if any."""
    if text.startswith("--") or len(text) < 3:
        return None
    return next((letter for letter in text[1:] if f"-{letter}" in strings), None)


def run_remote(unit: Unit, program: str, rest: list[Word], ctx: CommandContext) -> None:
    """``kubectl exec POD -- CMD``, ``docker exec CONTAINER CMD``: the command runs inside a
    container (``remote_runners:``); it is matched like a command run here."""
    for spec in unit.know.table("remote_runners").get(program) or []:
        command = _remote_command(spec, rest)
        if command:
            unit.dispatch(command, ctx.but(wrapper=program))
            return


def _remote_command(spec: Entry, rest: list[Word]) -> list[Word] | None:
    takes = set(spec.get("options_with_arg", []))
    wanted = [str(w) for w in spec.get("subcommand", [])]
    positional = int(spec.get("positional", 0))
    i = 0
    while i < len(rest):
        text = rest[i].shown
        if text == "--":
            return None if wanted else rest[i + 1:]
        if text.startswith("-") and len(text) > 1:
            i += 2 if text in takes and "=" not in text else 1
            continue
        if wanted:
            if text != wanted[0]:
                return None
            wanted.pop(0)
        elif spec.get("command_after") == "--":
            pass  # the pod, then -- and the command
        elif positional:
            positional -= 1
        else:
            return rest[i:]
        i += 1
    return None


# -- list runners -------------------------------------------------------------------------


def run_xargs(unit: Unit, rest: list[Word], ctx: CommandContext) -> None:
    """``xargs [options] CMD ...`` runs CMD with the paths it reads appended; GNU ``parallel CMD
    ::: A B`` with the inputs named after ``:::`` (constant: the command is run with them)."""
    spec = unit.know.table("xargs")
    args_end = _first_operand(rest, set(spec.get("options_with_arg", [])))
    command = rest[args_end:]
    separators = set(spec.get("input_separators", []))
    cut = next((i for i, w in enumerate(command) if w.shown in separators), None)
    if cut is None:
        _fed(unit, spec, rest[:args_end], command, ctx)
        return
    inputs = [w for w in command[cut + 1:] if w.shown not in separators]
    command = command[:cut]
    if not command:
        return
    placeholder = str(spec.get("placeholder", "{}"))
    if len(command) == 1 and " " in command[0].shown:
        for item in inputs or [Word("", "")]:
            word = command[0]
            value = word.value.replace(placeholder, item.value) if word.value is not None and item.value is not None \
                else None
            run_string(unit, "parallel", Word(value, word.shown.replace(placeholder, item.shown), word.node), ctx)
        return
    if any(placeholder in w.shown for w in command):
        for item in inputs:
            unit.dispatch([_filled(w, placeholder, item) for w in command], ctx)
        return
    unit.dispatch(command + inputs, ctx)


def _fed(unit: Unit, spec: Entry, options: list[Word], command: list[Word], ctx: CommandContext) -> None:
    """The command xargs runs with what it reads. With a replacement string (``-I {}``) each
    input line takes its place (``xargs -I{} bash -c {}`` runs every line as code); a constant
    input (``echo /srv/x | xargs rm -rf``) is known, anything else is a list of unknown items."""
    marker = _replacement(spec, options)
    lines = None
    if ctx.stdin is not None and ctx.stdin.constant is not None:
        lines = [line for line in ctx.stdin.constant.splitlines() if line.strip()]
    if lines is not None and len(lines) <= int(spec.get("constant_lines", 16)):
        items = [Word(line, line) for line in lines] if marker else \
            [Word(piece, piece) for line in lines for piece in line.split()]
        if marker:
            for item in items:
                unit.dispatch([_filled(w, marker, item) for w in command], ctx)
        else:
            unit.dispatch(command + items, ctx)
        return
    if marker:
        unknown = Word(None, marker, listed=True, computed=True)
        command = [_filled(w, marker, unknown) for w in command]
    unit.dispatch(command, ctx.but(fed_by="xargs", placeholder=marker))


def _replacement(spec: Entry, options: list[Word]) -> str | None:
    """The replacement string an xargs command line gives (``-I {}``, ``-i``, ``-J %``)."""
    flags = spec.get("replace_flags") or {}
    for index, word in enumerate(options):
        text = word.shown
        for flag, default in flags.items():
            if text == flag:
                if default:
                    return str(default)
                return options[index + 1].shown if index + 1 < len(options) else None
            if text.startswith(flag) and len(text) > len(flag):
                return text[len(flag):].lstrip("=")
    return None


def _filled(word: Word, placeholder: str, item: Word) -> Word:
    """A word of a command with ``{}`` standing for one input."""
    if placeholder not in word.shown:
        return word
    value = word.value.replace(placeholder, item.value) if word.value is not None and item.value is not None else None
    return Word(value, word.shown.replace(placeholder, item.shown), word.node, item.scratch, word.quoted,
                word.variables, word.substitutions, listed=item.listed, computed=item.computed or word.computed)


def fed_deleter(unit: Unit, program: str, ctx: CommandContext) -> bool:
    """A deleting command fed its operands by xargs deletes the whole list; when ``find`` makes
    the list (``find . -name '*.pyc' -print0 | xargs -0 rm -f``) it deletes what find matches."""
    if ctx.fed_by == "xargs" and program in unit.know.table("xargs").get("deleters", []):
        found = _listed_by_find(unit, ctx)
        targets, scratch, resolved = found if found is not None else ([], False, "no")
        unit.report("shell.xargs-delete", ctx, targets, verb="delete", scratch=scratch,
                    details={"scope": BULK, "resolved": resolved}, command=f"xargs {program}")
        return True
    return False


def _listed_by_find(unit: Unit, ctx: CommandContext) -> tuple[list[str], bool, str] | None:
    """What the find right before xargs in the pipeline matches: (targets, scratch, resolved)."""
    stages = unit.pipes.get(ctx.node.id) or []
    command = command_of(stages[-1]) if stages else None
    if command is None:
        return None
    argv = argv_of(unit, command)
    spec = unit.know.table("find")
    if not argv or argv[0].value is None or basename(argv[0].value) not in spec.get("names", []) \
            or basename(argv[0].value) == "fd":
        return None
    return _find_targets(spec, argv[1:])


def _find_targets(spec: Entry, rest: list[Word]) -> tuple[list[str], bool, str]:
    """What ``find`` with these arguments matches, as globs under its start directories
    (narrowed by its one name or path test), whether all lie in temporary directories, and
    whether the start directories are known."""
    starts = []
    for word in rest:
        if word.shown.startswith(tuple(spec.get("expression_starts", []))) and word.shown != "-":
            break
        starts.append(word)
    test = _only_test(rest[len(starts):], spec)
    targets = [_matched(w.shown, test) for w in starts] or [_matched(".", test)]
    return targets, bool(starts) and all(w.scratch for w in starts), resolution(starts)


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


def run_find(unit: Unit, program: str, rest: list[Word], ctx: CommandContext) -> None:
    """``find DIR ... -delete`` / ``-exec rm {} ;`` delete the whole match list."""
    spec = unit.know.table("find")
    # What find can delete is what lies under its start directories: `find /tmp -name x -delete`
    # deletes in /tmp/**, which the policy's scratch paths cover; `find / ...` and `find . ...` do not.
    # One name or path test that every match must pass narrows it: `find . -name '*.pyc'` -> ./**/*.pyc.
    targets, scratch, resolved = _find_targets(spec, rest)
    shown = [w.shown for w in rest]
    details: dict[str, object] = {"scope": BULK, "resolved": resolved}
    if any(action in shown for action in spec.get("delete_actions", [])):
        unit.report("shell.find-delete", ctx, targets, verb="delete", scratch=scratch, details=details,
                    command=program)
    for command in _exec_commands(rest, spec):
        if command and command[0].known and basename(command[0].shown) in unit.know.table("xargs").get("deleters", []):
            unit.report("shell.find-delete", ctx, targets, verb="exec " + basename(command[0].shown),
                        scratch=scratch, details=details, command=program)
        else:
            unit.dispatch(command, ctx.but(fed_by="find"))


def _below(root: str) -> str:
    """The paths under a find start directory, as a glob."""
    stripped = root.rstrip("/")
    return (stripped or "") + "/**"


def _only_test(expression: list[Word], spec: Entry) -> tuple[str, str] | None:
    """The one name or path test every match of a find expression passes (kind, constant
    pattern): None when there is none, several, an alternative (``-o``), a negation or a pattern
    known only at run time."""
    names, paths = set(spec.get("name_tests", [])), set(spec.get("path_tests", []))
    if any(w.shown in spec.get("expression_branches", []) for w in expression):
        return None
    found = []
    for index, word in enumerate(expression[:-1]):
        if word.shown in names or word.shown in paths:
            pattern = expression[index + 1]
            if pattern.value is None or not pattern.value:
                return None
            found.append(("name" if word.shown in names else "path", pattern.value))
    return found[0] if len(found) == 1 else None


def _matched(root: str, test: tuple[str, str] | None) -> str:
    """What a find under ``root`` deletes, as a glob: ``root/**``, narrowed by its one test
    (``-name '*.pyc'`` -> ``root/**/*.pyc``; ``-path './build/*'`` -> ``./build/*``, a leading
    ``*/`` of a path pattern being any depth)."""
    below = _below(root)
    if test is None:
        return below
    kind, pattern = test
    if kind == "name" or (pattern.startswith("*") and "/" not in pattern):
        return below if "/" in pattern else below + "/" + pattern
    stripped = root.rstrip("/") or "/"
    if pattern == stripped or pattern.startswith(stripped.rstrip("/") + "/"):
        return pattern
    if pattern.startswith("*/"):
        return below + pattern[1:]
    return below


def _exec_commands(rest: list[Word], spec: Entry) -> list[list[Word]]:
    found: list[list[Word]] = []
    actions = set(spec.get("exec_actions", []))
    batch = set(spec.get("fd_exec_flags", []))
    ends = set(spec.get("exec_ends", []))
    i = 0
    while i < len(rest):
        text = rest[i].shown
        if text in actions:
            j = i + 1
            while j < len(rest) and rest[j].shown not in ends:
                j += 1
            found.append(rest[i + 1:j])
            i = j
        elif text in batch:
            found.append(rest[i + 1:])
            break
        i += 1
    return found


# -- dry runs ----------------------------------------------------------------------------


def dry_run(unit: Unit, program: str, rest: list[Word]) -> bool:
    """Whether the command only shows what it would do (``dry_run:`` of the catalogue: matchers
    like the command table's, over the options of the program's command or network entry)."""
    matchers = unit.know.table("dry_run").get(program)
    if not matchers:
        return False
    spec = unit.know.lookup("commands", program) or unit.know.lookup("network", program) or {}
    single_dash_long = bool(spec.get("single_dash_long"))
    args = parse_args(rest, spec.get("options_with_arg", []), single_dash_long)
    return any(matches(matcher, args if "options_with_arg" not in matcher else
                       parse_args(rest, matcher["options_with_arg"], single_dash_long), unit.know) is not None
               for matcher in matchers)


def only_help(unit: Unit, program: str, rest: list[Word]) -> bool:
    """Whether the command line asks for help or the version (``help_flags:``), which the
    program prints before it does anything (``dropdb --help``, ``terraform destroy -help``).
    The flag must be an option of its own: not the value of another (``curl -d --help``), not
    after ``--``, and, unless the program reads options after its operands (``anywhere``),
    before the first operand (BSD ``rm -rf /x --help`` removes /x and a file named --help)."""
    table = unit.know.table("help_flags")
    names = set(table.get("any", [])) | set((table.get("programs") or {}).get(program, []))
    anywhere = program in table.get("anywhere", [])
    spec = unit.know.lookup("commands", program) or unit.know.lookup("network", program) or {}
    takes = set(spec.get("options_with_arg", []))
    index = 0
    while index < len(rest):
        text = rest[index].shown
        if text == "--":
            return False
        if text in names:
            return True
        if not text.startswith("-") or text == "-":
            if not anywhere:
                return False
        elif text in takes:
            index += 1
        index += 1
    return False


# -- the destructive command table --------------------------------------------------------


def match_table(unit: Unit, program: str, rest: list[Word], ctx: CommandContext) -> None:
    """Every matcher of the program's ``commands:`` entry that holds, reported once per rule."""
    spec = unit.know.lookup("commands", program)
    if spec is None:
        return
    rest = each_value(rest)
    switches, fold_case = str(spec.get("switches", "")), bool(spec.get("fold_case"))
    if switches:
        rest = [windows_path(unit, w) for w in rest]
    single_dash_long = bool(spec.get("single_dash_long"))
    command_args = parse_args(rest, spec.get("options_with_arg", []), single_dash_long, switches, fold_case)
    fired: set[str] = set()
    for matcher in spec.get("rules", []):
        rule = matcher["rule"]
        if rule in fired:
            continue
        # a matcher's own `options_with_arg`: its subcommand reads options its own way
        # (`docker system prune -f` forces, `docker compose -f FILE` names a file)
        args = command_args if "options_with_arg" not in matcher else \
            parse_args(rest, matcher["options_with_arg"], single_dash_long, switches, fold_case)
        rest_operands = matches(matcher, args, unit.know)
        if rest_operands is None:
            continue
        words = _targets(matcher, args, rest_operands)
        if matcher.get("protected_only") and words and not any(_may_be_protected(unit, w) for w in words):
            continue
        fired.add(rule)
        path = args.operands[:len(matcher.get("subcommand", []))]
        if matcher.get("positionals_any"):
            path = _path_to(unit, matcher, args.operands)
            words = args.operands[len(path):]
        words = words + [w for flag in matcher.get("target_flags", []) for w in args.flag_words.get(flag, [])]
        targets = [_target_text(unit.know, matcher, w) for w in words]
        severity = _severity(unit, matcher, targets)
        scratch = bool(words) and all(w.scratch for w in words)
        verb = path[-1].shown if path else program
        unit.report(rule, ctx, targets, verb=verb.lower(), severity=severity, scratch=scratch,
                    details=_removal(matcher, words, ctx),
                    command=" ".join([program, *[w.shown for w in path]]), flags=_flags_text(args),
                    default_target=matcher.get("default_target"))


def each_value(words: list[Word]) -> list[Word]:
    """The words with one that takes constant values in turn (a loop over a constant list) put as
    one word per value: the loop runs the command with each, and what any of them does counts."""
    out: list[Word] = []
    for word in words:
        if word.value is None and word.choices and not any(c.startswith("-") for c in word.choices):
            out.extend(replace(word, value=c, text=c, prefix=c, choices=()) for c in word.choices)
        else:
            out.append(word)
    return out


def windows_path(unit: Unit, word: Word) -> Word:
    """A Windows command's path as written (``C:\\data\\*``): to cmd a backslash separates folders,
    where the shell would have dropped it as an escape (``C:data*``); a ``*`` or ``?`` in it is a
    pattern the command expands."""
    if word.value is None or word.node is None:
        return word
    text = unit.raw(word.node).strip("\"'")
    if "\\" not in text or "$" in text or "`" in text:
        return word
    return replace(word, value=text, prefix=text, glob=word.glob or any(c in text for c in "*?"))


def _removal(matcher: Entry, words: list[Word], ctx: CommandContext) -> dict[str, object]:
    """The details of a file removal (a matcher with the key ``scope``): ``scope``, how many files
    it reaches (``bulk`` for a recursive one, a list fed by xargs or find, a glob or a loop over a
    listing; ``single`` for named files), and ``resolved``, whether its paths are known."""
    how = matcher.get("scope")
    if how is None:
        return {}
    bulk = how == BULK or ctx.fed_by or any(w.glob or w.listed for w in words)
    return {"scope": BULK if bulk else SINGLE, "resolved": resolution(words)}


_EXPANSION = re.compile(r"\$\{[^}]*\}|\$\([^)]*\)|\$\w+|\$[@*#?$!-]|`[^`]*`")


def resolution(words: list[Word]) -> str:
    """Whether the paths a removal names are known before it runs (the ``resolved`` detail):
    ``yes`` (constants, globs, the listing a loop runs over), ``no`` (nothing but values known
    only at run time: ``"$f"``, ``$1``), else ``partial`` (``"$OUT"/*.bak``)."""
    def known(word: Word) -> bool:
        return word.known or (word.listed and not _EXPANSION.search(word.text))

    if all(known(w) for w in words):
        return "yes"
    if all(not known(w) and not _EXPANSION.sub("", w.text).strip("\"'") for w in words):
        return "no"
    return "partial"


def _path_to(unit: Unit, matcher: Entry, operands: list[Word]) -> list[Word]:
    """`gcloud compute instances delete vm1`: the command path up to the matched verb."""
    for index, word in enumerate(operands):
        if any(unit.know.pattern_matches(word.shown, str(p)) for p in matcher["positionals_any"]):
            return operands[:index + 1]
    return operands


def _targets(matcher: Entry, args: ParsedArgs, rest: list[Word]) -> list[Word]:
    how = str(matcher.get("targets", "none"))
    if how in ("operands", "subcommand_rest"):
        return rest
    if how == "operands_after_first":
        return rest[1:]
    if how == "last_operand":
        return rest[-1:]
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


def _target_text(know: Knowledge, matcher: Entry, word: Word) -> str:
    how = str(matcher.get("targets", ""))
    text = word.shown
    if how.startswith("key:"):
        return text[len(how) - 4:]
    if how == "refspecs":
        return _destination(know, text).removeprefix(str(know.table("refspecs")["branch_prefix"]))
    return text


def _destination(know: Knowledge, refspec: str) -> str:
    """Where a pushed refspec lands: ``+src:dst`` -> ``dst``, ``name`` -> ``name``."""
    spelling = know.table("refspecs")
    text = refspec.lstrip(str(spelling["force_mark"]))
    separator = str(spelling["separator"])
    at = _outside_substitutions(text, separator)
    return text[at + len(separator):] if at >= 0 else text


def _outside_substitutions(text: str, separator: str) -> int:
    """Where ``separator`` first stands in ``text`` outside a ``$(...)``/``${...}`` shown in it
    (``$(git branch --format="%(refname:short)")`` is one unknown name, not ``src:dst``); -1 if nowhere."""
    depth = 0
    for index, char in enumerate(text):
        if char in "({":
            depth += 1
        elif char in ")}" and depth:
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            return index
    return -1


def _may_be_protected(unit: Unit, word: Word) -> bool:
    """Whether a pushed refspec may land on a protected branch (``protected_branches``).

    A constant name decides by itself; ``HEAD`` (the current branch) and a name only known at run
    time may be anything, unless its constant start already rules every protected pattern out
    (``feature/$TICKET`` can never be ``main`` or ``release/*``). A variable part could in theory
    hold ``:main``; a refspec built that way is not what a script means by a feature branch."""
    complete = word.value is not None
    spelling = unit.know.table("refspecs")
    text = _destination(unit.know, (word.value if complete else word.prefix) or "")
    heads = str(spelling["branch_prefix"])
    if text.startswith(heads):
        text = text[len(heads):]
    elif text.startswith(str(spelling["ref_prefix"])) or (not complete and heads.startswith(text)):
        return True  # tags and other refs are shared; an unknown ref path may be anything
    if complete:
        return text in spelling["current_branch"] or unit.know.is_protected_branch(text)
    return any(_could_start(text, pattern) for pattern in unit.know.list("protected_branches"))


def _could_start(prefix: str, pattern: str) -> bool:
    """Whether some name starting with ``prefix`` may match the glob ``pattern`` (conservative)."""
    cut = min([pattern.index(c) for c in "*?[" if c in pattern] or [len(pattern)])
    literal = pattern[:cut]
    if cut == len(pattern):
        return pattern.startswith(prefix)
    return literal.startswith(prefix) or prefix.startswith(literal)


def _severity(unit: Unit, matcher: Entry, targets: list[str]) -> str | None:
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


def _loads_environment(node: Node) -> bool:
    """Whether a command's output becomes the words of ``export``/``declare``/``local``
    (``export $(grep -v '^#' .env | xargs)``): it sets variables and prints nothing."""
    current = node.parent
    while current is not None and current.type != "command_substitution":
        if current.type in ("command", "variable_assignment"):
            return False
        current = current.parent
    return current is not None and current.parent is not None and current.parent.type == "declaration_command"


def secret_read(unit: Unit, program: str, rest: list[Word], ctx: CommandContext) -> None:
    """A program that prints or copies files, given a credential file (not already reported as sent)."""
    if program not in unit.know.list("file_readers") or ctx.node.id in unit.consumed or _loads_environment(ctx.node):
        return
    in_place = unit.know.table("in_place_flags").get(program) or []
    if any(glob_any(w.shown, in_place) for w in rest if w.shown.startswith("-")):
        return  # `sed -i 's/a/b/' .env` edits the file and prints nothing
    operands = [w for w in rest if not w.shown.startswith("-")]
    if program in unit.know.list("file_copiers") and len(operands) > 1:
        operands = operands[:-1]  # the destination is written, not read
    # `cat < ~/.ssh/id_ed25519` prints it all the same
    operands += [w for node in (ctx.node, ctx.node.parent) if node is not None for w in read_files(unit, node)
                 if node is ctx.node or node.type == "redirected_statement"]
    files = [w for w in operands if unit.know.is_credential_path(w.shown)]
    if files and secret_of_words(unit, files):
        unit.report("shell.secret-read", ctx, [w.shown for w in files], verb="read", command=program)

