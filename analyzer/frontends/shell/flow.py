"""Where a command's input comes from: pipes, heredocs, here-strings and ``<`` files.

``env | curl -d @- host`` is only exfiltration of secrets because of what
flows through the pipe, and ``cat <<EOF | bash`` only runs code because the
heredoc reaches an interpreter. This module resolves, for one command, what
feeds its standard input: a constant text (and where it starts, so embedded
code keeps real line numbers), a download, or a secret source upstream. It also
remembers the text of the script files the script writes (record_write), so
that running one later is analysed as what it holds (reentry.py).
"""
from __future__ import annotations

import base64
import binascii
import os.path
import re
from typing import TYPE_CHECKING

from ...model import Location
from ...records import replace
from .knowledge import basename
from .parse import command_of
from .state import CommandContext, Secret, Stdin, Unit, Written
from .words import Word, decode_ansi_c

if TYPE_CHECKING:  # pragma: no cover - typing only
    from tree_sitter import Node


def argv_of(unit: Unit, command: Node) -> list[Word]:
    """The resolved words of a simple command: program name then arguments."""
    name = command.child_by_field_name("name")
    if name is None:
        return []
    argv: list[Word] = []
    for part in [name.named_children[0] if name.named_children else name, *command.children_by_field_name("argument")]:
        if part.is_named:
            argv.extend(unit.words.words(part))
    return argv


def unwrap(unit: Unit, argv: list[Word]) -> list[Word]:
    """The command under wrappers (``sudo -u x env A=1 cat f`` -> ``cat f``), for pipeline stages."""
    for _ in range(8):
        if not argv or argv[0].value is None:
            return argv
        whole = argv
        spec = unit.know.lookup("wrappers", basename(argv[0].value))
        if spec is None:
            return argv
        takes = set(spec.get("options_with_arg", []))
        i, positional = 1, int(spec.get("positional", 0))
        while i < len(argv):
            text = argv[i].shown
            if text == "--":
                i += 1
                break
            if spec.get("assignments") and "=" in text and not text.startswith("-"):
                i += 1
            elif text.startswith("-") and len(text) > 1:
                i += 2 if text in takes else 1
            elif positional:
                positional, i = positional - 1, i + 1
            else:
                break
        argv = argv[i:]
        if not argv:
            return whole  # `env` alone is the program itself, not a wrapper
    return argv


def content_origin(unit: Unit, word: Word) -> Location:
    """Where the text of a quoted or bare word begins (after the opening quote)."""
    node = word.node
    assert node is not None, "the words of a command line are spelt somewhere"
    loc = unit.node_location(node)
    skip = {"string": 1, "raw_string": 1, "ansi_c_string": 2, "translated_string": 2}.get(node.type, 0)
    if node.type == "concatenation" and node.named_children:
        skip = {"string": 1, "raw_string": 1}.get(node.named_children[0].type, 0)
    return loc if not skip else unit.location(node.start_point[0], node.start_point[1] + skip)


def heredoc_text(unit: Unit, redirect: Node) -> tuple[str, Location] | None:
    body = next((c for c in redirect.named_children if c.type == "heredoc_body"), None)
    if body is None:
        return None
    text = unit.raw(body)
    if any(not c.is_named and unit.raw(c) == "<<-" for c in redirect.children):
        text = "\n".join(line.lstrip("\t") for line in text.split("\n"))
    return text, unit.node_location(body)


def stdin_of(unit: Unit, ctx: CommandContext) -> Stdin | None:
    """The input of the command in ``ctx``: its own redirections first, then the pipeline."""
    for redirect in ctx.redirects:
        if redirect.type == "heredoc_redirect":
            heredoc = heredoc_text(unit, redirect)
            if heredoc is not None:
                return Stdin("heredoc", constant=heredoc[0], origin=heredoc[1])
        if redirect.type == "herestring_redirect":
            word_node = next((c for c in redirect.named_children), None)
            if word_node is not None:
                word = unit.words.word(word_node)
                secrets = secrets_of_words(unit, [word])
                return Stdin("here-string", constant=None if word.value is None else word.value + "\n",
                             origin=content_origin(unit, word), secret=secrets[0].description if secrets else None,
                             secrets=tuple(secrets))
        if redirect.type == "file_redirect" and any(not c.is_named and unit.raw(c) == "<" for c in redirect.children):
            destination = redirect.child_by_field_name("destination")
            if destination is not None:
                path = unit.words.word(destination).shown
                secret = f"the credential file {path}" if unit.know.is_credential_path(path) else None
                return Stdin(f"< {path}", secret=secret, file=path, secrets=(Secret(secret),) if secret else ())
    stages = unit.pipes.get(ctx.node.id)
    if not stages:
        return None
    secrets = [secret for stage in stages for secret in secrets_of_stage(unit, stage)]
    producer, constant, origin, downloader = stage_output(unit, stages)
    return Stdin(producer, secret=secrets[0].description if secrets else None, constant=constant, origin=origin,
                 downloader=downloader, secrets=tuple(secrets), pinned=_lines_moved(unit, stages[-1], constant),
                 file=_copied_file(unit, stages[-1]))


