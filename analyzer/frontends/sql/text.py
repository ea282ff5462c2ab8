"""SQL text before parsing: templates and placeholders neutralised, statements split, comments found.

sqlglot cannot parse Jinja/dbt templates or pyformat placeholders, and parsing a
whole script at once loses every statement after the first bad one. This
module rewrites the text so that each template or placeholder becomes an
identifier playing the same role (newlines are kept, so line numbers stay
right; an offset map leads back to original columns), tokenizes it with
sqlglot's own tokenizer, splits statements on ``;`` tokens and T-SQL ``GO``
lines, and reads the real comments from the gaps between tokens (a ``--``
inside a string literal is inside a token, so it never becomes a comment).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import TokenError
from sqlglot.tokens import Token, TokenType

from ...records import Record

# Identifiers that stand for something the SQL text does not say.
HOLE_PREFIX = "__execgate_hole_"      # an f-string / str.format hole (set by the Python front end or here)
PARAM_PREFIX = "__execgate_param_"    # a driver placeholder: %s, %(name)s
TEMPLATE_PREFIX = "__execgate_tpl_"   # a Jinja expression {{ ... }} that is not ref()/source()
MARKER = re.compile(r"__execgate_(?:hole|param|tpl)_\w*?__", re.IGNORECASE)
# Markers whose number says which value they stand for (the same template expression or placeholder,
# the same marker); a hole or driver parameter is numbered per string and says nothing.
ANONYMOUS_MARKER = re.compile(r"__execgate_(?:hole|param)_\w*?__", re.IGNORECASE)


def shown(text: str) -> str:
    """A name or text as reported: every marker shown as ``{}``."""
    return MARKER.sub("{}", text)

# Words a SQL statement starts with: a string that starts with one is SQL (cron.schedule's job, a
# \\gexec template, the SQL strings of a JavaScript procedure).
STATEMENT_WORDS = frozenset({"DELETE", "UPDATE", "DROP", "TRUNCATE", "ALTER", "INSERT", "MERGE", "GRANT", "REVOKE",
                             "VACUUM", "CALL", "COPY", "CREATE", "SELECT", "WITH", "DO", "EXECUTE", "ANALYZE",
                             "REINDEX", "REFRESH", "CLUSTER", "COMMENT", "RENAME", "UNLOAD", "EXPORT", "PURGE",
                             "OPTIMIZE", "REPLACE", "UPSERT"})

_BLOCK_TAGS = frozenset({"set", "endset", "macro", "endmacro", "call", "endcall", "do", "materialization",
                         "endmaterialization", "test", "endtest", "snapshot", "endsnapshot", "docs", "enddocs"})
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#(.*?)#\}", re.DOTALL)
_REF = re.compile(r"\{\{-?\s*ref\(\s*(?:['\"][^'\"]*['\"]\s*,\s*)?['\"]([\w.$-]+)['\"]\s*(?:,[^)]*)?\)\s*-?\}\}")
_SOURCE = re.compile(r"\{\{-?\s*source\(\s*['\"]([\w.$-]+)['\"]\s*,\s*['\"]([\w.$-]+)['\"]\s*\)\s*-?\}\}")
_PYFORMAT_TYPES = frozenset("sdifbrx")
_WORD = re.compile(r"\w+")


class Edit(Record, frozen=True):
    """Replace ``text[start:end]`` of the original with ``replacement``."""

    start: int
    end: int
    replacement: str


class Rewritten(Record, frozen=True):
    """The neutralised text and the way back to positions in the original."""

    text: str
    # (new_start, new_end, old_start, old_end) for every replaced span, sorted.
    spans: tuple[tuple[int, int, int, int], ...] = ()
    _new_starts: tuple[int, ...] = ()

    def to_old(self, pos: int, end: bool = False) -> int:
        """Offset in the original text of offset ``pos`` of the rewritten text
        (``end``: ``pos`` is an exclusive end, so a replaced span maps to its old end)."""
        index = bisect.bisect_right(self._new_starts, pos - 1 if end else pos) - 1
        if index < 0:
            return pos
        _, new_end, old_start, old_end = self.spans[index]
        if pos < new_end or (end and pos == new_end):
            return old_end if end else old_start
        return pos - new_end + old_end


class FoundComment(Record, frozen=True):
    offset: int     # in the original text
    text: str       # without the marker


class Statement(Record, frozen=True):
    """One statement: its tokens (of the rewritten text) and where it sits."""

    tokens: tuple[Token, ...]
    sql: str           # rewritten text of the statement
    source: str        # the rewritten text the tokens' offsets point into
    offset: int        # start offset in the original text
    end_offset: int    # end offset (exclusive) in the original text
    # True when some tokens were re-read from an opaque command tail: the
    # parser must then tokenize ``sql`` itself instead of reusing ``tokens``.
    reparse: bool = False
    # True for the first statement of a procedural block (it follows BEGIN): declarations end here.
    opens_block: bool = False


class BeginWords(Record, frozen=True):
    """What a leading ``BEGIN`` opens, by the word after it (``begin_words`` in rules/sql.yaml)."""

    transaction: frozenset[str] = frozenset()      # BEGIN TRANSACTION: a statement of its own
    block_words: tuple[tuple[str, ...], ...] = ()  # BEGIN TRY, BEGIN NOT ATOMIC: a block opened by all the words

    def starts_transaction(self, word: str) -> bool:
        return word.upper() in self.transaction

    def opening(self, words: Sequence[str]) -> int:
        """How many of ``words`` (those after BEGIN) still open the block (TRY: 1, NOT ATOMIC: 2)."""
        upper = tuple(w.upper() for w in words)
        return max((len(b) for b in self.block_words if upper[:len(b)] == b), default=0)


class Split(Record, frozen=True):
    statements: list[Statement]
    comments: list[FoundComment]
    errors: list[tuple[int, str]]  # (offset in original, message)
    dialect: str | None            # the tokenizer's dialect


def apply_edits(text: str, edits: Sequence[Edit]) -> Rewritten:
    """Apply non-overlapping edits and remember where every replaced span came from."""
    parts: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    old_pos = new_pos = 0
    for edit in sorted(edits, key=lambda e: e.start):
        if edit.start < old_pos:
            continue
        parts.append(text[old_pos:edit.start])
        new_pos += edit.start - old_pos
        parts.append(edit.replacement)
        spans.append((new_pos, new_pos + len(edit.replacement), edit.start, edit.end))
        new_pos += len(edit.replacement)
        old_pos = edit.end
    parts.append(text[old_pos:])
    return Rewritten("".join(parts), tuple(spans), tuple(s[0] for s in spans))


def _keep_lines(replacement: str, replaced: str) -> str:
    """The replacement followed by as many newlines as the replaced text had (line numbers stay)."""
    return replacement + "\n" * replaced.count("\n")


class _Block:
    """A Jinja block found by :func:`_jinja_blocks` (the parts of ``re.Match`` that are used)."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, index: int) -> str | None:
        body = self.text[self._start:self._end]
        if index == 0:
            return body
        return body[2:-2] if body.startswith("{#") else None


