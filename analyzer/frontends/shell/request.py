"""What an HTTP request sends, and where: the parts of a curl, wget or httpie command line.

A credential in a request's authentication (``-H "Authorization: Bearer $GITHUB_TOKEN"``,
``-u user:$TOKEN``) is how a client logs in to its service; the same credential in a body,
another header, the query string or the URL's path is data given to that host. A request is
split here into parts, each with its carrier (``auth``, ``header``, ``body``, ``query``,
``url``, ``file``), as the ``network:`` entries of ``rules/shell.yaml`` describe each tool's
options (``option_carriers``, ``payload_options``, ``item_separators``) and ``auth_headers``
names the headers that authenticate. network.py turns the parts into the details of what it
reports: ``credential`` and ``carrier`` for the secrets, ``source`` for a payload that is not
made of constants.
"""
from __future__ import annotations

import re

from ...records import Record
from .args import ParsedArgs
from .knowledge import Entry, Knowledge
from .state import Secret, Stdin
from .words import Word

AUTH, HEADER, BODY, QUERY, URL, FILE = "auth", "header", "body", "query", "url", "file"
PAYLOAD = (BODY, FILE)
STDIN_FILES = ("-", "/dev/stdin")       # the file name that means "standard input"


class Part(Record, frozen=True):
    """One thing a request sends: a URL, a header, credentials, a body or a file."""

    carrier: str                  # auth | header | body | query | url | file
    word: Word | None             # the word that holds it; None for the standard input
    text: str = ""                # its text, without the option (``--header=``) or the item's name
    reads: str | None = None      # the file whose content it sends (``-``: the standard input)

    @property
    def constant(self) -> bool:
        """Sends only text written in the script and configuration from the environment
        (``-d "deployed $CI_COMMIT_SHA"``): no file, no value the script makes at run time."""
        return self.word is not None and not self.word.computed and self.reads is None


class Request(Record, frozen=True):
    urls: list[str]
    parts: list[Part]

    @property
    def payload(self) -> bool:
        """Whether it sends a body or a file (not only a URL, headers and credentials)."""
        return any(part.carrier in PAYLOAD for part in self.parts)


def http_request(know: Knowledge, spec: Entry, args: ParsedArgs) -> Request:
    """The parts of a curl or wget command line."""
    parts = [Part(URL, word, text) for word, text in _values(args, spec.get("url_flags", []))]
    parts += [Part(URL, word, word.shown) for word in args.operands]
    parts += _option_parts(know, spec, args)
    for flag, how in (spec.get("payload_options") or {}).items():
        parts += [_payload(str(how), word, text) for word, text in _values(args, [flag])]
    return Request([p.text for p in parts if p.carrier == URL], parts)


def httpie_request(know: Knowledge, spec: Entry, args: ParsedArgs, stdin: Stdin | None) -> Request | None:
    """The parts of ``http [METHOD] URL ITEM...`` (httpie, xh); None without a URL."""
    operands = list(args.operands)
    if operands and re.fullmatch(r"[A-Z]+", operands[0].shown):
        operands = operands[1:]  # the method
    if not operands:
        return None
    url = operands[0]
    parts = [Part(URL, url, url.shown), *_option_parts(know, spec, args)]
    parts += [part for word in operands[1:] if (part := _item(know, spec, word)) is not None]
    if stdin is not None and not args.has(spec.get("stdin_flags_none", [])):
        parts.append(Part(BODY, None, "", reads="-"))
    return Request([url.shown], parts)


def _values(args: ParsedArgs, flags: list[str]) -> list[tuple[Word, str]]:
    """Each value given to one of ``flags``: the word that holds it and the value's text
    (``--header=X: y`` and ``-HX: y`` hold the option's name too)."""
    # flag_words and flags keep step for options that take a value (args.py adds both at once)
    return [pair for flag in flags for pair in zip(args.flag_words.get(flag, []), args.flags.get(flag, []),
                                                   strict=False)]


def _option_parts(know: Knowledge, spec: Entry, args: ParsedArgs) -> list[Part]:
    parts = []
    for flag, carrier in (spec.get("option_carriers") or {}).items():
        for word, text in _values(args, [flag]):
            parts.append(Part(header_carrier(know, text) if carrier == HEADER else str(carrier), word, text))
    return parts


def header_carrier(know: Knowledge, header: str) -> str:
    """``Authorization: Bearer x`` authenticates; ``X-Trace: x`` is just a header."""
    name = re.split(r"[:;]", header, maxsplit=1)[0]
    return AUTH if know.is_auth_header(name) else HEADER


def _payload(how: str, word: Word, text: str) -> Part:
    """A body or upload option's value, as the tool reads it (rules/shell.yaml `payload_options`)."""
    if how == "text" and text.startswith("@"):
        return Part(BODY, word, text, reads=text[1:])
    if how == "name_text":
        named = re.match(r"[^=@]*@(.*)", text, re.S)
        return Part(BODY, word, text, reads=named.group(1) if named else None)
    if how == "form":
        _, _, value = text.partition("=")
        if value[:1] in ("@", "<"):
            return Part(FILE if value[0] == "@" else BODY, word, text, reads=value[1:].split(";")[0])
        return Part(BODY, word, text)
    if how == "upload":
        return Part(FILE, word, text, reads=text)
    if how == "file":
        return Part(BODY, word, text, reads=text)
    return Part(BODY, word, text)


def _item(know: Knowledge, spec: Entry, word: Word) -> Part | None:
    """One httpie request item (``name=value``, ``q==x``, ``Header:value``, ``f@file`` ...)."""
    text = word.shown
    separators = spec.get("item_separators") or {}
    found = [(text.find(sep), -len(sep), str(sep)) for sep in separators if sep in text]
    if not found:
        return None
    index, _, separator = min(found)
    carrier, value = str(separators[separator]), text[index + len(separator):]
    if carrier == HEADER:
        carrier = header_carrier(know, text[:index])
    reads = value if separator in spec.get("file_separators", []) else None
    return Part(carrier, word, value, reads=reads)


def place(part: Part, secret: Secret) -> str:
    """Where a secret found in a part travels: a URL's user part authenticates, its query and
    the rest (path, host) are the URL; other parts travel as their carrier says."""
    if part.carrier != URL:
        return part.carrier
    text = part.text
    index = text.find(secret.spelt) if secret.spelt else -1
    if index < 0:
        return URL
    start = text.find("://") + 3 if "://" in text else 0
    end = min([i for i in (text.find(c, start) for c in "/?#") if i >= 0] or [len(text)])
    user = text.rfind("@", start, end)
    if start <= index < user:
        return AUTH
    query = text.find("?")
    if 0 <= query < index:
        fragment = text.find("#", query)
        return QUERY if fragment < 0 or index < fragment else URL
    return URL


def payload_data(parts: list[Part], stdin: Stdin | None) -> list[tuple[str, str]]:
    """What a request's payload holds that is not only constants, with its carrier: the files it
    reads, the values the script makes at run time, the command that feeds its standard input.
    Empty for a constant payload (``-d '{}'``, a notification's fixed text)."""
    data = []
    for part in parts:
        if part.carrier not in PAYLOAD or part.constant:
            continue
        if part.reads in STDIN_FILES:
            if stdin is None or (stdin.constant is None and not stdin.secrets):  # its secrets speak for it
                data.append((part.carrier, f"standard input from {stdin.producer}" if stdin else "standard input"))
        else:
            data.append((part.carrier, part.text))
    return data
