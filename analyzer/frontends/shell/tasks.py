"""The project's task runners: ``npm run reset-db``, ``yarn``, ``make clean-db``, ``just wipe``.

What the command runs is read from the project (rules/shell.yaml `task_runners`): the
package.json scripts a package manager runs for it, pre- and post-scripts and the install
lifecycle included (scriptfile.package_scripts), the Makefile recipes (makefile.py) or the
justfile recipes (justfile.py), each analysed where the command runs it, naming the file and
line inside. A manifest, Makefile or justfile that is not there yet is recorded among the reads.
"""
from __future__ import annotations

from ...model import Analysis, Location
from .. import scriptfile
from .args import parse_args
from .knowledge import Entry
from .reentry import in_directory
from .state import CommandContext, Unit
from .words import Word


def run_task(unit: Unit, program: str, rest: list[Word], ctx: CommandContext) -> None:
    """``npm run reset-db``, ``yarn reset-db``, ``npm install``, ``make clean-db``: the package.json
    scripts or Makefile recipes of the project (rules/shell.yaml `task_runners`) are read and
    analysed where the command runs them, when the file is in the checked tree (scriptfile,
    makefile.py). A manifest or Makefile that is not there yet is recorded among the reads."""
    spec = unit.know.lookup("task_runners", program)
    if spec is None:
        return
    at = unit.node_location(ctx.node)
    args = parse_args(rest, [str(f) for f in spec.get("options_with_arg", [])])
    if args.has(spec.get("no_run_flags", [])):
        return  # `make -n`: the recipes are printed, not run
    operands = [w.value for w in args.operands]
    if None in operands:
        return
    given = {flag: [str(w.value) for w in words if w.value is not None] for flag, words in args.flag_words.items()}
    if "manifest" in spec:
        lifecycle = not args.has(spec.get("lifecycle_off_flags", []))
        _run_package(unit, program, spec, [str(o) for o in operands], given, at, lifecycle)
        return
    if not scriptfile.roots_of(unit.origin, unit.options):
        return  # no tree to read a Makefile from (`execgate check --stdin`)
    # rarely needed: not imported with the front end
    if spec.get("kind") == "just":
        from . import justfile

        unit.analysis.extend(justfile.run(spec, given, [str(o) for o in operands], unit.origin, at, unit.options,
                                          program, unit.scope.directory))
        return
    from . import makefile

    unit.analysis.extend(makefile.run(spec, given, [str(o) for o in operands], unit.origin, at, unit.options,
                                      program, unit.scope.directory))


def package_scripts(spec: Entry, operands: list[str], lifecycle: bool = True) -> tuple[list[str], str | None] | None:
    """(the package.json scripts a package manager's command line runs, in order, and the one
    that must exist for any to run), or None when it runs none: ``npm run x`` runs prex, x and
    postx (`pre_post`), ``npm test`` the test script, ``npm ci`` the install lifecycle; without
    ``lifecycle`` (``--ignore-scripts``) only a script named on the command line runs."""
    direct = spec.get("direct") or {}
    first = operands[0] if operands else None
    install = (list(spec.get("install_scripts", [])), None) if lifecycle else None
    if first is None:
        return install if spec.get("bare_install") else None
    if first in spec.get("install_words", []):
        return install if len(operands) == 1 else None
    if first in spec.get("run_words", []):
        if len(operands) < 2:
            return None
        name = operands[1]
    elif first in direct:
        name = str(direct[first])
    elif spec.get("bare") and first not in spec.get("own_commands", []):
        name = first
    else:
        return None
    return ([f"pre{name}", name, f"post{name}"] if spec.get("pre_post") and lifecycle else [name]), name


def _run_package(unit: Unit, program: str, spec: Entry, operands: list[str], given: dict[str, list[str]],
                 at: Location, lifecycle: bool) -> None:
    wanted = package_scripts(spec, operands, lifecycle)
    if wanted is None:
        return
    names, required = wanted
    folder = next((v for f in spec.get("directory_flags", []) for v in given.get(f, [])), "")
    manifest = in_directory(unit, f"{folder.rstrip('/')}/{spec['manifest']}" if folder else str(spec["manifest"]))
    found = scriptfile.package_scripts(manifest, names, unit.origin, at, unit.options, hint=program,
                                       required=required)
    if found is None:
        absent = scriptfile.missing(manifest, unit.origin, unit.options)
        found = Analysis(reads=[absent] if absent else [])
    unit.analysis.extend(found)