def _jinja_blocks(text: str):
    """``{{ }}``, ``{% %}`` and ``{# #}`` blocks; quotes inside ``{{ }}``/``{% %}`` are respected,
    so ``{{ config(post_hook="grant ... {{ this }} ...") }}`` is one block."""
    position = 0
    while True:
        start = text.find("{", position)
        if start < 0 or start + 1 >= len(text):
            return
        opener = text[start + 1]
        if opener not in "{%#":
            position = start + 1
            continue
        closer = {"{": "}}", "%": "%}", "#": "#}"}[opener]
        index, quote = start + 2, None
        while index < len(text):
            char = text[index]
            if quote:
                if char == "\\":
                    index += 1
                elif char == quote:
                    quote = None
            elif char in "\"'" and opener != "#":
                quote = char
            elif text.startswith(closer, index):
                break
            index += 1
        else:
            match = _JINJA.search(text, start)   # an unterminated quote: fall back to the plain rule
            if match is None:
                return
            yield _Block(text, match.start(), match.end())
            position = match.end()
            continue
        yield _Block(text, start, index + 2)
        position = index + 2


def template_edits(text: str, placeholders: re.Pattern[str] | None = None) -> tuple[list[Edit], list[FoundComment]]:
    """Edits that neutralise Jinja/dbt: ref()/source() become table names, other
    expressions a marker identifier, tags disappear; ``{# #}`` are comments. A placeholder a
    migration tool or client fills in (``placeholders``: Flyway ``${flyway:defaultSchema}``,
    ``${schema}``) becomes a marker identifier too, the same one for the same placeholder (it
    has one value in one run)."""
    edits: list[Edit] = []
    comments: list[FoundComment] = []
    if placeholders is not None:
        distinct: dict[str, int] = {}
        for match in placeholders.finditer(text):
            number = distinct.setdefault(match.group(0), len(distinct))
            edits.append(Edit(match.start(), match.end(), f"{TEMPLATE_PREFIX}v{number}__"))
    if "{{" not in text and "{%" not in text and "{#" not in text:
        return edits, comments
    expressions: dict[str, int] = {}   # the same expression renders the same value: one marker
    for match in _jinja_blocks(text):
        body = match.group(0)
        if body.startswith("{#"):
            comments.append(FoundComment(match.start(), match.group(1).strip(" -\t\n")))
            replacement = ""
        elif body.startswith("{%"):
            # Block tags (macro, set ... endset, call, do) separate the SQL they hold from the SQL
            # around them; control tags (if, for, else) sit inside a statement.
            tag = body[2:].lstrip("-+ \t\n").split(None, 1)[0] if body[2:].strip("-+%} \t\n") else ""
            replacement = ";" if tag in _BLOCK_TAGS else " "
        elif _stands_alone(text, match.start(), match.end()):
            replacement = " "           # {{ config(...) }} before a statement renders no SQL
        elif ref := _REF.fullmatch(body):
            replacement = ref.group(1)
        elif source := _SOURCE.fullmatch(body):
            replacement = f"{source.group(1)}.{source.group(2)}"
        else:
            number = expressions.setdefault(" ".join(body.strip("{}-+ \t\n").split()), len(expressions))
            replacement = f"{TEMPLATE_PREFIX}{number}__"
        edits.append(Edit(match.start(), match.end(), _keep_lines(replacement, body)))
    return sorted(_without_nested(edits), key=lambda e: e.start), comments


