"""The hook's side of the warm server: ask ``execgate serve`` for the decision, or say "decide it yourself".

:func:`ask` returns the server's (exit code, stdout, stderr), or None, and None always means the
same thing: no usable server, decide in-process. It never refuses on its own and never returns a
decision it did not receive whole. Why None rather than a refusal when the server is dead, stale or
broken: the in-process path is the reference the server must match (it reaches the same decision,
fails closed the same way, and records to the same audit log), so falling back to it is exactly
as safe as a healthy server and keeps a crashed server from turning into a refusal of every call.
A partial answer is never read as a decision, so a dying server cannot produce an "allow".

None when:

* ``EXECGATE_NO_SERVER`` is set, or there is no socket (the common case: one ``lstat``), or the
  platform cannot say which user serves a socket (no ``SO_PEERCRED``);
* the socket or its folder is not this user's, or is open to group or others (never trust a socket
  someone else made), or the process answering is not this user's (``SO_PEERCRED``);
* the connection is refused (a socket file left behind by a dead server) or times out;
* the request would be larger than the protocol's bound;
* the answer is "stale" (the server runs other code or rules: it exits), "unavailable", truncated,
  malformed, over its bound, or the server closes the connection or dies mid-request;
* anything else goes wrong in the client itself.

When the server dies after it recorded its decision, the in-process path records it again: a
duplicate audit record, never a missing one.

Cheap: with no socket on disk (the common case) a call costs one ``lstat`` and imports nothing but
``os``; socket, json and the small modules beside it are imported only when a socket is there.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

from .location import default_socket_path, server_disabled

CONNECT_SECONDS = 1.0
ENV_TIMEOUT = "EXECGATE_SERVER_TIMEOUT"
ANSWER_SECONDS = 30.0   # a big file can take seconds; an agent's hook timeout is usually a minute


def ask(argv: list[str], stdin: bytes, cwd: str, environ: Mapping[str, str], *, stdout_tty: bool = False,
        stderr_tty: bool = False) -> tuple[int, str, str] | None:
    """The server's decision on ``execgate ARGV`` with this stdin, working folder and environment
    (``stdout_tty``/``stderr_tty``: whether the caller's streams are terminals, which decides colour);
    None: no usable server, run in-process (see the module docstring)."""
    if server_disabled(environ):
        return None
    try:
        path = default_socket_path(environ)
        if not os.path.lexists(path):
            return None   # the common case: no server, and nothing more imported than os
        from . import protocol, trust
        from .fingerprint import fingerprint

        if not trust.can_check_peers() or trust.socket_problem(path):
            return None
        message = protocol.request(fingerprint(), argv, stdin, cwd, environ, _umask(), stdout_tty, stderr_tty)
        return _exchange(path, message, _answer_seconds(environ))
    except Exception:  # noqa: BLE001 - whatever went wrong here, the in-process path decides (never a guess)
        return None


def _exchange(path: str, message: dict[str, object], answer_seconds: float) -> tuple[int, str, str] | None:
    import socket

    from . import protocol, trust

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(CONNECT_SECONDS)
        sock.connect(path)
        if not trust.peer_is_me(sock):
            return None
        sock.settimeout(answer_seconds)
        protocol.send(sock, message, protocol.MAX_REQUEST_BYTES)
        sock.shutdown(socket.SHUT_WR)
        return protocol.decision_of(protocol.receive(sock, protocol.MAX_ANSWER_BYTES))


def _answer_seconds(environ: Mapping[str, str]) -> float:
    try:
        seconds = float(environ.get(ENV_TIMEOUT, ANSWER_SECONDS))
    except ValueError:
        return ANSWER_SECONDS
    return seconds if seconds > 0 else ANSWER_SECONDS


def _umask() -> int:
    # The only way to read it is to set it; the server applies it while it decides (audit files it creates).
    mask = os.umask(0o077)
    os.umask(mask)
    return mask
