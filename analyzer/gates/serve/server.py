"""The warm server: one Unix socket, one decision per connection, the same decision the hook makes alone.

Start (:meth:`Server.open`): the folder is created 0700 and must be a real folder of this user closed
to group and others; a socket left behind by a dead server is removed, a live one is left alone; the
socket is bound under umask 0177, set to 0600 and checked again before anyone can be served. A
platform where the kernel cannot say who connects (no ``SO_PEERCRED``) is refused.

Each connection (:meth:`Server.serve`) gets a thread with a deadline: the peer must be this user
(``SO_PEERCRED``) or the connection is closed unanswered; the request is one bounded frame
(:mod:`analyzer.gates.serve.protocol`); a request from other code or rules than the server's
(fingerprint) gets "stale" and the server stops.

Decisions are made one at a time under one lock. Several caches below are not safe to share
between threads (the shell front end's one tree-sitter parser, the Python front end's stack of
modules being read and its module summaries, the catalogue's lru caches filling), and a decision
takes milliseconds, so serialising costs little; reading and writing the sockets stays concurrent.
While it decides, the process takes the client's working folder, environment and umask, and gives
them to ``decide`` too: whatever the code below reads from the process (relative paths, the
environment, the mode of an audit log it creates) is what the hook process would have read.

Stop: :meth:`Server.stop` (the command calls it on SIGTERM and SIGINT), the idle timeout, a stale
request, or the socket file removed or replaced; :meth:`Server.close` removes the socket only if it
is still the one this server bound.
"""
from __future__ import annotations

import contextlib
import os
import socket
import stat
import threading
import time
from collections.abc import Callable, Mapping

from ...records import Record
from . import protocol, trust


class Call(Record, frozen=True):
    """One client's call: ``execgate ARGV`` with its stdin, working folder, environment, umask and terminals."""

    argv: list[str]
    stdin: bytes
    cwd: str
    environ: dict[str, str]
    umask: int
    stdout_tty: bool = False
    stderr_tty: bool = False

    @classmethod
    def read(cls, message: Mapping[str, object]) -> Call | None:
        """The call a request carries, or None when any field is missing or of the wrong kind."""
        argv, stdin, cwd = message.get("argv"), message.get("stdin"), message.get("cwd")
        environ, umask = message.get("environ"), message.get("umask")
        stdout_tty, stderr_tty = message.get("stdout_tty"), message.get("stderr_tty")
        if not (isinstance(argv, list) and all(isinstance(a, str) for a in argv)):
            return None
        if not (isinstance(cwd, str) and os.path.isabs(cwd) and isinstance(stdin, str)):
            return None
        if not (isinstance(environ, dict) and all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in environ.items())):
            return None
        if type(umask) is not int or not 0 <= umask <= 0o777:
            return None
        if not (isinstance(stdout_tty, bool) and isinstance(stderr_tty, bool)):
            return None
        try:
            data = stdin.encode("latin-1")
        except UnicodeEncodeError:
            return None
        return cls(argv, data, cwd, environ, umask, stdout_tty, stderr_tty)


# A call -> (exit code, stdout, stderr); None: not a call this server answers (the client decides it).
Decide = Callable[[Call], "tuple[int, str, str] | None"]

MAX_CONNECTIONS = 64      # more at once are closed unanswered: those clients decide in-process
REQUEST_SECONDS = 10.0    # to send the whole request once connected
POLL_SECONDS = 0.2        # how often the accept loop looks at stop, idle and the socket file


class ServeError(Exception):
    """The server cannot start: one line for the user."""


