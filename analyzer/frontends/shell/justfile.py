"""justfile recipes a ``just`` command runs (``just reset-db``, ``just``), read where it runs.

As much of just as decides what the recipes say: recipes (``name param='default': deps``, their
indented lines, ``@`` and ``-`` prefixes dropped), variables (``name := "value"``, ``export``,
the command line's ``name=value``), parameters bound from the command line, ``{{ name }}``
interpolation, dependencies run first, and the default recipe (the first one, or the one marked
``[default]``). A recipe whose body starts with ``#!`` is a script in that language. A value
just computes (a function, a backtick, an expression) is one execgate does not know: in the
shell text it stays a variable of unknown value (``${NAME}``); a backtick is the command
substitution it is. Line k of a recipe stays line k of its file.
"""
from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from ...model import Analysis, Location
from ...records import Record, field
from .. import language_for_path, scriptfile

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .. import Options
    from .knowledge import Entry

_ASSIGNMENT = re.compile(r"^(export\s+)?([A-Za-z_][\w-]*)\s*:=\s*(.*)$")
_RECIPE = re.compile(r"^@?([A-Za-z_][\w-]*)"                                      # name
                     r"((?:\s+[$+*]?[A-Za-z_][\w-]*(?:=(?:'[^']*'|\"[^\"]*\"|\S+))?)*)"  # parameters
                     r"\s*:(?!=)(.*)$")                                             # dependencies
_PARAMETER = re.compile(r"[$+*]?([A-Za-z_][\w-]*)(?:=('[^']*'|\"[^\"]*\"|\S+))?")
_ALIAS = re.compile(r"^alias\s+([A-Za-z_][\w-]*)\s*:=\s*([A-Za-z_][\w-]*)\s*$")
_INTERPOLATION = re.compile(r"\{\{(.*?)\}\}")
_STRING = re.compile(r"""^(?:'([^']*)'|"((?:[^"\\]|\\.)*)")$""")


class Recipe(Record):
    parameters: list[tuple[str, str | None]]     # name, default (as written)
    dependencies: list[str]
    body: list[str] = field(default_factory=list)
    start: int = 0                               # 0-based line of the body's first line


class Justfile(Record):
    recipes: dict[str, Recipe] = field(default_factory=dict)
    variables: dict[str, str | None] = field(default_factory=dict)   # None: computed by just
    aliases: dict[str, str] = field(default_factory=dict)
    default: str | None = None


def parse(text: str, overrides: dict[str, str]) -> Justfile:
    made = Justfile()
    current: Recipe | None = None
    marked_default = False
    for number, line in enumerate(text.split("\n")):
        if current is not None and (line.startswith((" ", "\t")) or not line.strip()):
            if line.strip() or current.body:
                current.body.append(line)
            else:
                current.start = number + 1
            continue
        current = None
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            marked_default = marked_default or "default" in stripped
            continue
        assignment = _ASSIGNMENT.match(stripped)
        if assignment is not None:
            name = assignment.group(2)
            made.variables[name] = overrides[name] if name in overrides else _value(assignment.group(3).strip())
            continue
        alias = _ALIAS.match(stripped)
        if alias is not None:
            made.aliases[alias.group(1)] = alias.group(2)
            continue
        recipe = _RECIPE.match(stripped)
        if recipe is None:
            continue
        name = recipe.group(1)
        parameters = [(m.group(1), m.group(2)) for m in _PARAMETER.finditer(recipe.group(2))]
        # `deploy: build (push "prod") && notify`: names, without the arguments given to them
        unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", " ", recipe.group(3).split("#")[0])
        dependencies = re.findall(r"[A-Za-z_][\w-]*", unquoted)
        current = made.recipes[name] = Recipe(parameters, dependencies, start=number + 1)
        if made.default is None or marked_default:
            made.default = name
        marked_default = False
    for name, value in overrides.items():
        made.variables.setdefault(name, value)
    return made


def _value(expression: str) -> str | None:
    """A constant string's text; None for anything just computes."""
    found = _STRING.match(expression)
    if found is None:
        return None
    return found.group(1) if found.group(1) is not None else found.group(2)


def _interpolated(line: str, values: dict[str, str | None]) -> str:
    def one(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if expression in values and values[expression] is not None:
            return str(values[expression])
        constant = _value(expression)
        if constant is not None:
            return constant
        name = expression if re.fullmatch(r"[A-Za-z_]\w*", expression) else "JUST_VALUE"
        return "${" + name + "}"

    return _INTERPOLATION.sub(one, line)


def plan(made: Justfile, goal: str, arguments: list[str]) -> list[tuple[str, str, str, int]]:
    """(recipe, language, code, 0-based first line) of each recipe ``just goal arguments`` runs,
    dependencies first, each once."""
    done: set[str] = set()
    out: list[tuple[str, str, str, int]] = []

    def run(name: str, given: list[str], depth: int) -> None:
        recipe = made.recipes.get(name)
        if recipe is None or name in done or depth > 16:
            return
        done.add(name)
        for dependency in recipe.dependencies:
            run(dependency, [], depth + 1)
        values = dict(made.variables)
        for index, (parameter, default) in enumerate(recipe.parameters):
            values[parameter] = given[index] if index < len(given) else \
                (_value(default) if default is not None and _value(default) is not None else default)
        body = _dedented(recipe.body)
        language = "shell"
        if body and body[0].startswith("#!"):
            language = language_for_path("", body[0]) or "shell"
            code = "\n".join(_interpolated(line, values) for line in body)
        else:
            lines, continued = [], False
            for line in body:  # `@` and `-` where a command starts, not on a continued line
                lines.append(_interpolated(line if continued else line.lstrip("@-"), values))
                continued = line.endswith("\\")
            code = "\n".join(lines)
        out.append((name, language, code, recipe.start))

    run(goal, arguments, 0)
    return out


def _dedented(body: list[str]) -> list[str]:
    while body and not body[-1].strip():
        body = body[:-1]
    indent = min((len(line) - len(line.lstrip()) for line in body if line.strip()), default=0)
    return [line[indent:] for line in body]


def run(spec: Entry, options_given: dict[str, list[str]], operands: list[str], origin: Location, at: Location,
        options: Options, hint: str, directory: str = "") -> Analysis:
    """What ``just [-f FILE] [-d DIR] [NAME=value ...] [RECIPE [ARGS ...]]`` runs from the file at
    ``origin`` (its justfile recorded among the reads even when it is missing)."""
    result = Analysis()
    call = scriptfile.runner_call(spec, options_given, operands, directory)
    folder, given, overrides, words = call.folder, call.files, call.overrides, call.words
    names = given or [str(m) for m in spec.get("justfiles", [])]
    first = scriptfile.first_readable([n if given or not folder else os.path.join(folder, n) for n in names],
                                      origin, options, result.reads)
    if first is None:
        return result
    path, real, text = first
    made = parse(text, overrides)
    goal = made.aliases.get(words[0], words[0]) if words else made.default
    if goal is None:
        return result
    for recipe, language, code, start in plan(made, goal, words[1:]):
        if not scriptfile.being_run(real, recipe, options):
            result.extend(scriptfile.relocated(language, code, real, os.path.normpath(path), start, at,
                                               options, hint, recipe))
    return result
