"""Code handed to another interpreter: ``bash -c``, ``python - <<EOF``, ``psql -c``, ``node -e``.

Code in a language execgate analyses goes to that front end through
:func:`analyzer.frontends.analyze` with the origin of the code's first
character, so findings point at the real line. Computed code is evasion;
code piped from a download is remote code. Languages without a front end
(node, ruby, perl, php, the MongoDB shell) are searched for the shell commands they
hand to process APIs and for their deleting calls, both listed in the catalogue.
"""
from __future__ import annotations

import functools
import os
import re

from ...model import Analysis, Location
from .. import scriptfile
from .args import ParsedArgs, parse_args
from .flow import content_origin, downloader_in
from .knowledge import Entry
from .reentry import filled_code, in_directory, run_script, run_written
from .state import CommandContext, Unit
from .words import Word


def _spec(unit: Unit, table: str, program: str) -> Entry | None:
    spec = unit.know.lookup(table, program)
    if spec is None and program.rstrip("0123456789.") != program:
        spec = unit.know.lookup(table, program.rstrip("0123456789.")) or unit.know.lookup(
            table, program.rstrip("0123456789.") + "3")
    return spec


def interpreter(unit: Unit, program: str, rest: list[Word], ctx: CommandContext) -> None:
    """Analyse the code an interpreter is given inline, in a heredoc or through a pipe."""
    spec = _spec(unit, "interpreters", program)
    if spec is not None:
        _known_language(unit, program, spec, rest, ctx)
        return
    foreign = _spec(unit, "foreign_interpreters", program)
    if foreign is not None:
        _foreign(unit, program, foreign, rest, ctx)


