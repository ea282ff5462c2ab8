"""Makefile recipes a ``make`` command runs (``make clean-db``, ``make``), read where it runs.

Only as much of GNU make as decides what the recipes say: rules (``target: prerequisites``,
``target: ; recipe``, tab-indented recipe lines), variables set in the file (``=``, ``:=``,
``::=``, ``:::=``, ``?=``, ``+=``, ``override``, ``export``, target-specific ones) and on the
command line (``make DIR=/x clean`` wins over the file, unless the file says ``override``),
their expansion (``$(DIR)``, ``${DIR}``, ``$D``, ``$(DIR:.c=.o)``, ``$@``, ``$<``, ``$^``), the
default goal (``.DEFAULT_GOAL``, else the first target that is not special or a pattern) and
prerequisites, whose recipes run first. A variable nobody sets comes from the environment: it
stays a shell variable of unknown value (``${DIR}``), like any function but ``$(shell ...)``,
which becomes the command substitution it is. ``$$`` is ``$``; ``@``, ``-`` and ``+`` prefixes
are dropped. ``include`` is not followed, and the assignments of every conditional branch
count, in order. Line k of a recipe stays line k of its file.
"""
from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from ...model import Analysis, Location
from ...records import Record, field
from .. import scriptfile

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .. import Options
    from .knowledge import Entry

# Expansion of variables that name themselves (`A = $(A) x`) stops this deep: the rest is unknown.
MAX_EXPANSION_DEPTH = 16
# GNU make's own syntax, not tool knowledge.
_DIRECTIVES = ("ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "include", "-include", "sinclude",
               "vpath", "unexport", "undefine", "export", "override", "private", "endef", "define")
_AUTOMATIC = "@<^+*?|%"


class _Rule(Record):
    prerequisites: str                     # as written: expanded when the target runs
    recipe: list[str] = field(default_factory=list)
    start: int = 0                         # 0-based line of the recipe's first line


class Variable(Record):
    value: str
    recursive: bool                        # `=`: expanded where used; `:=`: already expanded
    overriding: bool = False               # set by `override` or the command line


class Makefile(Record):
    """The parts of one Makefile that say what its targets run."""

    rules: dict[str, list[_Rule]] = field(default_factory=dict)
    variables: dict[str, Variable] = field(default_factory=dict)
    target_variables: dict[str, dict[str, Variable]] = field(default_factory=dict)
    first_target: str | None = None


_ASSIGNMENT = re.compile(r"^((?:(?:override|export|private)\s+)*)([^\s:#=]+)\s*(:{1,3}=|\?=|\+=|!=|=)\s?(.*)$")
_RULE = re.compile(r"^([^\s:=#][^:=#]*?)\s*::?(?!=)(.*)$")


