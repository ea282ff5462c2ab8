"""``execgate mcp proxy -- COMMAND``: a gateway between an MCP client and a stdio MCP server.

The proxy starts the server and relays newline-delimited JSON-RPC both ways, byte for byte.
Two messages are read on the way: the client's ``tools/call`` requests, which the gate
(``gate.py``) checks before they are forwarded, and the server's answers to ``initialize``
and ``tools/list``, which say what the server is and pin its tools. A refused call never
reaches the server: the client gets a tool result with ``isError: true`` for that id.

Bad input ends the session with one line on stderr: a client message that is not JSON-RPC
(exit 2), a message larger than the limit either way (exit 2), a server that exits or closes
its output (exit 1; requests it left unanswered get a JSON-RPC error). When the client closes
its input the server's input is closed too, the server gets a few seconds to finish, and the
proxy exits 0. A line the server writes to stdout that is not JSON goes to stderr, never to the
client. Nothing here decides; nothing in the gate touches the wire.
"""
from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import threading
from collections.abc import Sequence
from typing import Any

from ...records import Record
from .gate import McpGate

MAX_MESSAGE_BYTES = 16 * 1024 * 1024
SERVER_GRACE_SECONDS = 5.0
CLIENT_ENDED, SERVER_ENDED, PROTOCOL_ERROR = 0, 1, 2
INTERNAL_ERROR = -32603
PARSE_ERROR, INVALID_REQUEST = -32700, -32600


class ProtocolError(Exception):
    """A message that cannot be relayed safely: one line for the user, and the session ends."""


class Oversized(ProtocolError):
    pass


class LineReader:
    """Newline-delimited messages from a file descriptor, each at most ``limit`` bytes.

    Reads the descriptor directly (no buffered file object), so a thread blocked here never
    holds a lock the interpreter needs at exit."""

    def __init__(self, fd: int, limit: int, who: str) -> None:
        self.fd, self.limit, self.who = fd, limit, who
        self.buffer = bytearray()
        self.scanned = 0

    def next(self) -> bytes | None:
        """The next line with its newline; the last unterminated line as it is; None at the end."""
        while True:
            end = self.buffer.find(b"\n", self.scanned)
            if end >= 0:
                line = bytes(self.buffer[: end + 1])
                del self.buffer[: end + 1]
                self.scanned = 0
                self._check(len(line) - 1)
                return line
            self.scanned = len(self.buffer)
            self._check(len(self.buffer))
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                rest, self.buffer = bytes(self.buffer), bytearray()
                return rest or None
            self.buffer += chunk

    def _check(self, size: int) -> None:
        if size > self.limit:
            raise Oversized(f"a message from the {self.who} is larger than {self.limit:,} bytes")


def parse_message(line: bytes, who: str) -> Any:
    """Strict JSON: UTF-8, no duplicate keys, no NaN or Infinity (what the server reads must be what we read)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"a message from the {who} is not UTF-8 (byte {exc.start})") from None

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise ValueError(f"duplicate key {key!r}")
            result[key] = value
        return result

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"a message from the {who} is not JSON ({str(exc).splitlines()[0][:200]})") from None


def _messages(message: Any, who: str) -> list[dict[str, Any]]:
    """The JSON-RPC 2.0 messages of one line (a batch holds several)."""
    items = message if isinstance(message, list) else [message]
    if not items:
        raise ProtocolError(f"the {who} sent an empty JSON-RPC batch")
    for item in items:
        if not isinstance(item, dict) or item.get("jsonrpc") != "2.0":
            raise ProtocolError(f"the {who} sent a message that is not JSON-RPC 2.0")
        if "method" in item and not isinstance(item["method"], str):
            raise ProtocolError(f"the {who} sent a JSON-RPC method that is not a string")
        if "method" not in item and "id" not in item:
            raise ProtocolError(f"the {who} sent a JSON-RPC message with neither method nor id")
    return items


def _encode(message: Any) -> bytes:
    return (json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def refusal(request_id: Any, text: str) -> dict[str, Any]:
    """The answer to a refused tools/call: a CallToolResult with isError, so the agent can adapt."""
    return {"jsonrpc": "2.0", "id": request_id,
            "result": {"content": [{"type": "text", "text": text}], "isError": True}}


def _key(request_id: Any) -> str:
    return json.dumps(request_id, sort_keys=True)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class Streams(Record):
    """The client's side of the session: where its messages come from and go, and where people read."""

    client_in: int = 0
    client_out: int = 1
    errors: int = 2