def _without_nested(edits: list[Edit]) -> list[Edit]:
    """Edits that do not overlap an earlier (wider first) one: a ``${x}`` inside ``{{ }}`` goes with it."""
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, -e.end)):
        if not kept or edit.start >= kept[-1].end:
            kept.append(edit)
    return kept


_COMMENT_LINE = re.compile(r"(?:\n[ \t]*--[^\n]*)+$")


def _stands_alone(text: str, start: int, end: int) -> bool:
    """A ``{{ }}`` expression between statements: only blanks, comments, ``;`` or
    another template before it, and nothing else on its last line after it."""
    before = _COMMENT_LINE.sub("", "\n" + text[:start].rstrip()).rstrip()
    after = text[end:].split("\n", 1)[0]
    return (not before.strip() or before.endswith((";", "}"))) and not after.strip()


def _adjacent(tokens: Sequence[Token], i: int, count: int) -> bool:
    return i + count <= len(tokens) and all(tokens[j].end + 1 == tokens[j + 1].start for j in range(i, i + count - 1))


def placeholder_edits(tokens: Sequence[Token]) -> list[tuple[int, int, str]]:
    """(start, end, replacement) in token coordinates for pyformat placeholders
    (``%s``, ``%(name)s``) and str.format holes (``{name}``, ``{}``, ``{0}``)."""
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.token_type == TokenType.MOD:
            if _adjacent(tokens, i, 2) and tokens[i + 1].text.lower() in _PYFORMAT_TYPES:
                found.append((tok.start, tokens[i + 1].end + 1, f"{PARAM_PREFIX}{len(found)}__"))
                i += 2
                continue
            if (_adjacent(tokens, i, 5) and tokens[i + 1].token_type == TokenType.L_PAREN
                    and tokens[i + 3].token_type == TokenType.R_PAREN
                    and tokens[i + 4].text.lower() in _PYFORMAT_TYPES):
                found.append((tok.start, tokens[i + 4].end + 1, f"{PARAM_PREFIX}{len(found)}__"))
                i += 5
                continue
        if tok.token_type == TokenType.L_BRACE:
            if _adjacent(tokens, i, 2) and tokens[i + 1].token_type == TokenType.R_BRACE:
                found.append((tok.start, tokens[i + 1].end + 1, f"{HOLE_PREFIX}{len(found)}__"))
                i += 2
                continue
            if (_adjacent(tokens, i, 3) and tokens[i + 2].token_type == TokenType.R_BRACE
                    and _WORD.fullmatch(tokens[i + 1].text)):
                found.append((tok.start, tokens[i + 2].end + 1, f"{HOLE_PREFIX}{len(found)}__"))
                i += 3
                continue
        i += 1
    return found