def _logical_lines(text: str) -> list[tuple[int, str, bool]]:
    """(0-based line, text, recipe?) of each line; a make line ending in ``\\`` is joined with the
    next one (a recipe line is not: the shell reads the backslash-newline itself)."""
    lines = text.split("\n")
    out: list[tuple[int, str, bool]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("\t"):
            out.append((index, line, True))
            index += 1
            continue
        number = index
        while line.endswith("\\") and index + 1 < len(lines):
            index += 1
            line = line[:-1] + " " + lines[index].lstrip()
        out.append((number, line, False))
        index += 1
    return out


def parse(text: str, overrides: dict[str, str], defaults: dict[str, str]) -> Makefile:
    """The rules and variables of a Makefile; ``overrides`` are the command line's assignments,
    ``defaults`` make's built-in variables (``RM = rm -f``)."""
    made = Makefile(variables={name: Variable(value, False) for name, value in defaults.items()})
    for name, value in overrides.items():
        made.variables[name] = Variable(value, False, overriding=True)
    current: list[_Rule] = []
    defining = False
    for number, line, recipe in _logical_lines(text):
        if defining:  # `define NAME ... endef`: a multi-line variable, not followed
            defining = not line.strip().startswith("endef")
            continue
        if recipe and current:
            for rule in current:
                rule.recipe.append(line[1:])
            continue
        stripped = _uncommented(line).strip()
        if not stripped:
            if current:  # blank and comment lines inside a recipe keep their place
                for rule in current:
                    rule.recipe.append("")
            continue
        word = stripped.split(None, 1)[0]
        if word == "define":
            defining, current = True, []
            continue
        assignment = _ASSIGNMENT.match(stripped)
        if assignment is not None:
            _assign(made, made.variables, assignment)
            current = []
            continue
        if word in _DIRECTIVES:
            if word in ("ifeq", "ifneq", "ifdef", "ifndef", "else", "endif") and current:
                for rule in current:
                    rule.recipe.append("")
            else:
                current = []
            continue
        rule_match = _RULE.match(stripped)
        if rule_match is None:
            current = []
            continue
        current = _rule(made, number, rule_match)
    return made


def _uncommented(line: str) -> str:
    """A make line without its comment (``\\#`` is a literal ``#``)."""
    return re.sub(r"(?<!\\)#.*$", "", line)


def _assign(made: Makefile, into: dict[str, Variable], match: re.Match[str]) -> None:
    prefixes, name, operator, value = match.group(1).split(), match.group(2), match.group(3), match.group(4)
    before = into.get(name) or made.variables.get(name)
    if before is not None and before.overriding and "override" not in prefixes:
        return  # the command line wins over the file
    overriding = "override" in prefixes
    if operator == "?=":
        if before is None:
            into[name] = Variable(value, True, overriding)
    elif operator == "+=":
        if before is None:
            into[name] = Variable(value, True, overriding)
        elif before.recursive:
            into[name] = Variable(f"{before.value} {value}", True, overriding)
        else:
            into[name] = Variable(f"{before.value} {expand(value, made, {})}", False, overriding)
    elif operator == "!=":
        into[name] = Variable(f"$(shell {value})", True, overriding)
    elif operator == "=":
        into[name] = Variable(value, True, overriding)
    else:  # := ::= :::= expand now
        into[name] = Variable(expand(value, made, {}), False, overriding)


def _rule(made: Makefile, number: int, match: re.Match[str]) -> list[_Rule]:
    """The rule on line ``number`` (one per target it names); a target-specific assignment
    (``clean: DIR = /x``) is kept for that target and starts no recipe."""
    targets = expand(match.group(1), made, {}).split()  # `$(BIN): main.go` names the target by a variable
    rest, semicolon, inline = match.group(2).partition(";")
    assignment = _ASSIGNMENT.match(rest.strip()) if not semicolon else None
    if assignment is not None:
        for target in targets:
            _assign(made, made.target_variables.setdefault(target, {}), assignment)
        return []
    rules = []
    for target in targets:
        # order-only prerequisites (after `|`) are built first all the same
        rule = _Rule(rest.replace("|", " "), start=number if semicolon else number + 1)
        if semicolon:
            rule.recipe.append(inline)
        made.rules.setdefault(target, []).append(rule)
        rules.append(rule)
        if made.first_target is None and _may_be_default(target):
            made.first_target = target
    return rules


def _may_be_default(target: str) -> bool:
    return "%" not in target and (not target.startswith(".") or "/" in target)


def default_goal(made: Makefile) -> str | None:
    """What ``make`` with no target builds: ``.DEFAULT_GOAL``, else the first ordinary target."""
    chosen = made.variables.get(".DEFAULT_GOAL")
    if chosen is not None:
        value = expand(chosen.value, made, {}) if chosen.recursive else chosen.value
        return value.strip() or made.first_target
    return made.first_target


# -- expansion ---------------------------------------------------------------------------


def expand(text: str, made: Makefile, local: dict[str, str], depth: int = 0) -> str:
    """``text`` with make's references replaced, as the shell text make hands to the shell."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "$" or index + 1 >= len(text):
            out.append(char)
            index += 1
            continue
        following = text[index + 1]
        if following == "$":
            out.append("$")
            index += 2
            continue
        if following in "({":
            end = _closing(text, index + 1)
            if end < 0:
                out.append(text[index:])
                break
            out.append(_reference(text[index + 2:end], made, local, depth))
            index = end + 1
            continue
        out.append(_variable(following, made, local, depth))
        index += 2
    return "".join(out)


def _closing(text: str, opening: int) -> int:
    """The index of the bracket closing the one at ``opening`` (-1 when it is not closed)."""
    pairs = {"(": ")", "{": "}"}
    open_char, close_char = text[opening], pairs[text[opening]]
    level = 0
    for index in range(opening, len(text)):
        if text[index] == open_char:
            level += 1
        elif text[index] == close_char:
            level -= 1
            if level == 0:
                return index
    return -1


def _reference(inside: str, made: Makefile, local: dict[str, str], depth: int) -> str:
    """What ``$(inside)`` stands for: a variable, a substitution reference or a function call."""
    if depth > MAX_EXPANSION_DEPTH:
        return _unknown("MAKE_VARIABLE")
    function, space, arguments = inside.partition(" ")
    if space and re.fullmatch(r"[a-z-]+", function):
        if function == "shell":
            return "$(" + expand(arguments, made, local, depth + 1) + ")"
        return _unknown(function)
    name = expand(inside, made, local, depth + 1)
    variable, colon, substitution = name.partition(":")
    if colon and "=" in substitution:
        suffix, _, replacement = substitution.partition("=")
        words = _variable(variable, made, local, depth).split()
        if "%" in suffix or "%" in replacement or "$" in "".join(words):
            return _unknown(variable)
        return " ".join(w[: -len(suffix)] + replacement if suffix and w.endswith(suffix) else w for w in words)
    return _variable(name, made, local, depth)


def _variable(name: str, made: Makefile, local: dict[str, str], depth: int) -> str:
    if name in local:
        return local[name]
    if len(name) == 2 and name[0] in _AUTOMATIC and name[1] in "DF":
        return _unknown("MAKE_" + name[1])
    found = made.variables.get(name)
    if found is None:
        if name and name in _AUTOMATIC:
            return _unknown("MAKE_AUTOMATIC")
        return _unknown(name)  # from the environment, or empty
    return expand(found.value, made, local, depth + 1) if found.recursive else found.value


def _unknown(name: str) -> str:
    """A value known only when make runs, as the shell sees one: a variable it cannot know."""
    shell_name = name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else "MAKE_VALUE"
    return "${" + shell_name + "}"


# -- what a goal runs --------------------------------------------------------------------


def plan(made: Makefile, goals: list[str]) -> list[tuple[str, str, int]]:
    """(target, shell code, 0-based first line) of each recipe the goals run, prerequisites
    first, each target once."""
    done: set[str] = set()
    out: list[tuple[str, str, int]] = []

    def build(target: str, depth: int) -> None:
        if target in done or target not in made.rules or depth > MAX_EXPANSION_DEPTH:
            return
        done.add(target)
        local = {name: expand(v.value, made, {}) if v.recursive else v.value
                 for name, v in made.target_variables.get(target, {}).items()}
        scoped = Makefile(made.rules, {**made.variables,
                                       **{n: Variable(v, False) for n, v in local.items()}},
                          made.target_variables, made.first_target)
        rules = made.rules[target]
        prerequisites = [p for rule in rules for p in expand(rule.prerequisites, scoped, {}).split()]
        for prerequisite in prerequisites:
            build(prerequisite, depth + 1)
        automatic = {"@": target, "<": prerequisites[0] if prerequisites else "",
                     "^": " ".join(dict.fromkeys(prerequisites)), "+": " ".join(prerequisites)}
        for rule in rules:
            if rule.recipe:
                out.append((target, _shell_code(rule.recipe, scoped, automatic), rule.start))

    for goal in goals:
        build(goal, 0)
    return out


def _shell_code(recipe: list[str], made: Makefile, automatic: dict[str, str]) -> str:
    """The recipe lines as the shell receives them: prefixes dropped where a command starts,
    references expanded; a line continued with a backslash stays two lines."""
    lines = []
    continued = False
    for line in recipe:
        text = line if continued else line.lstrip(" \t").lstrip("@-+")
        continued = line.endswith("\\")
        lines.append(expand(text, made, automatic))
    return "\n".join(lines)


# -- the command -------------------------------------------------------------------------


def run(spec: Entry, options_given: dict[str, list[str]], operands: list[str], origin: Location, at: Location,
        options: Options, hint: str, directory: str = "") -> Analysis:
    """What ``make [-C DIR] [-f FILE] [VAR=value ...] [TARGET ...]`` runs from the file at ``origin``
    (its Makefile found as make finds it, from ``directory`` where the script has gone with
    ``cd``; recorded among the reads even when it is missing)."""
    result = Analysis()
    call = scriptfile.runner_call(spec, options_given, operands, directory)
    folder, given, overrides, goals = call.folder, call.files, call.overrides, call.words
    defaults = {str(k): str(v) for k, v in (spec.get("variables") or {}).items()}
    names = given or [str(m) for m in spec.get("makefiles", [])]
    first = scriptfile.first_readable([f"{folder.rstrip('/')}/{n}" if folder else n for n in names], origin, options,
                                      result.reads)
    if first is None:
        return result
    path, real, text = first
    made = parse(text, overrides, defaults)
    wanted = goals or [g for g in [default_goal(made)] if g]
    for target, code, start in plan(made, wanted):
        if not scriptfile.being_run(real, target, options):
            result.extend(scriptfile.relocated("shell", code, real, os.path.normpath(path), start, at,
                                               options, hint, target))
    return result