class Relay:
    """Moves messages between the client and the server process, asking the gate about tool calls."""

    def __init__(self, gate: McpGate, process: subprocess.Popen, streams: Streams,
                 limit: int = MAX_MESSAGE_BYTES) -> None:
        self.gate, self.process, self.streams, self.limit = gate, process, streams, limit
        # SimpleQueue.put may be called from a signal handler (it never takes a lock the reader holds).
        self.events: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self.threads: list[threading.Thread] = []
        self.pending: dict[str, tuple[Any, str]] = {}
        self.lock = threading.Lock()
        self.out_lock = threading.Lock()
        self.err_lock = threading.Lock()
        assert process.stdin is not None and process.stdout is not None
        self.server_in = process.stdin.fileno()
        self.server_out = process.stdout.fileno()

    # -- output ----------------------------------------------------------------------------------

    def say(self, line: str) -> None:
        with self.err_lock:
            try:
                _write_all(self.streams.errors, (line.rstrip("\n") + "\n").encode("utf-8", "replace"))
            except OSError:
                pass

    def to_client(self, data: bytes) -> bool:
        with self.out_lock:
            try:
                _write_all(self.streams.client_out, data)
                return True
            except OSError:
                self.events.put(("client", "the client stopped reading"))
                return False

    def to_server(self, data: bytes) -> bool:
        try:
            _write_all(self.server_in, data)
            return True
        except OSError:
            self.events.put(("server", "the server stopped reading its input"))
            return False

    # -- the two directions ----------------------------------------------------------------------

    def client_loop(self) -> None:
        reader = LineReader(self.streams.client_in, self.limit, "client")
        try:
            while True:
                line = reader.next()
                if line is None:
                    self.events.put(("client", ""))
                    return
                if line.strip() and not self.from_client(line):
                    return
        except ProtocolError as exc:
            self.to_client(_encode({"jsonrpc": "2.0", "id": None, "error": {
                "code": PARSE_ERROR if "not JSON" in str(exc) else INVALID_REQUEST, "message": f"execgate: {exc}"}}))
            self.events.put(("protocol", str(exc)))
        except OSError as exc:
            self.events.put(("client", f"cannot read from the client ({exc.strerror or exc})"))
        except Exception as exc:  # noqa: BLE001 - a failing check must stop the session, never let a call through
            self.events.put(("protocol", f"internal error: {type(exc).__name__}: {exc}"))

    def from_client(self, line: bytes) -> bool:
        message = parse_message(line, "client")
        items = _messages(message, "client")
        forward: list[dict[str, Any]] = []
        answers: list[dict[str, Any]] = []
        for item in items:
            method = item.get("method")
            if method == "tools/call":
                verdict = self.gate.check_call(item.get("params"))
                for notice in verdict.notices:
                    self.say(notice)
                if verdict.refused:
                    if "id" in item:
                        answers.append(refusal(item["id"], verdict.text))
                    continue
            elif method == "initialize":
                self.gate.client_initialized(item.get("params"))
            if method is not None and "id" in item:
                with self.lock:
                    self.pending[_key(item["id"])] = (item["id"], method)
            forward.append(item)
        if answers:
            data = _encode(answers if isinstance(message, list) else answers[0])
            if not self.to_client(data):
                return False
        if not forward:
            return True
        if len(forward) == len(items):
            return self.to_server(line if line.endswith(b"\n") else line + b"\n")
        return self.to_server(_encode(forward))   # a batch less its refused calls

    def server_loop(self) -> None:
        reader = LineReader(self.server_out, self.limit, "server")
        try:
            while True:
                line = reader.next()
                if line is None:
                    self.events.put(("server", ""))
                    return
                if line.strip() and not self.from_server(line):
                    return
        except ProtocolError as exc:
            self.events.put(("protocol", str(exc)))
        except OSError as exc:
            self.events.put(("server", f"cannot read from the server ({exc.strerror or exc})"))
        except Exception as exc:  # noqa: BLE001 - pinning must not crash the relay silently
            self.events.put(("protocol", f"internal error: {type(exc).__name__}: {exc}"))

    def from_server(self, line: bytes) -> bool:
        try:
            items = _messages(parse_message(line, "server"), "server")
        except ProtocolError as exc:
            # Servers that log to stdout would break the client's stream: their lines go to stderr.
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            self.say(f"execgate: mcp: {exc}; it was not passed to the client: {text[:500]}")
            return True
        for item in items:
            if "method" in item or "id" not in item:
                continue
            with self.lock:
                _, method = self.pending.pop(_key(item["id"]), (None, None))
            result = item.get("result")
            if method == "initialize":
                self.gate.server_initialized(result)
            elif method == "tools/list" and isinstance(result, dict):
                for notice in self.gate.tools_listed(result.get("tools")):
                    self.say(notice)
        return self.to_client(line if line.endswith(b"\n") else line + b"\n")

    # -- the session -----------------------------------------------------------------------------

    def run(self) -> int:
        for loop in (self.client_loop, self.server_loop):
            thread = threading.Thread(target=loop, daemon=True, name=f"execgate-mcp-{loop.__name__}")
            thread.start()
            self.threads.append(thread)
        kind, detail = self._next_event()
        if kind in ("client", "signal"):
            self.say(f"execgate: mcp: {detail or 'the client closed the session'}; stopping {self.gate.name}")
            self._stop_server(SERVER_GRACE_SECONDS if kind == "client" else 1.0)
            self.threads[1].join(2.0)     # what the server wrote before it exited still reaches the client
            return CLIENT_ENDED
        if kind == "server":
            code = self._stop_server(1.0)
            what = detail or (f"the server {self.gate.name} exited" + (f" with code {code}" if code else ""))
            self.say(f"execgate: mcp: {what}; ending the session")
            self._answer_pending(what)
            return SERVER_ENDED
        self.say(f"execgate: mcp: {detail}; ending the session (nothing unchecked was forwarded)")
        self._stop_server(1.0)
        self._answer_pending(detail)
        return PROTOCOL_ERROR

    def _next_event(self) -> tuple[str, str]:
        while True:
            try:
                return self.events.get(timeout=0.5)
            except queue.Empty:
                continue

    def _close_server_input(self) -> None:
        try:
            assert self.process.stdin is not None
            self.process.stdin.close()
        except OSError:
            pass

    def _stop_server(self, grace: float) -> int | None:
        """Give the server ``grace`` seconds to exit, then terminate it, then kill it; its exit code."""
        self._close_server_input()
        for stop in (None, self.process.terminate, self.process.kill):
            if stop is not None:
                try:
                    stop()
                except OSError:
                    pass
            try:
                return self.process.wait(timeout=grace if stop is None else 2.0)
            except subprocess.TimeoutExpired:
                continue
        return None

    def _answer_pending(self, why: str) -> None:
        with self.lock:
            pending, self.pending = list(self.pending.values()), {}
        for request_id, _ in pending:
            self.to_client(_encode({"jsonrpc": "2.0", "id": request_id,
                                    "error": {"code": INTERNAL_ERROR, "message": f"execgate: {why}"}}))