def _tokenize(text: str, dialect: str | None) -> list[Token]:
    return Dialect.get_or_raise(dialect).tokenizer().tokenize(text)


def _clean(tokens: Sequence[Token]) -> bool:
    return not any(t.token_type == TokenType.UNKNOWN or t.token_type == TokenType.HASH for t in tokens)


def tokenize_any(text: str, dialect: str | None, order: Sequence[str]) -> tuple[list[Token], str | None]:
    """Tokens of ``text`` in ``dialect``, or, when it is unknown, in the first
    dialect of ``order`` that reads it without stray characters. Raises TokenError."""
    if dialect is not None:
        return _tokenize(text, dialect), dialect
    first: tuple[list[Token], str] | None = None
    error: TokenError | None = None
    for name in order:
        try:
            tokens = _tokenize(text, name)
        except TokenError as exc:
            error = error or exc
            continue
        if _clean(tokens):
            return tokens, name
        first = first or (tokens, name)
    if first is not None:
        return first
    raise error or TokenError("cannot tokenize")


def _gap_comments(gap: str, base: int, markers: tuple[str, ...]) -> list[tuple[int, str]]:
    """Comments in the text between two tokens (only whitespace and comments live there)."""
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(gap):
        if gap[i].isspace():
            i += 1
            continue
        if gap.startswith("/*", i):
            end = gap.find("*/", i + 2)
            end = len(gap) if end < 0 else end
            found.append((base + i, gap[i + 2:end].strip()))
            i = end + 2
            continue
        marker = next((m for m in markers if gap.startswith(m, i)), None)
        end = gap.find("\n", i)
        end = len(gap) if end < 0 else end
        found.append((base + i, gap[i + len(marker or ""):end].strip()))
        i = end
    return found


def token_comments(rewritten: Rewritten, tokens: Sequence[Token]) -> list[FoundComment]:
    """Every real comment: the non-blank text in the gaps between tokens."""
    text = rewritten.text
    found: list[FoundComment] = []
    markers = ("--", "//", "#")
    previous_end = 0
    for tok in [*tokens, None]:
        start = tok.start if tok is not None else len(text)
        gap = text[previous_end:start]
        if gap.strip():
            for offset, body in _gap_comments(gap, previous_end, markers):
                found.append(FoundComment(rewritten.to_old(offset), body))
        if tok is not None:
            previous_end = tok.end + 1
    return found


