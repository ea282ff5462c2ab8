"""Who may talk to whom: only processes of the same user, through a socket nobody else can reach.

Both ends check. The server keeps its folder 0700 and its socket 0600 and asks the kernel, for every
connection, which user is at the other end (``SO_PEERCRED``). The client uses a socket only when the
socket and its folder belong to its user and are closed to group and others, and then asks the kernel
the same question about the server, so a socket swapped in after the check is still caught.
Where the kernel cannot say who is at the other end, nobody is trusted.

Only os, socket, stat and struct: the client imports this on every hook call.
"""
from __future__ import annotations

import os
import socket
import stat
import struct

# struct ucred {pid_t pid; uid_t uid; gid_t gid;} (Linux)
_UCRED = struct.Struct("=iII")


def uid_from_credentials(raw: bytes) -> int | None:
    """The uid in a ``SO_PEERCRED`` answer, or None when it is not one."""
    if len(raw) != _UCRED.size:
        return None
    return _UCRED.unpack(raw)[1]


def peer_uid(sock: socket.socket) -> int | None:
    """The uid of the process at the other end of a Unix socket; None when the platform cannot say."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    try:
        return uid_from_credentials(sock.getsockopt(socket.SOL_SOCKET, option, _UCRED.size))
    except OSError:
        return None


def peer_is_me(sock: socket.socket) -> bool:
    return is_me(peer_uid(sock))


def is_me(uid: int | None) -> bool:
    """The credential names this process's user (an unknown credential never does)."""
    return uid is not None and uid == os.getuid()


def can_check_peers() -> bool:
    return hasattr(socket, "SO_PEERCRED")


def folder_problem(path: str) -> str | None:
    """Why ``path`` is not a private folder of this user (None when it is): a real folder, not a
    link, owned by this user, no access for group or others."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        return f"{path} is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return f"{path} is not a folder"
    return _ownership_problem(path, info, "folder")


def socket_problem(path: str) -> str | None:
    """Why ``path`` is not this user's private socket in a private folder (None when it is)."""
    problem = folder_problem(os.path.dirname(path) or ".")
    if problem:
        return problem
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"
    if not stat.S_ISSOCK(info.st_mode):
        return f"{path} is not a socket"
    return _ownership_problem(path, info, "socket")


def _ownership_problem(path: str, info: os.stat_result, kind: str) -> str | None:
    if info.st_uid != os.getuid():
        return f"{path}: the {kind} belongs to uid {info.st_uid}, not to this user (uid {os.getuid()})"
    if info.st_mode & 0o077:
        return f"{path}: the {kind} is open to group or others (mode {stat.S_IMODE(info.st_mode):04o})"
    return None