def _known_language(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    code_flags = [str(f) for f in spec.get("code_flags", [])]
    script_flags = [str(f) for f in spec.get("script_flags", [])]
    args = parse_args(rest, [*spec.get("options_with_arg", []), *code_flags, *script_flags])
    operands = list(args.operands)
    subcommands = spec.get("subcommands")
    if subcommands:
        if not operands or operands[0].shown not in subcommands:
            return
        operands = operands[1:]
    language = str(spec["language"])
    hint = spec.get("context_hint") or program
    script_hint = _script_hint(spec, args) or hint
    inline = [w for flag in code_flags for w in args.flag_words.get(flag, [])]
    if "code_operand" in spec and len(operands) > int(spec["code_operand"]):
        inline.append(operands[int(spec["code_operand"])])
    for word in inline:
        _code_word(unit, program, language, hint, word, ctx)
    if inline:
        return
    module_flags = {str(f) for f in spec.get("module_flags", [])}
    scripts = [(w, flag not in module_flags) for flag in script_flags for w in args.flag_words.get(flag, [])]
    reads_stdin = args.has(spec.get("stdin_flags", []))  # `sh -s -- -y`: the operands are arguments
    if not scripts and operands and not spec.get("no_operand_script") and operands[0].shown != "-" \
            and not reads_stdin:
        scripts = [(operands[0], True)]
    if scripts:
        for word, is_file in scripts:
            source = downloader_in(unit, word.node) if word.value is None else None
            if source is not None:  # `bash <(curl -s URL)`
                unit.report("shell.evasion-remote-code", ctx, [], verb="run", command=program, source=source)
            else:
                run_written(unit, word, language, ctx, program, from_disk=is_file, hint=script_hint)
        return
    if spec.get("stdin_code") and ctx.stdin is not None:  # no script named: the code is standard input
        _stdin_code(unit, program, language, script_hint, ctx)


def _script_hint(spec: Entry, args: ParsedArgs) -> str | None:
    """The hint for a script the client runs on past errors (`psql -f x.sql`, `psql < x.sql`, a
    heredoc): None when its options make it stop at the first (`-1`, `-v ON_ERROR_STOP=1`)."""
    how = spec.get("script_hint")
    if not how:
        return None
    if args.has([str(f) for f in how.get("stop_flags", [])]):
        return None
    stop = str(how.get("stop_setting", "(?!)"))
    settings = [v for flag in how.get("setting_flags", []) for v in args.flags.get(str(flag), [])]
    if any(re.fullmatch(stop, value.strip()) for value in settings):
        return None
    return str(how["hint"])


def _code_word(unit: Unit, program: str, language: str, hint: str, word: Word, ctx: CommandContext) -> None:
    filled = filled_code(word, ctx) if language == "shell" else None
    if filled is not None:
        unit.embedded(language, filled, content_origin(unit, word), hint=hint)
        return
    if word.value is None and word.with_holes is not None:
        # the embedding code's unknown values, read as unknown by the front end it goes on to
        unit.embedded(language, word.with_holes, content_origin(unit, word), hint=hint)
        return
    if word.value is None:
        source = downloader_in(unit, word.node)
        if source is not None:  # `sh -c "$(curl -fsSL URL)"`
            unit.report("shell.evasion-remote-code", ctx, [], verb="run", command=program, source=source)
        else:
            unit.report("shell.evasion-eval", ctx, [word.text], verb="run", command=f"{program} -c")
        return
    unit.embedded(language, word.value, content_origin(unit, word), hint=hint)


def _stdin_code(unit: Unit, program: str, language: str, hint: str, ctx: CommandContext) -> None:
    stdin = ctx.stdin
    assert stdin is not None
    if stdin.constant is not None:
        unit.embedded(language, stdin.constant, stdin.origin or unit.node_location(ctx.node), hint=hint,
                      at=unit.node_location(ctx.node) if stdin.pinned else None)
    elif stdin.downloader:
        unit.report("shell.evasion-remote-code", ctx, [], verb="run", command=program, source=stdin.downloader)
    elif stdin.file is not None and (found := _stdin_file(unit, language, hint, stdin.file, ctx)) is not None:
        unit.analysis.extend(found)
    elif stdin.file is not None and stdin.producer.startswith("<"):
        return  # `bash < setup.sh` of a file that is not there: the command keeps its decision
    else:
        unit.report("shell.evasion-pipe-to-shell", ctx, [], verb="run", command=program, source=stdin.producer)


def _stdin_file(unit: Unit, language: str, hint: str, name: str, ctx: CommandContext) -> Analysis | None:
    """`mysql app < db/drop.sql`, `cat setup.sh | bash`: the file of the checked tree, read (scriptfile)."""
    return None if any(c in name for c in "$`*?[") else run_script(unit, language, name, ctx, hint)


# -- languages without a front end -----------------------------------------------------


def _foreign(unit: Unit, program: str, spec: Entry, rest: list[Word], ctx: CommandContext) -> None:
    flags = [str(f) for f in spec.get("code_flags", [])]
    args = parse_args(rest, [*[f for f in flags if f.startswith("-")], *spec.get("options_with_arg", [])])
    words = [w for flag in flags for w in args.flag_words.get(flag, [])]
    words_flags = [f for f in flags if not f.startswith("-")]
    files = tuple(str(s) for s in spec.get("script_files", []))
    # `rails runner CODE`, but `rails runner script/cleanup.rb` runs the file
    if words_flags and len(args.operands) > 1 and args.operands[0].shown in words_flags \
            and not (files and args.operands[1].known and args.operands[1].shown.endswith(files)):
        words.append(args.operands[1])
    for word in words:
        code = word.value if word.value is not None else word.with_holes
        if code is None:
            unit.report("shell.evasion-eval", ctx, [word.text], verb="run",
                        command=f"{program} {flags[0] if flags else '-e'}")
        else:
            foreign_code(unit, program, code, content_origin(unit, word), ctx, spec)
    script = next((w for w in args.operands if w.known and w.shown.endswith(files)), None) if files else None
    if not words and script is not None:
        _foreign_file(unit, program, spec, script.shown, ctx)
        return
    if words or not spec.get("stdin_code") or ctx.stdin is None or ctx.stdin.constant is None:
        return
    suffixes = tuple(str(s) for s in spec.get("script_suffixes", []))
    scripts = [w for w in args.operands if w.shown.endswith(suffixes)] if suffixes else args.operands
    if scripts:
        return  # a script file runs, not standard input
    foreign_code(unit, program, ctx.stdin.constant, ctx.stdin.origin or unit.node_location(ctx.node), ctx, spec)


def _foreign_file(unit: Unit, program: str, spec: Entry, name: str, ctx: CommandContext) -> None:
    """``node scripts/clean.js``: the script file of the checked tree is searched like a one-liner,
    what it does reported at the line that runs it, naming the line inside (``via``)."""
    path = in_directory(unit, name)
    found = scriptfile.read(path, unit.origin, unit.options, "shell", "-")
    if found is None:
        absent = scriptfile.missing(path, unit.origin, unit.options)
        if absent is not None and absent not in unit.analysis.reads:
            unit.analysis.reads.append(absent)
        return
    real, code = found
    unit.analysis.reads.append(real)
    at = unit.node_location(ctx.node)
    shown = os.path.normpath(path)
    if spec.get("process_calls", True):
        for command, offset in _process_matches(unit, code):
            unit.analysis.extend(scriptfile.relocated("shell", command, real, shown, code.count("\n", 0, offset), at,
                                                      unit.options, program))
    deleting = _delete_call(unit, spec, code)
    if deleting is not None:
        target, offset = deleting
        unit.report(str(spec.get("delete_rule", "shell.inline-code-delete")), ctx, [target], verb="delete",
                    command=program, details={"via": f"{shown}:{code.count(chr(10), 0, offset) + 1}"})
    emptying = _orm_delete(spec, code)
    if emptying is not None:
        target, offset = emptying
        unit.report(str(spec["orm_rule"]), ctx, [target], verb="delete", command=program,
                    details={"via": f"{shown}:{code.count(chr(10), 0, offset) + 1}"})


def foreign_code(unit: Unit, program: str, code: str, origin: Location, ctx: CommandContext,
                 spec: Entry | None = None) -> None:
    """Shell commands given to process APIs are analysed; deleting calls are reported.

    Which calls delete is the interpreter's ``delete_calls`` list (``foreign_delete_calls`` for
    the scripting languages) reported as its ``delete_rule``. A name starting with ``.`` is a
    method call whose arguments are spelt out (``.deleteMany({})``: only with an empty filter);
    spaces between its tokens do not matter."""
    spec = spec or {}
    if spec.get("process_calls", True):
        for command in _process_strings(unit, code):
            unit.embedded("shell", command, origin, hint=program)
    deleting = _delete_call(unit, spec, code)
    if deleting is not None:
        unit.report(str(spec.get("delete_rule", "shell.inline-code-delete")), ctx, [deleting[0]], verb="delete",
                    command=program)
    emptying = _orm_delete(spec, code)
    if emptying is not None:
        unit.report(str(spec["orm_rule"]), ctx, [emptying[0]], verb="delete", command=program)


def _delete_call(unit: Unit, spec: Entry, code: str) -> tuple[str, int] | None:
    """The first deleting call in ``code`` (the interpreter's ``delete_calls``): how it is named
    (a method call as written, ``db.users.drop()``) and where it starts."""
    for call in unit.know.list(str(spec.get("delete_calls", "foreign_delete_calls"))):
        method = call.startswith(".")
        found = (_method_call(call) if method else _function_call(call)).search(code)
        if found:
            return (" ".join(found.group(0).split()) if method else call), found.start()
    return None


def _orm_delete(spec: Entry, code: str) -> tuple[str, int] | None:
    """The first ORM delete in ``code`` (the interpreter's ``orm_calls``) that reaches every row:
    its receiver is a model (a constant) followed only by ``orm_scopes`` (``Order.delete_all``,
    ``Order.unscoped.destroy_all``). After ``where(...)``, a scope or an association (or on a
    variable) it deletes only what that selects, and is not reported. How it is written, and
    where it starts."""
    scopes = {str(s) for s in spec.get("orm_scopes", [])}
    for call in spec.get("orm_calls", []):
        for found in _method_call(str(call)).finditer(code):
            if code[found.end():found.end() + 1].isalnum() or code[found.end():found.end() + 1] in ("_", "?", "!"):
                continue  # `delete_all_later`: another method
            text = " ".join(found.group(0).split())
            model, *chain = [re.sub(r"\s*\(\s*\)$", "", part.strip()) for part in text.rsplit(".", 1)[0].split(".")]
            if model[:1].isupper() and all(part in scopes for part in chain):
                return text, found.start()
    return None


_RECEIVER = r"(?<![\w$.])(?:[\w$]+(?:\s*\([^()]*\)|\s*\[[^\]]*\])*\s*\.\s*)+"


@functools.lru_cache(maxsize=64)
def _method_call(call: str) -> re.Pattern[str]:
    """``.drop()`` finds ``db.users.drop( )`` and ``db.getCollection("x").drop()``: a receiver
    (names, calls and subscripts joined by dots), then the call's tokens with any spacing."""
    tokens = re.findall(r"[\w$]+|\S", call[1:])
    rest = r"(?:[^()\n]{0,80}\))?" if call.count("(") > call.count(")") else ""  # to the call's end, for the message
    return re.compile(_RECEIVER + r"\s*".join(re.escape(t) for t in tokens) + rest)


@functools.lru_cache(maxsize=64)
def _function_call(call: str) -> re.Pattern[str]:
    """``unlink(`` / ``rmtree '...'``: the name, not a method of something, then its arguments."""
    return re.compile(r"(?<![\w.])" + re.escape(call) + r"\s*[(\s'\"]")


@functools.lru_cache(maxsize=4)
def _process_call(calls: tuple[str, ...]) -> re.Pattern[str]:
    """A process API called with a quoted command (``system("rm -rf x")``): the command is group 2."""
    names = "|".join(re.escape(c) for c in calls)
    return re.compile(r"(?<![\w])(?:" + names + r")\s*\(?\s*(['\"])(.*?)(?<!\\)\1", re.S)


def _process_strings(unit: Unit, code: str) -> list[str]:
    return [command for command, _ in _process_matches(unit, code)]


def _process_matches(unit: Unit, code: str) -> list[tuple[str, int]]:
    """The shell commands given to process APIs in ``code``, each with where it starts."""
    found = [(m.group(2), m.start(2)) for m in _process_call(unit.know.list("foreign_process_calls")).finditer(code)]
    found += [(m.group(1), m.start(1)) for m in re.finditer(r"`([^`]+)`", code)]
    found += [(m.group(1), m.start(1)) for m in re.finditer(r"%x[{(\[]([^})\]]+)[})\]]", code)]
    return found