class Server:
    def __init__(self, path: str, decide: Decide, fingerprint: str, *, idle_timeout: float | None = None,
                 log: Callable[[str], None] = lambda line: None) -> None:
        self.path = os.path.abspath(path)
        self.decide = decide
        self.fingerprint = fingerprint
        self.idle_timeout = idle_timeout
        self.log = log
        self.stop_reason: str | None = None
        self._listener: socket.socket | None = None
        self._identity: tuple[int, int] | None = None   # (st_dev, st_ino) of the socket this server bound
        self._decide_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._active = 0
        self._active_lock = threading.Lock()
        self._last_activity = time.monotonic()
        self._threads: list[threading.Thread] = []

    # -- start --------------------------------------------------------------------------------

    def open(self) -> None:
        if not trust.can_check_peers():
            raise ServeError("this platform cannot tell which user connects to a socket (no SO_PEERCRED); "
                             "execgate serve refuses to start")
        folder = os.path.dirname(self.path)
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
        except OSError as exc:
            raise ServeError(f"{folder}: cannot create the socket's folder: {exc.strerror or exc}") from None
        problem = trust.folder_problem(folder)
        if problem:
            raise ServeError(f"{problem}; the socket's folder must be this user's alone (chmod 700), "
                             "execgate serve refuses to listen there")
        self._clear_leftover()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        previous = os.umask(0o177)   # the socket is born 0600: no moment where others may connect
        try:
            listener.bind(self.path)
        except OSError as exc:
            listener.close()
            raise ServeError(f"{self.path}: cannot listen: {exc.strerror or exc}") from None
        finally:
            os.umask(previous)
        try:
            os.chmod(self.path, 0o600)
            info = os.lstat(self.path)
            problem = trust.socket_problem(self.path)
        except OSError as exc:
            problem = f"{self.path}: {exc.strerror or exc}"
            info = None
        if problem or info is None:
            listener.close()
            with contextlib.suppress(OSError):
                os.unlink(self.path)   # the file this server just made, never used
            raise ServeError(f"{problem}; execgate serve refuses to listen on it")
        self._identity = (info.st_dev, info.st_ino)
        listener.listen(MAX_CONNECTIONS)
        listener.settimeout(POLL_SECONDS)
        self._listener = listener

    def _clear_leftover(self) -> None:
        """Remove a socket a dead server left behind; refuse a live server's socket or any other file."""
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise ServeError(f"{self.path}: {exc.strerror or exc}") from None
        if not stat.S_ISSOCK(info.st_mode):
            raise ServeError(f"{self.path} exists and is not a socket; execgate serve leaves it alone")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            try:
                probe.connect(self.path)
            except (ConnectionRefusedError, FileNotFoundError):
                pass   # nobody listens: left behind
            except OSError as exc:
                raise ServeError(f"{self.path}: cannot tell whether a server listens: {exc.strerror or exc}") \
                    from None
            else:
                raise ServeError(f"another execgate serve is listening on {self.path}")
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise ServeError(f"{self.path}: cannot remove the socket left behind: {exc.strerror or exc}") from None

    # -- serve --------------------------------------------------------------------------------

    def serve(self) -> str:
        """Answer connections until stopped; the reason it stopped."""
        listener = self._listener
        if listener is None:
            raise ServeError("the server is not open")
        while self.stop_reason is None:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                self._check_idle_and_socket()
                continue
            except OSError as exc:
                if self.stop_reason is None:
                    self.stop_reason = f"cannot accept connections: {exc.strerror or exc}"
                break
            if not self._slots.acquire(blocking=False):
                connection.close()   # too many at once: that client decides in-process
                continue
            thread = threading.Thread(target=self._serve_one, args=(connection,), daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
            thread.start()
        return self.stop_reason

    def stop(self, reason: str = "stopped") -> None:
        """Ask the loop to stop (safe from a signal handler: it only sets a value)."""
        if self.stop_reason is None:
            self.stop_reason = reason

    def close(self, wait_seconds: float = 5.0) -> None:
        """Stop listening, let answers in flight finish, and remove the socket if it is still ours."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        deadline = time.monotonic() + wait_seconds
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if self._identity is not None:
            try:
                info = os.lstat(self.path)
                if (info.st_dev, info.st_ino) == self._identity:
                    os.unlink(self.path)
            except OSError:
                pass
            self._identity = None

    def _check_idle_and_socket(self) -> None:
        with self._active_lock:
            idle = self._active == 0 and time.monotonic() - self._last_activity
        if self.idle_timeout and idle and idle > self.idle_timeout:
            self.stop(f"idle for {self.idle_timeout:g} s")
            return
        try:
            info = os.lstat(self.path)
            ours = (info.st_dev, info.st_ino) == self._identity
        except OSError:
            ours = False
        if not ours:   # nobody can reach this server any more
            self.stop(f"{self.path} was removed or replaced")

    # -- one connection -----------------------------------------------------------------------

    def _serve_one(self, connection: socket.socket) -> None:
        with self._active_lock:
            self._active += 1
        try:
            with connection:
                connection.settimeout(REQUEST_SECONDS)
                if not trust.peer_is_me(connection):
                    self.log(f"refused a connection from uid {trust.peer_uid(connection)}")
                    return
                try:
                    message = protocol.receive(connection, protocol.MAX_REQUEST_BYTES)
                except (OSError, protocol.ProtocolError) as exc:
                    self.log(f"dropped a request: {exc}")
                    return
                reply = self._reply(message)
                try:
                    protocol.send(connection, reply, protocol.MAX_ANSWER_BYTES)
                except (OSError, protocol.ProtocolError) as exc:
                    self.log(f"could not answer: {exc}")
        finally:
            with self._active_lock:
                self._active -= 1
                self._last_activity = time.monotonic()
            self._slots.release()

    def _reply(self, message: Mapping[str, object]) -> dict[str, object]:
        if message.get("protocol") != protocol.PROTOCOL or message.get("fingerprint") != self.fingerprint:
            self.stop("a client runs other code or rules (stale)")
            return {"status": "stale"}
        call = Call.read(message)
        if call is None:
            return {"status": "unavailable", "reason": "malformed request"}
        with self._decide_lock:
            try:
                with _ClientWorld(call.cwd, call.environ, call.umask):
                    result = self.decide(call)
            except OSError as exc:   # the client's folder is gone: its own process decides
                return {"status": "unavailable", "reason": f"cannot enter {call.cwd}: {exc.strerror or exc}"}
            except Exception as exc:  # noqa: BLE001 - the in-process path meets the same failure and reports it
                self.log(f"internal error: {type(exc).__name__}: {exc}")
                return {"status": "unavailable", "reason": "internal error"}
        if result is None:
            return {"status": "unavailable", "reason": "not a call the server answers"}
        return protocol.answer(*result)


class _ClientWorld:
    """The client's working folder, environment and umask for this process, restored on exit.
    Only under the decide lock: they are the process's, not the thread's."""

    def __init__(self, cwd: str, environ: Mapping[str, str], umask: int) -> None:
        self.cwd, self.environ, self.umask = cwd, environ, umask
        self._saved: tuple[int, dict[str, str], int] | None = None

    def __enter__(self) -> None:
        # The server's own folder as a descriptor: it is found again even if its path changes.
        folder = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.chdir(self.cwd)
        except OSError:
            os.close(folder)
            raise
        self._saved = (folder, dict(os.environ), os.umask(self.umask))
        _replace_environ(self.environ)

    def __exit__(self, *exc_info: object) -> None:
        if self._saved is None:
            return
        folder, saved_environ, saved_umask = self._saved
        self._saved = None
        _replace_environ(saved_environ)
        os.umask(saved_umask)
        try:
            os.fchdir(folder)
        finally:
            os.close(folder)


def _replace_environ(values: Mapping[str, str]) -> None:
    for name in [n for n in os.environ if n not in values]:
        del os.environ[name]
    for name, value in values.items():
        if os.environ.get(name) != value:
            try:
                os.environ[name] = value
            except ValueError:   # a name the C library cannot hold ("=" or NUL): it cannot reach the code below
                pass
