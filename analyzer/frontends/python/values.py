"""What the Python front end knows about a value without running anything.

A :class:`Value` is the abstract result of an expression: the dotted name it
resolves to (``shutil.rmtree``, ``boto3.client()``), its constant content when
it can be folded (strings built with ``+``, ``%``, ``.format``, f-strings,
``join``, slices, ``chr``, and decodings of constant payloads), where its data
came from (taint), whether it is a scratch path, and whether it stands for many
paths at once (a directory listing or glob, an element of a loop).
"""
from __future__ import annotations

import ast
import base64
import binascii
import bz2
import codecs
import gzip
import lzma
import re
import zlib
from collections.abc import Callable, Iterable
from typing import Any

from ...records import Record, field, replace

HOLE = "__execgate_hole_{}__"
HOLE_PATTERN = re.compile(r"__execgate_hole_\d+__")
MAX_CONST = 1_000_000  # longer folded strings are not kept (bounded memory on hostile input)


class Value(Record, frozen=True):
    qname: str | None = None          # resolved dotted name; "()" marks a call, "[]" a subscript
    const: object = None              # str | bytes | int | float | bool | tuple | dict of constants
    known: bool = False               # const is meaningful (None can be a real constant)
    partial: bool = False             # const is a string with holes for unknown parts
    taint: frozenset = frozenset()    # names of the sources the data came from
    scratch: bool = False             # a temporary path made in this unit
    node: ast.expr | None = None      # the literal node that holds the constant, for locations
    host: str | None = None           # for client objects: the host or bucket they talk to
    function: FunctionSummary | None = None   # for local functions: their summary
    elements: tuple = ()              # element Values of a list/tuple/dict literal (taint of parts)
    calls: tuple = ()                 # (method, first constant argument) of the calls that made it
    options: tuple = ()               # the Values it may be one of (a loop over a list, dict[key])
    members: tuple = ()               # (constant key, Value) of a dict literal
    listing: str | None = None        # many paths: the glob a listing matches (its elements carry it too)
    each: bool = False                # an element of a loop or comprehension over a collection of unknown size
    record: bool = False              # an instance of a record class: its members are its fields (cfg.mode)
    bound: tuple = ()                 # functools.partial of a local function: (arguments, keyword items) bound
    opened: str | None = None         # a file object open on this path (``open("sql/reset.sql")``)
    file_text: str | None = None      # the text of the file at this path (or glob): read where it runs
    anchor: str | None = None         # a path named from __file__, relative to the file's folder (anchors.py)

    @property
    def text(self) -> str | None:
        """The constant as text (bytes decoded), or None."""
        if not self.known:
            return None
        if isinstance(self.const, str):
            return self.const
        if isinstance(self.const, bytes):
            try:
                return self.const.decode("utf-8")
            except UnicodeDecodeError:
                return None
        return None

    def with_taint(self, taint: frozenset) -> Value:
        return replace(self, taint=self.taint | taint) if taint - self.taint else self


UNKNOWN = Value()


class FunctionSummary(Record):
    """What a local function does, as far as a call to it needs to know."""

    name: str
    returns: Value = UNKNOWN
    returned: bool = False
    generator: bool = False   # what it gives back is what it yields
    escapes: bool = False     # handed to code not read here (atexit.register(f), a decorator): called unseen
    node: ast.FunctionDef | ast.AsyncFunctionDef | None = None   # read again with a call's arguments
    # (rule, targets, source) of what the body showed read with unknown arguments
    found: frozenset[tuple[str, tuple[str, ...], str]] = frozenset()
    # Destructive operations of the body (index in the unit's operations -> (rule, line)), and
    # whether every call seen so far gave them a scratch target (absent: no call seen).
    body_ops: dict[int, tuple[str, int]] = field(default_factory=dict)
    scratch_at_calls: dict[int, bool] = field(default_factory=dict)
    # where each of those happens in the end (file, line): a helper it calls, for a call through one
    body_origins: dict[int, tuple[str, int]] = field(default_factory=dict)
    defaults: dict[str, Value] = field(default_factory=dict)   # parameter -> its default's value
    # A record class (dataclass, attrs, pydantic, NamedTuple): its fields in order, with defaults.
    fields: tuple[str, ...] | None = None
    # What reading the body with one call's arguments found, keyed by those arguments: read once.
    inlined: dict[str, tuple[list, Value | None, tuple, tuple]] = field(default_factory=dict)
    hoisted: bool = False   # bound before its definition was read (a module function called from above it)
    methods: dict[str, FunctionSummary] = field(default_factory=dict)   # of a class: its methods by name
    # Of a class: what its methods, read on their own, set on self (self.path = ...), by attribute.
    attributes: dict[str, Value] = field(default_factory=dict)
    owner: FunctionSummary | None = None   # of a method: its class (self.other() inside it)
    method: bool = False    # takes the instance as its first parameter
    takes_class: bool = False   # a classmethod: takes its class first (cls(...) makes an instance)
    path: str = ""          # the file it is written in (a sibling module's functions run elsewhere)
    globals: dict[str, Value] | None = field(default=None)   # the names of its module