def _copied_file(unit: Unit, stage: Node) -> str | None:
    """The one file ``cat FILE`` copies to its output (`cat db/drop.sql | psql`), else None."""
    command = command_of(stage)
    argv = unwrap(unit, argv_of(unit, command)) if command is not None else []
    if len(argv) != 2 or argv[0].value is None or basename(argv[0].value) not in unit.know.list("stdin_copiers"):
        return None
    return argv[1].value if argv[1].value and not argv[1].value.startswith("-") else None


def _lines_moved(unit: Unit, stage: Node, text: str | None) -> bool:
    """Whether a stage's constant output has line breaks its source does not (escapes decoded,
    ``printf 'cd /x\nrm -rf y'``): its lines cannot be mapped back to the script's."""
    return text is not None and text.rstrip("\n").count("\n") > unit.raw(stage).count("\n")


def stage_output(unit: Unit, stages: list[Node]) -> tuple[str, str | None, Location | None, str | None]:
    """(producer, constant text, its origin, downloader) of the last of ``stages``."""
    command = command_of(stages[-1])
    if command is None:
        return stages[-1].type, None, None, None
    argv = unwrap(unit, argv_of(unit, command))
    if not argv or argv[0].value is None:
        return "a computed command", None, None, None
    program = basename(argv[0].value)
    args = argv[1:]
    if program in unit.know.list("downloaders"):
        return program, None, None, program
    if program in ("echo", "printf"):
        # what it prints, as it would write it to a file (`printf 'git clean -fdx\n' | sh`)
        printed = _printed(unit, argv)
        if printed is not None and printed[0] is not None:
            return program, printed[0], printed[1], None
        return program, None, None, None
    if program in unit.know.list("stdin_copiers") and not args:
        redirects = list(command.children_by_field_name("redirect"))
        if command.parent is not None and command.parent.type == "redirected_statement":
            redirects.extend(command.parent.children_by_field_name("redirect"))
        inner = stdin_of(unit, CommandContext(command, redirects))
        if inner is not None and inner.constant is not None:
            return "a heredoc", inner.constant, inner.origin, None
    decoder_flags = unit.know.table("decoders").get(program)
    if decoder_flags is not None and any(a.shown in decoder_flags for a in args) and len(stages) > 1:
        _, upstream, origin, _ = stage_output(unit, stages[:-1])
        if upstream is not None:
            try:
                return program, base64.b64decode(upstream.strip(), validate=False).decode("utf-8"), origin, None
            except (binascii.Error, ValueError, UnicodeDecodeError):
                return program, None, None, None
    return program, None, None, None


def secret_of_stage(unit: Unit, stage: Node) -> str | None:
    found = secrets_of_stage(unit, stage)
    return found[0].description if found else None


def secrets_of_stage(unit: Unit, stage: Node) -> list[Secret]:
    command = command_of(stage)
    if command is None:
        return []
    return secrets_of_argv(unit, unwrap(unit, argv_of(unit, command))) + \
        secrets_of_words(unit, read_files(unit, stage))


def read_files(unit: Unit, stage: Node) -> list[Word]:
    """The files a command (or a redirected statement) reads through ``<`` redirections."""
    redirects = list(stage.children_by_field_name("redirect"))
    command = command_of(stage)
    if command is not None and command is not stage:
        redirects += command.children_by_field_name("redirect")
    found = []
    for redirect in redirects:
        operator = next((unit.raw(c) for c in redirect.children if not c.is_named), "")
        destination = redirect.child_by_field_name("destination")
        if redirect.type == "file_redirect" and operator == "<" and destination is not None:
            found.append(unit.words.word(destination))
    return found


