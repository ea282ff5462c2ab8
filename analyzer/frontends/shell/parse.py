"""Parsing a script with tree-sitter-bash, with the rewrites that keep every line and column.

tree_sitter is imported on the first parse, not with this module: loading the front end
(for a Python file or a policy check) costs nothing until a shell text is analysed.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from tree_sitter import Node, Parser, Tree

_PARSER: Parser | None = None
_UNSAFE_CODE_POINTS = re.compile("[\U00040000-\U0010FFFF]")
_WORD_END = b" \t\n;&|<>()"


def _parser() -> Parser:
    """The tree-sitter parser, made once per process."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter

        _PARSER = tree_sitter.Parser(tree_sitter.Language(_bash_grammar()))
    return _PARSER


def _bash_grammar() -> object:
    """tree-sitter-bash's compiled grammar, loaded without running the package's ``__init__``:
    that imports ``importlib.resources`` (and with it ``tempfile``, ``shutil``, ``zipfile``) for
    highlighting queries execgate never reads, ~5 ms of every one-shot shell check."""
    import importlib.machinery
    import importlib.util

    package = importlib.util.find_spec("tree_sitter_bash")
    spec = importlib.machinery.PathFinder.find_spec("tree_sitter_bash._binding",
                                                    list(package.submodule_search_locations or ())) if package else None
    if spec is None or not isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
        import tree_sitter_bash  # an unusual installation: the package's own way

        return tree_sitter_bash.language()
    binding = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(binding)
    return binding.language()


def encode(text: str) -> bytes:
    """The bytes tree-sitter reads.

    tree-sitter-bash 0.25 crashes the process (SIGSEGV) on code points of the unassigned and
    private planes (U+40000 and up) in some positions; no shell command is spelt with them,
    so each becomes "????" (the same four UTF-8 bytes long: offsets do not move)."""
    return _UNSAFE_CODE_POINTS.sub("????", text).encode("utf-8", errors="surrogatepass")


def parse(source: bytes) -> tuple[Tree, bytes]:
    """The tree of ``source`` and the source it was parsed from, after two rewrites that keep
    every line and column where it was.

    A brace expansion at command position (``{rm,-rf,/}``) is a word bash expands into
    ``rm -rf /``; tree-sitter reads its ``{`` as the start of a group. Its braces and
    top-level commas become spaces (same length) and the text is parsed again.

    And a workaround for a tree-sitter-bash 0.25 bug: after a pipeline of three or more
    stages, a later redirection can make it read following lines as more arguments of one
    command (`a | b | c\\nrm -rf / < f` -> `c` with arguments `rm -rf /`). A newline between
    two words of one command ends that command in bash, so a `;` is put at the end of the
    first word (same lines and columns for everything after it) and the text parsed again.

    A heredoc whose command line goes on with ``||`` or ``&&`` (``cat >f <<EOF || die``, the
    rest after the terminator line) is read by tree-sitter with the heredoc's first line as the
    next command; see :func:`_continued_heredocs`."""
    source = _continued_heredocs(source)
    tree = _parser().parse(source)
    if tree.root_node.has_error:
        tree, source = _reread(tree, source)
    spans = _brace_commands(tree.root_node, source)
    if spans:
        source = _spread_braces(source, spans)
        tree = _parser().parse(source)
    for _ in range(8):
        cuts = sorted(set(_joined_lines(tree.root_node, source)), reverse=True)
        if not cuts:
            break
        for cut in cuts:
            source = source[:cut] + b";" + source[cut:]
        tree = _parser().parse(source)
    return tree, source


# Valid bash that tree-sitter-bash 0.25 rejects, each rewritten to a reading of the same length
# (lines and columns stay): an extglob pattern (``!(keep).txt``, ``@(a|b)``) becomes a plain glob
# of ``*`` (it names files by pattern all the same); a variable in a substring offset
# (``${s:$i:1}``) loses its ``$`` (the expansion stays unknown either way); a backslash ending a
# line of a quoted heredoc (no continuation there) becomes a blank; an escaped ``\<`` or ``\>``
# comparing strings in ``[ ]`` becomes ``==`` (a comparison either way); a ``!`` before two or more
# assignments (``if ! IFS=$'\n' COMPREPLY=($(...)); then``) becomes a blank (the assignments and
# their command substitutions are what there is to read); a test of two words whose first is an
# expansion (``[ "$OP" "$L" ]``: a unary test whose operator is in a variable) joins them with a
# ``=`` into one word (a test of one string: nothing runs either way).
_EXTGLOB = re.compile(rb"(?<![\w$\\])[?*+@!]\((?:[^()\n'\"]|\([^()\n'\"]*\))*\)")
_SUBSTRING = re.compile(rb"\$\{[A-Za-z_][A-Za-z0-9_]*:[^}\n]*\}")
_ESCAPED_COMPARISON = re.compile(rb"(?<=[ \t])\\[<>](?=[ \t])")   # [ "$a" \< "$b" ]: a word, not a redirection
_NEGATED_ASSIGNMENTS = re.compile(
    rb"((?:^|[;&|(]|\b(?:if|while|until|then|do|else|elif))[ \t]*)!(?=[ \t]+[A-Za-z_][A-Za-z0-9_]*(?:\[[^]\n]*\])?\+?="
    rb"[^\n]*?[ \t][A-Za-z_][A-Za-z0-9_]*(?:\[[^]\n]*\])?\+?=)", re.MULTILINE)