def const(value: object, node: ast.expr | None = None, partial: bool = False, taint: frozenset = frozenset(),
          scratch: bool = False) -> Value:
    if isinstance(value, (str, bytes)) and len(value) > MAX_CONST:
        return Value(taint=taint, scratch=scratch)
    return Value(const=value, known=True, node=node, partial=partial, taint=taint, scratch=scratch)


def merge_taint(values: Iterable[Value]) -> frozenset:
    result: frozenset = frozenset()
    for value in values:
        if value.taint:
            result = result | value.taint
    return result


def spread(value: Value, sources: Iterable[Value]) -> Value:
    """``value`` made of ``sources``: a path built from an element of a listing (``os.path.join(d, f)``
    for ``f`` in ``os.listdir(d)``) stands for many paths too."""
    listing = value.listing
    each = value.each
    for source in sources:
        listing = listing or source.listing
        each = each or source.each
    if listing == value.listing and each == value.each:
        return value
    return replace(value, listing=listing, each=each)


class Holes:
    """Numbers the holes of one unit so the SQL and shell front ends see distinct placeholders,
    and remembers where the data of each hole came from (which part of a URL carries a secret)."""

    def __init__(self) -> None:
        self.count = 0
        self.taint: dict[str, frozenset] = {}

    def new(self, taint: frozenset = frozenset()) -> str:
        self.count += 1
        hole = HOLE.format(self.count)
        if taint:
            self.taint[hole] = taint
        return hole


def as_text_piece(value: Value, holes: Holes) -> tuple[str, bool]:
    """The text a value contributes to a string being built: its constant, or a hole.

    An unknown temporary path becomes a hole under ``$TMPDIR``, so a shell command built
    from it (``rm -rf {work}``) is still known to touch scratch only."""
    if value.known and not isinstance(value.const, (bytes, tuple, dict, list)):
        if isinstance(value.const, str):
            return value.const, value.partial
        return str(value.const), False
    if value.scratch:
        return "${TMPDIR}/" + holes.new(value.taint), True
    return holes.new(value.taint), True


# Each raises TypeError or ValueError on a payload of the wrong kind.
_DECODERS: dict[str, Callable[[Any], bytes | bytearray]] = {
    "base64.b64decode": base64.b64decode, "base64.standard_b64decode": base64.standard_b64decode,
    "base64.urlsafe_b64decode": base64.urlsafe_b64decode, "base64.b32decode": base64.b32decode,
    "base64.b16decode": base64.b16decode, "base64.a85decode": base64.a85decode, "base64.b85decode": base64.b85decode,
    "base64.decodebytes": base64.decodebytes, "binascii.unhexlify": binascii.unhexlify,
    "binascii.a2b_hex": binascii.a2b_hex, "binascii.a2b_base64": binascii.a2b_base64,
    "bytes.fromhex": bytes.fromhex, "bytearray.fromhex": bytearray.fromhex,
}
_DECOMPRESSORS: dict[str, Callable[[bytes | bytearray], bytes]] = {
    "zlib.decompress": zlib.decompress, "gzip.decompress": gzip.decompress, "bz2.decompress": bz2.decompress,
    "lzma.decompress": lzma.decompress}
_CODECS = {"rot13", "rot_13", "hex", "hex_codec", "base64", "base64_codec", "zlib", "zlib_codec", "bz2", "bz2_codec",
           "utf-8", "utf8", "ascii", "latin-1", "latin1", "utf_8", "unicode_escape", "uu", "quopri"}