def is_go(tokens: Sequence[Token], i: int) -> bool:
    """A T-SQL batch separator: ``GO`` (optionally with a count) alone on its line."""
    tok = tokens[i]
    if tok.token_type not in (TokenType.VAR, TokenType.COMMAND) or len(tok.text) != 2 or tok.text.upper() != "GO":
        return False
    before = tokens[i - 1].line if i > 0 else 0
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if after is not None and after.line == tok.line and after.token_type == TokenType.NUMBER:
        after = tokens[i + 2] if i + 2 < len(tokens) else None
    return before < tok.line and (after is None or after.line > tok.line)


def split_tokens(rewritten: Rewritten, tokens: Sequence[Token], begin: BeginWords,
                 expanded: frozenset[tuple[int, int]] = frozenset()) -> list[Statement]:
    """Statements separated by ``;`` tokens and ``GO`` lines (``expanded``: spans of re-read tokens);
    the words that open a procedural block at a statement's start are left out of it."""
    statements: list[Statement] = []
    current: list[Token] = []
    skip_number = False
    skip_block = 0
    in_block = False

    def flush() -> None:
        nonlocal in_block
        if current:
            start, end = current[0].start, current[-1].end + 1
            statements.append(Statement(tuple(current), rewritten.text[start:end], rewritten.text,
                                        rewritten.to_old(start), rewritten.to_old(end, end=True),
                                        bool(expanded) and any((t.start, t.end) in expanded for t in current),
                                        in_block))
            current.clear()
            in_block = False

    for i, tok in enumerate(tokens):
        if skip_number and tok.token_type == TokenType.NUMBER:
            skip_number = False
            continue
        skip_number = False
        if tok.token_type == TokenType.SEMICOLON:
            flush()
        elif is_go(tokens, i):
            flush()
            skip_number = True
        elif skip_block:
            skip_block -= 1
        elif not current and (opening := block_opening(tokens, i, begin)):
            skip_block = opening - 1
            in_block = True
        else:
            current.append(tok)
    flush()
    return statements


def block_opening(tokens: Sequence[Token], i: int, begin: BeginWords) -> int:
    """How many tokens open a procedural block here (``BEGIN`` 1, T-SQL ``BEGIN TRY`` 2, MariaDB
    ``BEGIN NOT ATOMIC`` 3), 0 when none does (``BEGIN;``, ``BEGIN TRANSACTION``): the statement
    inside starts after them."""
    if tokens[i].text.upper() != "BEGIN" or i + 1 >= len(tokens):
        return 0
    following = tokens[i + 1]
    word = following.text.upper()
    if following.token_type == TokenType.SEMICOLON or begin.starts_transaction(word):
        return 0
    return 1 + begin.opening([t.text for t in tokens[i + 1:i + 4]])


_CHUNK_END = re.compile(r";[ \t]*(?:--[^\n]*)?$|^[ \t]*GO[ \t]*$", re.MULTILINE | re.IGNORECASE)


def _chunks(text: str) -> list[tuple[int, int]]:
    """Spans of text cut after every line that ends in ``;`` (used when tokenizing the whole fails)."""
    spans, start = [], 0
    for match in _CHUNK_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def split(text: str, dialect: str | None, tokenizer_order: Sequence[str], begin: BeginWords,
          placeholders: re.Pattern[str] | None = None) -> Split:
    """Neutralise, tokenize and split ``text``; a part that cannot be tokenized is an error, the rest goes on."""
    jinja, comments = template_edits(text, placeholders)
    staged = apply_edits(text, jinja)
    try:
        tokens, used, expanded = _tokens(staged.text, dialect, tokenizer_order)
        holes = placeholder_edits(tokens)
        if holes:
            edits = jinja + [Edit(staged.to_old(s), staged.to_old(e, end=True), r) for s, e, r in holes]
            staged = apply_edits(text, edits)
            tokens, used, expanded = _tokens(staged.text, used, tokenizer_order)
    except TokenError:
        return _split_in_chunks(text, dialect, tokenizer_order, begin, comments, placeholders)
    comments = sorted(comments + token_comments(staged, tokens), key=lambda c: c.offset)
    return Split(split_tokens(staged, tokens, begin, expanded), comments, [], used)


