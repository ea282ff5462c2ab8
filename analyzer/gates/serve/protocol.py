"""The wire format between the hook client and ``execgate serve``: one request, one answer, per connection.

Each message is a frame: a 4-byte big-endian length, then that many bytes of UTF-8 JSON (lone
surrogates pass through, so any text a decision holds arrives unchanged). A frame longer than its
bound, shorter than its length says, or not a JSON object is no message at all: the reader raises
:class:`ProtocolError` and the caller treats the connection as dead.

Request: ``{"protocol": 1, "fingerprint": ..., "argv": [...], "stdin": <bytes as latin-1 text>,
"cwd": ..., "environ": {...}, "umask": int, "stdout_tty": bool, "stderr_tty": bool}``.
Answers: ``{"status": "ok", "code": int, "stdout": str, "stderr": str}`` (the decision);
``{"status": "stale"}`` (the server runs other code or rules than the client: it exits);
``{"status": "unavailable", "reason": str}`` (this call cannot be served here; decide in-process).

Only the standard library's json, socket and struct (not even typing): the client imports this on
every hook call.
"""
from __future__ import annotations

import json
import socket
import struct
from collections.abc import Mapping

PROTOCOL = 1
MAX_REQUEST_BYTES = 32 * 1024 * 1024   # a 4 MiB file in a hook event, the environment, JSON escapes
MAX_ANSWER_BYTES = 32 * 1024 * 1024
_HEADER = struct.Struct(">I")


class ProtocolError(Exception):
    """A frame that is missing, truncated, too large or not a JSON object."""


def encode(message: Mapping[str, object]) -> bytes:
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    return _HEADER.pack(len(body)) + body


def send(sock: socket.socket, message: Mapping[str, object], limit: int) -> None:
    frame = encode(message)
    if len(frame) - _HEADER.size > limit:
        raise ProtocolError(f"message of {len(frame) - _HEADER.size:,} bytes is over the {limit:,}-byte bound")
    sock.sendall(frame)


def receive(sock: socket.socket, limit: int) -> dict[str, object]:
    """One frame read whole, or ProtocolError; socket timeouts and errors propagate as OSError."""
    (length,) = _HEADER.unpack(_read_exactly(sock, _HEADER.size))
    if length > limit:
        raise ProtocolError(f"message of {length:,} bytes is over the {limit:,}-byte bound")
    body = _read_exactly(sock, length)
    try:
        message = json.loads(body.decode("utf-8", "surrogatepass"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError(f"message is not JSON: {exc}") from None
    if not isinstance(message, dict):
        raise ProtocolError("message is not a JSON object")
    return message


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = []
    remaining = size
    while remaining:
        chunk = sock.recv(min(remaining, 1 << 20))
        if not chunk:
            raise ProtocolError(f"connection closed after {size - remaining} of {size} bytes")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def request(fingerprint: str, argv: list[str], stdin: bytes, cwd: str, environ: Mapping[str, str], umask: int,
            stdout_tty: bool, stderr_tty: bool) -> dict[str, object]:
    # latin-1 maps each byte to one code point and back: stdin arrives byte for byte.
    return {"protocol": PROTOCOL, "fingerprint": fingerprint, "argv": list(argv), "stdin": stdin.decode("latin-1"),
            "cwd": cwd, "environ": dict(environ), "umask": umask, "stdout_tty": stdout_tty, "stderr_tty": stderr_tty}


def answer(code: int, stdout: str, stderr: str) -> dict[str, object]:
    return {"status": "ok", "code": code, "stdout": stdout, "stderr": stderr}


def decision_of(message: Mapping[str, object]) -> tuple[int, str, str] | None:
    """(code, stdout, stderr) of a complete "ok" answer; None for anything else, however close."""
    code, stdout, stderr = message.get("code"), message.get("stdout"), message.get("stderr")
    if message.get("status") != "ok" or set(message) != {"status", "code", "stdout", "stderr"}:
        return None
    if type(code) is not int or not isinstance(stdout, str) or not isinstance(stderr, str):
        return None
    return code, stdout, stderr