def decode_call(name: str, args: list[Value]) -> Value | None:
    """Fold a decoding of a constant payload (base64, hex, rot13, zlib ...), or None."""
    if not args or not args[0].known or args[0].partial:
        return None
    payload = args[0].const
    try:
        if name in _DECODERS and isinstance(payload, (str, bytes)):
            return const(bytes(_DECODERS[name](payload)))
        if name in _DECOMPRESSORS and isinstance(payload, (bytes, bytearray)):
            # Bounded: a decompression bomb must not exhaust memory.
            if name == "zlib.decompress":
                result = zlib.decompressobj().decompress(payload, MAX_CONST)
            else:
                result = _DECOMPRESSORS[name](payload)[:MAX_CONST]
            return const(result)
        if name in ("codecs.decode", "codecs.encode") and isinstance(payload, (str, bytes)):
            encoding = args[1].const if len(args) > 1 and args[1].known else "utf-8"
            if not isinstance(encoding, str) or encoding.lower() not in _CODECS:
                return None
            # Which of str and bytes a codec takes depends on the codec: a wrong one raises TypeError.
            function: Callable[[Any, str], str | bytes] = codecs.decode if name == "codecs.decode" else codecs.encode
            return const(function(payload, encoding))
    except (ValueError, TypeError, binascii.Error, zlib.error, OSError, EOFError, lzma.LZMAError, LookupError):
        return None
    return None


_STR_METHODS = {"lower", "upper", "strip", "lstrip", "rstrip", "swapcase", "title", "capitalize", "casefold",
                "replace", "removeprefix", "removesuffix", "decode", "encode", "format", "join", "zfill", "center",
                "ljust", "rjust", "translate", "expandtabs"}
# Tests on a constant string (if table.startswith(prefix): a helper read with a known prefix picks
# the tables it names); a string with unknown parts answers none of them.
_STR_TESTS = {"startswith", "endswith", "isdigit", "isalpha", "isalnum", "islower", "isupper", "isspace",
              "isidentifier"}


def str_method(receiver: Value, method: str, args: list[Value], holes: Holes) -> Value | None:
    """Fold a method call on a constant string or bytes."""
    if not receiver.known or not isinstance(receiver.const, (str, bytes)) or \
            method not in _STR_METHODS and (method not in _STR_TESTS or receiver.partial):
        return None
    base = receiver.const
    taint = receiver.taint | merge_taint(args)
    if method == "format" and isinstance(base, str):
        pieces = [as_text_piece(a, holes) for a in args]
        partial = receiver.partial or any(p for _, p in pieces)
        try:
            return const(base.format(*[t for t, _ in pieces]), partial=partial, taint=taint)
        except (IndexError, KeyError, ValueError):
            return const(re.sub(r"\{[^{}]*\}", lambda m: holes.new(taint), base), partial=True, taint=taint)
    if method == "join":
        items = args[0] if args else None
        if items is None or not items.known or not isinstance(items.const, (tuple, list)):
            if items is not None and items.elements and isinstance(base, str):
                pieces = [as_text_piece(e, holes) for e in items.elements]
                return const(base.join(t for t, _ in pieces), partial=True, taint=taint | merge_taint(items.elements))
            return None
        parts = items.const
        if all(isinstance(p, type(base)) for p in parts):
            return const(base.join(parts), partial=receiver.partial or items.partial, taint=taint)
        return None
    constants = [a.const for a in args]
    if not all(a.known and not a.partial for a in args):
        return None
    try:
        if method == "decode" and isinstance(base, bytes):
            encoding = constants[0] if constants else "utf-8"
            if isinstance(encoding, str) and encoding.lower() in _CODECS:
                return const(codecs.decode(base, encoding), partial=receiver.partial, taint=taint)
            return None
        if method == "encode" and isinstance(base, str):
            texts = [c for c in constants if isinstance(c, str)]
            if len(texts) != len(constants):
                return None   # str.encode takes text only
            return const(base.encode(*texts), partial=receiver.partial, taint=taint)
        result = getattr(base, method)(*constants)
    except (TypeError, ValueError, LookupError, AttributeError):
        return None
    return const(result, partial=receiver.partial, taint=taint)


def percent_format(template: Value, args: Value, holes: Holes) -> Value | None:
    """Fold ``"..." % args``; unknown arguments become holes."""
    if not template.known or not isinstance(template.const, str):
        return None
    taint = template.taint | args.taint | merge_taint(args.elements)
    if args.known and not args.partial:
        try:
            return const(template.const % args.const, partial=template.partial, taint=taint)
        except (TypeError, ValueError, KeyError):
            pass
    filled = re.sub(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdrifxXeEgGc]", lambda m: holes.new(taint),
                    template.const)
    return const(filled.replace("%%", "%"), partial=True, taint=taint)


def sequence_value(elements: list[Value], kind: type) -> Value:
    taint = merge_taint(elements)
    if all(e.known for e in elements):
        return Value(const=kind(e.const for e in elements), known=True, partial=any(e.partial for e in elements),
                     taint=taint, elements=tuple(elements), scratch=False)
    return Value(taint=taint, elements=tuple(elements))