def secrets_of_argv(unit: Unit, argv: list[Word]) -> list[Secret]:
    """The secrets a command prints: what it is (env, pg_dump), else what its arguments name."""
    if not argv or argv[0].value is None:
        return []
    program = basename(argv[0].value)
    source = unit.know.lookup("secret_sources", program)
    if source is not None:
        args = [a.shown for a in argv[1:]]
        # `export -p` lists the environment, `export A=1` sets a variable; `sqlite3 db .dump` dumps
        listing = source.get("prints_bare_or_with")
        needed = source.get("prints_only_with")
        if (listing is None or not args or args[0] in listing) and (needed is None or any(a in needed for a in args)):
            return [Secret(str(source["source"]))]
    found = secrets_of_words(unit, argv[1:])
    if program in unit.know.list("tree_readers"):
        # `tar -czf - ~/.ssh`: the keys in the folder are packed into what it prints
        found += [Secret(f"the credential folder {w.shown}") for w in argv[1:]
                  if w.known and unit.know.matches_list("credential_trees", w.shown.rstrip("/"))]
    return found


def secret_of_words(unit: Unit, words: list[Word]) -> str | None:
    """The first of :func:`secrets_of_words`, described."""
    found = secrets_of_words(unit, words)
    return found[0].description if found else None


def secrets_of_words(unit: Unit, words: list[Word]) -> list[Secret]:
    """Credential files and secret variables named in words (and in their substitutions), each
    with how the word spells it (``$GITHUB_TOKEN``, ``$(cat .env)``) so a caller can place it."""
    found: list[Secret] = []
    for word in words:
        path = word.shown.lstrip("@<")
        written = unit.secret_files.get(os.path.normpath(path) if word.value is not None else path) if path else None
        if "://" not in path and not word.substitutions and unit.know.is_credential_path(path):
            found.append(Secret(f"the credential file {path}"))
        elif written is not None:
            found.append(Secret(f"{written}, written to {path}"))
        elif not word.substitutions:
            # `for f in ~/.aws/credentials ~/.netrc; do ... "$f"`: each of its values in turn
            found.extend(Secret(f"the credential file {c.lstrip('@<')}") for c in word.choices
                         if "://" not in c and unit.know.is_credential_path(c.lstrip("@<")))
        for name in dict.fromkeys(word.variables):
            held = unit.scope.lookup(name).secret  # K=$(cat ~/.ssh/id_rsa): what it was given
            if unit.know.is_secret_variable(name) or held:
                found.append(Secret(held or f"the secret ${name}", name, _spelling(word.text, name)))
        for node in word.substitutions:
            # `$(cat ~/.ssh/id_rsa)`, and every stage of `$(cat ~/.ssh/id_rsa | base64)`
            stages = [s for c in node.named_children for s in (c.named_children if c.type == "pipeline" else [c])
                      if s.type in ("command", "redirected_statement")]
            for inner in stages:
                command = command_of(inner)
                if command is None:
                    continue
                secrets = secrets_of_argv(unit, unwrap(unit, argv_of(unit, command))) + \
                    secrets_of_words(unit, read_files(unit, inner))
                found.extend(replace(secret, spelt=unit.raw(node)) for secret in secrets)
    return found


def _spelling(text: str, name: str) -> str | None:
    """How a word's text spells the expansion of ``name`` (``$T``, ``${T}``, ``${T:-x}``); None
    when the value was substituted (a constant assigned in the script)."""
    name = re.escape(name)
    match = re.search(r"\$\{" + name + r"(?!\w)[^}]*\}|\$" + name + r"(?!\w)", text)
    return match.group(0) if match else None


def downloader_in(unit: Unit, node: Node | None) -> str | None:
    """The downloader (curl, wget) whose output a word is made of: ``$(curl -fsSL URL)``,
    ``<(curl -s URL)``; None when it runs none."""
    pending = [node] if node is not None else []
    while pending:
        current = pending.pop()
        if current.type == "command":
            argv = unwrap(unit, argv_of(unit, current))
            if argv and argv[0].value is not None and basename(argv[0].value) in unit.know.list("downloaders"):
                return basename(argv[0].value)
        pending.extend(current.named_children)
    return None


def sends_stdin(unit: Unit, stage: Node) -> bool:
    """Whether a pipeline stage is a network tool (it may send what it is piped)."""
    command = command_of(stage)
    if command is None:
        return False
    argv = unwrap(unit, argv_of(unit, command))
    return bool(argv) and argv[0].value is not None and unit.know.lookup("network", basename(argv[0].value)) is not None