def start_server(command: Sequence[str]) -> subprocess.Popen:
    """The server process, its stdin and stdout piped to the proxy, its stderr the proxy's."""
    program = shutil.which(command[0]) or command[0]
    return subprocess.Popen([program, *command[1:]], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)


def warm_up(gate: McpGate) -> None:
    """Import the front ends and load the catalogue while the server starts, so the first call is fast."""
    try:
        checker = gate.checker()
        for language, text in (("sql", "SELECT 1"), ("shell", "true"), ("python", "pass")):
            checker.check_text(text, language, "<warm-up>")
    except Exception:  # noqa: BLE001 - warming up is an optimisation; the real check reports its own errors
        pass


def run_proxy(gate: McpGate, command: Sequence[str], streams: Streams | None = None,
              limit: int = MAX_MESSAGE_BYTES) -> int:
    """Serve one session; the exit code (0 the client ended it, 1 the server did, 2 a protocol error)."""
    streams = streams or Streams()
    try:
        process = start_server(command)
    except OSError as exc:
        message = f"execgate: mcp: cannot start {command[0]}: {exc.strerror or exc}\n"
        _write_all(streams.errors, message.encode("utf-8", "replace"))
        return PROTOCOL_ERROR
    relay = Relay(gate, process, streams, limit)
    threading.Thread(target=warm_up, args=(gate,), daemon=True, name="execgate-mcp-warm-up").start()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGHUP", None)):
            if number is not None:
                previous[number] = signal.signal(
                    number, lambda signum, frame: relay.events.put(("signal", f"stopped by signal {signum}")))
    try:
        return relay.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if process.poll() is None:
            process.kill()
