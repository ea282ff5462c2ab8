"""Reading source files the way Python and editors do, or refusing them clearly."""
from __future__ import annotations

import codecs
import io

MAX_FILE_BYTES = 4 * 1024 * 1024
# Notebooks carry their outputs (plots, tables) which are not analysed: they may be larger.
MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024


def read_regular(path: str, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes, else None (a folder,
    a device or a FIFO that would block, a file too large to analyse, or one that cannot be read)."""
    import os
    import stat

    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except OSError:
        return None


def stdin_limit() -> int:
    """How many bytes of standard input are read: one more than can be analysed, to tell it is too large."""
    return MAX_FILE_BYTES + 1


class SourceError(Exception):
    """The file cannot be turned into text; the message is one line for the user."""


def decode(data: bytes, language: str) -> str:
    """Decode bytes as the language's own tools would: BOMs, Python coding cookies, UTF-8.

    Newlines are normalised to ``\\n`` (CRLF and lone CR), as Python's parser does."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceError(f"invalid UTF-16 at byte {exc.start}") from None
        return _normalise(text.lstrip("\ufeff"))
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise SourceError("UTF-32 text is not supported")
    if b"\x00" in data[:8192] or b"\x00" in data[-8192:]:
        raise SourceError("binary file (contains NUL bytes)")
    encoding = "utf-8-sig"
    if language == "python":
        import tokenize   # Python's own reading of coding cookies

        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            raise SourceError(str(exc)) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(f"not valid {encoding.replace('-sig', '')} (line {line}, byte {exc.start})") from None
    except LookupError:
        raise SourceError(f"unknown encoding {encoding!r} in the coding cookie") from None
    if "\x00" in text:
        raise SourceError("binary file (contains NUL bytes)")
    return _normalise(text.lstrip("\ufeff"))


def _normalise(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