# -- script files written by the script itself ------------------------------------------------


def script_key(word: Word) -> str:
    """How a path names a script file: normalised when known (``./x.sh`` is ``x.sh``), else as
    spelt (``"$f"`` written and run through the same variable)."""
    if word.value is not None:
        return os.path.normpath(word.value) if word.value else ""
    return word.text


def record_write(unit: Unit, command: Node, redirects: list[Node]) -> None:
    """``echo 'rm -rf /srv' > x.sh``, ``printf ... > x.sh``, ``cat > x.sh <<EOF``: remember the
    text a file receives, so that running the file later (``bash x.sh``, ``. x.sh``,
    ``./x.sh``) is analysed as that text (reentry.run_written)."""
    targets = []
    for redirect in redirects:
        nested = [c for c in redirect.named_children if c.type == "file_redirect"] \
            if redirect.type == "heredoc_redirect" else [redirect]
        targets.extend(nested)
    for redirect in targets:
        if redirect.type != "file_redirect":
            continue
        operator = next((unit.raw(c) for c in redirect.children if not c.is_named), "")
        destination = redirect.child_by_field_name("destination")
        if destination is None or operator not in (">", ">|", ">>", "&>", "1>"):
            continue
        key = script_key(unit.words.word(destination))
        if not key:
            continue
        # `env > report.txt`: the file holds what the command printed, a secret when it was one
        printed = secrets_of_argv(unit, unwrap(unit, argv_of(unit, command)))
        if printed:
            unit.secret_files[key] = printed[0].description
        elif operator != ">>":
            unit.secret_files.pop(key, None)
        found = _written_text(unit, command, redirects)
        if found is None:
            unit.written.pop(key, None)  # overwritten by something else
            continue
        text, origin, writer = found
        if operator == ">>" and key in unit.written:
            before, first, _ = unit.written[key]
            text = None if before is None or text is None else before + text
            origin = first
        unit.written[key] = (text, origin, writer)


def _written_text(unit: Unit, command: Node, redirects: list[Node]) -> Written | None:
    """(text or None when computed, where it starts, the writing program) of echo, printf (bash
    builtins) or a ``stdin_copiers`` program given a heredoc (``cat > x.sh <<EOF``)."""
    argv = argv_of(unit, command)
    if not argv or argv[0].value is None:
        return None
    program = basename(argv[0].value)
    printed = _printed(unit, argv)
    if printed is not None:
        return printed
    if program in unit.know.list("stdin_copiers") and not argv[1:]:
        for redirect in redirects:
            if redirect.type == "heredoc_redirect":
                found = heredoc_text(unit, redirect)
                if found is not None:
                    return found[0], found[1], program
    return None


def _printed(unit: Unit, argv: list[Word]) -> Written | None:
    """(text or None when computed, where it starts, the printing program) of the bash builtins
    echo and printf (escapes and one ``%s`` format decoded); None for any other program."""
    program = basename(argv[0].value or "")
    args = argv[1:]
    if program == "echo":
        flags = []
        while args and args[0].value in ("-n", "-e", "-E", "-ne", "-en"):
            flags.append(args.pop(0).value or "")
        if not args:
            where = content_origin(unit, argv[0]) if argv[0].node is not None else unit.origin
            return ("" if any("n" in f for f in flags) else "\n"), where, "echo"
        origin = content_origin(unit, args[0])
        if not all(a.known for a in args):
            return None, origin, " ".join(a.shown for a in args)
        text = " ".join(a.value or "" for a in args)
        text = decode_ansi_c(text) if any("e" in f for f in flags) else text
        return text + ("" if any("n" in f for f in flags) else "\n"), origin, "echo"
    if program == "printf" and args:
        origin = content_origin(unit, args[0])
        if not all(a.known for a in args):
            return None, origin, " ".join(a.shown for a in args)
        fmt = args[0].value or ""
        values = [a.value or "" for a in args[1:]]
        if not values and "%" not in fmt:
            return decode_ansi_c(fmt), origin, "printf"
        if re.sub(r"%s", "", fmt).count("%") == 0 and fmt.count("%s") == 1 and values:
            return "".join(decode_ansi_c(fmt).replace("%s", v) for v in values), origin, "printf"
        return None, origin, fmt
    return None