def _tokens(text: str, dialect: str | None,
            order: Sequence[str]) -> tuple[list[Token], str | None, frozenset[tuple[int, int]]]:
    """Tokenize ``text`` (the first dialect of ``order`` that reads it) and re-read opaque command tails."""
    tokens, used = tokenize_any(text, dialect, order)
    tokens, expanded = expand_commands(tokens, text, used)
    return tokens, used, expanded


def expand_commands(tokens: list[Token], text: str,
                    dialect: str | None) -> tuple[list[Token], frozenset[tuple[int, int]]]:
    """Re-read the tails of opaque commands. sqlglot's tokenizer swallows everything
    after VACUUM, CALL, EXECUTE, SHOW ... (T-SQL: END, GO) up to the next ``;`` into one raw
    STRING token; its words (and comments, and T-SQL ``GO`` lines) are needed here. A re-read
    tail may start with a command of its own (``END`` / ``GO`` / ``DROP ...``): it is re-read too."""
    commands = Dialect.get_or_raise(dialect).tokenizer_class.COMMANDS
    result: list[Token] = []
    expanded: set[tuple[int, int]] = set()
    pending = list(reversed(tokens))
    while pending:
        tok = pending.pop()
        previous = result[-1] if result else None
        # A swallowed tail is the text after its command, stripped; a real string literal
        # after a command (EXECUTE 'DROP ...') keeps its quotes in the text and is not one.
        if (previous is None or previous.token_type not in commands or tok.token_type != TokenType.STRING
                or not tok.text or text[previous.end + 1:tok.end + 1].strip() != tok.text):
            result.append(tok)
            continue
        rest_start = text.find(tok.text, previous.end + 1, tok.end + 1)
        try:
            inner = _tokenize(tok.text, dialect)
        except TokenError:
            result.append(tok)
            continue
        line = previous.line + text.count("\n", previous.end, rest_start)
        moved = [Token(sub.token_type, sub.text, line + sub.line - 1, sub.col,
                       sub.start + rest_start, sub.end + rest_start, sub.comments) for sub in inner]
        expanded.update((m.start, m.end) for m in moved)
        pending.extend(reversed(moved))
    return result, frozenset(expanded)


def _split_in_chunks(text: str, dialect: str | None, order: Sequence[str], begin: BeginWords,
                     comments: list[FoundComment], placeholders: re.Pattern[str] | None = None) -> Split:
    """Fallback for text the tokenizer rejects (an unterminated string or comment):
    cut it at line-final semicolons, so one bad statement does not hide the others."""
    statements: list[Statement] = []
    errors: list[tuple[int, str]] = []
    found = list(comments)
    used = dialect
    for start, end in _chunks(text):
        chunk = text[start:end]
        part = split(chunk, dialect, order, begin, placeholders) if (start, end) != (0, len(text)) else None
        if part is None or part.errors:
            errors.append((start + len(chunk) - len(chunk.lstrip()),
                           "could not tokenize SQL (unterminated string, quoted name or comment?)"))
            continue
        used = used or part.dialect
        statements.extend(_shift_statement(s, start) for s in part.statements)
        found.extend(FoundComment(c.offset + start, c.text) for c in part.comments)
    return Split(statements, sorted(set(found), key=lambda c: c.offset), errors, used)


def _shift_statement(statement: Statement, by: int) -> Statement:
    return Statement(statement.tokens, statement.sql, statement.source,
                     statement.offset + by, statement.end_offset + by, statement.reparse, statement.opens_block)