_TEST_WORD = rb"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\[\];&|<>()\"']+)"
_TEST_OF_TWO = re.compile(rb"(?<![\w\[])\[[ \t]+\"?\$\{?[A-Za-z_0-9][A-Za-z0-9_]*\}?\"?([ \t]+)"
                          + _TEST_WORD + rb"[ \t]+\]")
_QUOTED_HEREDOC = re.compile(rb"<<-?[ \t]*(['\"])([A-Za-z_][A-Za-z0-9_]*)\1[^\n]*\n")


def _reread(tree: Tree, source: bytes) -> tuple[Tree, bytes]:
    """Rewrite the forms of valid bash tree-sitter rejects and parse again; the new reading is
    kept only when it reads further before its first error (or has none)."""
    rewritten = _EXTGLOB.sub(lambda m: b"*" * len(m.group(0)), source)
    rewritten = _SUBSTRING.sub(lambda m: re.sub(rb"\$(?=[A-Za-z_])", b"_", m.group(0)), rewritten)
    rewritten = _unescape_heredocs(rewritten)
    rewritten = _ESCAPED_COMPARISON.sub(b"==", rewritten)
    rewritten = _NEGATED_ASSIGNMENTS.sub(lambda m: m.group(1) + b" ", rewritten)
    rewritten = _TEST_OF_TWO.sub(lambda m: m.group(0)[:m.start(1) - m.start(0)] + b"=" * len(m.group(1))
                                 + m.group(0)[m.end(1) - m.start(0):], rewritten)
    if rewritten == source:
        return tree, source
    again = _parser().parse(rewritten)
    if not again.root_node.has_error:
        return again, rewritten
    before, after = first_bad(tree.root_node), first_bad(again.root_node)
    if before is not None and after is not None and after.start_byte > before.start_byte:
        return again, rewritten
    return tree, source


# A heredoc start (`<<EOF`, `<<-'EOF'`, `<<\\EOF`, `<<"EOF"`) on a line that ends with `||`, `&&` or `|`.
_CONTINUED_HEREDOC = re.compile(
    rb"<<-?[ \t]*(?:\\|(['\"]))?([A-Za-z_][A-Za-z0-9_]*)\1?[^\n]*?(\|\||&&|\|)[ \t]*$", re.MULTILINE)


def continued_heredocs(source: bytes) -> list[tuple[int, bytes]]:
    """``cmd <<EOF ||`` + body + ``EOF`` + ``next``: bash runs ``cmd <<EOF || next`` (``|``: the
    heredoc command's output goes to ``next``); tree-sitter-bash 0.25 takes the body's first line
    for ``next`` (an error, or the body's text read as a command). The offset and the operator of
    each such line (only when the terminator line follows)."""
    if b"<<" not in source:
        return []
    found: list[tuple[int, bytes]] = []
    for match in _CONTINUED_HEREDOC.finditer(source):
        delimiter = match.group(2)
        rest = source[match.end():]
        before = source[match.start():match.start(3)].rstrip()
        if before[-1:] not in (b"|", b"&", b";", b"<", b">") \
                and re.search(rb"\n[ \t]*" + re.escape(delimiter) + rb"[ \t]*(?:\n|$)", rest):
            found.append((match.start(3), match.group(3)))
    return found


def _continued_heredocs(source: bytes) -> bytes:
    """The operators of :func:`continued_heredocs` become blanks (same lines and columns), so the
    body is data and the command after the terminator a statement of its own: both are still
    read; the condition between them is lost (which never hides an operation) and a pipe is
    linked again by the caller (script.ScriptUnit, from continued_heredocs)."""
    out = bytearray(source)
    for offset, operator in continued_heredocs(source):
        out[offset:offset + len(operator)] = b" " * len(operator)
    return bytes(out)


def _unescape_heredocs(source: bytes) -> bytes:
    """A line of a quoted heredoc (``<<'EOF'``) ending in a backslash: the backslash is text."""
    out = bytearray(source)
    for match in _QUOTED_HEREDOC.finditer(source):
        delimiter = match.group(2)
        position = match.end()
        while position < len(source):
            end = source.find(b"\n", position)
            end = len(source) if end < 0 else end
            line = source[position:end]
            if line.strip(b"\t") == delimiter:
                break
            if line.endswith(b"\\"):
                out[end - 1] = 0x20
            position = end + 1
    return bytes(out)


def first_bad(node: Node) -> Node | None:
    """The first node of a syntax error (an ERROR node or a missing token), depth first."""
    if node.type == "ERROR" or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = first_bad(child)
            if found is not None:
                return found
    return None


def command_of(stage: Node) -> Node | None:
    """The simple command of a pipeline stage (through a redirection)."""
    if stage.type == "command":
        return stage
    if stage.type == "redirected_statement":
        body = stage.child_by_field_name("body")
        return body if body is not None and body.type == "command" else None
    return None


def _joined_lines(node: Node, source: bytes) -> list[int]:
    """Byte offsets where one command's words are separated by an unescaped newline."""
    found: list[int] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "command":
            children = [c for c in current.children if c.type != "comment"]
            for before, after in zip(children, children[1:], strict=False):
                gap = source[before.end_byte:after.start_byte]
                if re.search(rb"(?<!\\)\n", gap) and after.type not in ("heredoc_redirect", "heredoc_body"):
                    found.append(before.end_byte)
                    break
        stack.extend(current.children)
    return found


def _brace_commands(root: Node, source: bytes) -> list[tuple[int, int]]:
    """Byte spans of brace-expansion words at command position: a ``{`` that tree-sitter took
    for a group although no blank follows it (bash needs one), or a command name that starts
    with ``{`` (``A=1 {rm,-rf} /``)."""
    found: list[tuple[int, int]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        start = None
        if node.type == "{" and node.parent is not None and node.end_byte < len(source) \
                and source[node.end_byte:node.end_byte + 1] not in (b" ", b"\t", b"\n", b""):
            start = node.start_byte
        elif node.type == "command_name" and source[node.start_byte:node.start_byte + 1] == b"{":
            start = node.start_byte
        if start is not None:
            end = _word_end(source, start)
            if _top_level_commas(source[start:end]):
                found.append((start, end))
        stack.extend(node.children)
    return sorted(set(found))


def _word_end(source: bytes, start: int) -> int:
    """Where the shell word starting at ``start`` ends (quotes and backslashes respected)."""
    i, quote = start, 0
    while i < len(source):
        ch = source[i]
        if quote:
            if ch == quote:
                quote = 0
            elif ch == 0x5C and quote == 0x22:
                i += 1
        elif ch in (0x27, 0x22):
            quote = ch
        elif ch == 0x5C:
            i += 1
        elif ch in _WORD_END:
            break
        i += 1
    return min(i, len(source))


def _top_level_commas(word: bytes) -> list[int]:
    """Offsets of the commas of ``{a,b,...}`` when the word is exactly one such expansion."""
    if len(word) < 3 or word[:1] != b"{" or word[-1:] != b"}":
        return []
    depth, quote, commas, i = 0, 0, [], 0
    while i < len(word):
        ch = word[i]
        if quote:
            if ch == quote:
                quote = 0
        elif ch in (0x27, 0x22):
            quote = ch
        elif ch == 0x5C:
            i += 1
        elif ch == 0x7B:
            depth += 1
        elif ch == 0x7D:
            depth -= 1
            if depth == 0 and i != len(word) - 1:
                return []  # `{a,b}c` or `{a}{b}`: not one plain expansion
        elif ch == 0x2C and depth == 1:
            commas.append(i)
        i += 1
    return commas if depth == 0 else []


def _spread_braces(source: bytes, spans: list[tuple[int, int]]) -> bytes:
    """``{rm,-rf,/}`` -> `` rm -rf / ``: the words bash makes of it, at the same offsets."""
    out = bytearray(source)
    for start, end in spans:
        for offset in [0, end - start - 1, *_top_level_commas(source[start:end])]:
            out[start + offset] = 0x20
    return bytes(out)
