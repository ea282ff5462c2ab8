"""``execgate serve``: the warm server the hook asks instead of starting cold (``docs/serve.md``).

The server (:mod:`analyzer.gates.serve.server`) answers each call with exactly what the lean path
would print, :func:`analyzer.commands.oneshot.run` with the client's working folder and environment,
and parsed policy files kept in one :class:`~analyzer.policy.cache.PolicyCache` shared by all calls,
which reads a file again when it changes. The fingerprint of the code and rules is taken before anything is loaded, so
a change on disk after that makes the server stale, never silently out of date.
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import FrameType

import click

from .options import fail

@click.command()
@click.option("--socket", "socket_path", type=click.Path(dir_okay=False),
              help="Listen here (default: EXECGATE_SOCKET, else $XDG_RUNTIME_DIR/execgate/execgate.sock, else "
                   "serve/execgate.sock in execgate's cache folder). The hook finds a socket elsewhere only "
                   "through EXECGATE_SOCKET.")
@click.option("--idle-timeout", type=click.FloatRange(min=0), default=0, show_default=True, metavar="SECONDS",
              help="Stop after this many seconds without a call (0: never).")
@click.option("--quiet", is_flag=True, help="Say nothing about refused or broken connections.")
def serve(socket_path: str | None, idle_timeout: float, quiet: bool) -> None:
    """Answer the hook from a warm process on a Unix socket of this user (0600, in a 0700 folder).

    Runs in the foreground until SIGTERM or SIGINT (Ctrl-C), then removes its socket. Each call is
    decided exactly as `execgate hook ...` or `execgate check --stdin ...` would decide it alone;
    when the server is absent, stale or broken, the hook decides in-process."""
    from ..gates.serve.fingerprint import fingerprint
    from ..gates.serve.location import default_socket_path
    from ..gates.serve.server import Server, ServeError

    try:
        path = socket_path and os.path.abspath(socket_path) or default_socket_path(os.environ)
    except Exception as exc:  # noqa: BLE001 - no cache folder can be named
        sys.exit(fail(f"cannot name a socket path: {exc}; give --socket PATH"))
    stamp = fingerprint()   # before loading anything: a later change on disk makes this server stale
    server = Server(path, _decide_with_warm_caches(), stamp, idle_timeout=idle_timeout or None,
                    log=(lambda line: None) if quiet else _log)
    try:
        server.open()
    except ServeError as exc:
        sys.exit(fail(str(exc)))

    def stop(signum: int, frame: FrameType | None) -> None:
        server.stop()

    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGINT)}
    click.echo(f"execgate serve: listening on {path} (pid {os.getpid()})")
    sys.stdout.flush()
    try:
        reason = server.serve()
    finally:
        server.close()
        for number, handler in previous.items():
            signal.signal(number, handler)
    click.echo(f"execgate serve: stopped: {reason}", err=True)
    # A stop asked for (a signal, the idle timeout) is a success; being stale, losing the socket or failing
    # to accept is not, so a supervisor (systemd's Restart=on-failure) starts the server again.
    sys.exit(0 if reason == "stopped" or reason.startswith("idle") else 1)


def _log(line: str) -> None:
    click.echo(f"execgate serve: {line}", err=True)


def _decide_with_warm_caches():
    """The server's decide function, with the modules, the catalogue and the front ends loaded now."""
    from ..gates.serve.server import Call
    from . import oneshot

    load = _policy_loader()

    def decide(call: Call) -> tuple[int, str, str] | None:
        parsed = oneshot.parse(call.argv, cwd=call.cwd)
        if parsed is None:
            return None   # not a one-shot call: the client's own command line answers it
        return oneshot.run(parsed, call.stdin, cwd=call.cwd, environ=call.environ, load_policy=load,
                           stdout_tty=call.stdout_tty, stderr_tty=call.stderr_tty)

    _warm()
    return decide


def _policy_loader():
    """``load(path, start=folder)`` as :func:`analyzer.policy.load.load_policy` answers it, with parsed
    files kept in a :class:`~analyzer.policy.cache.PolicyCache` until they change.

    The file is looked for upward on every call, as in-process (a few ``stat`` calls), rather than
    remembered by the cache. A policy naming team rules is loaded afresh each time: checking its rule
    ids reads the team rule files, which the cache does not watch."""
    from ..policy.cache import PolicyCache
    from ..policy.load import find_policy_file, load_policy
    from ..policy.rules import Policy

    policies = PolicyCache()

    def load(path: str | Path | None = None, start: Path | None = None) -> Policy:
        if path is None and start is not None:
            path = find_policy_file(start)
        policy = policies.get(path)
        if policy.semgrep_rules:
            return load_policy(path)
        return policy

    return load


# Harmless snippets, one per language the hook reads, to load each front end and fill the catalogue
# caches before the first call arrives (read, never run).
_WARM_SNIPPETS = (("python", "import os\nprint(os.getcwd())\n"), ("sql", "SELECT 1;\n"), ("shell", "ls -la\n"))


def _warm() -> None:
    from ..engine import Checker
    from ..gates.hooks import gate   # noqa: F401 - imported for its modules, as the first hook call would
    from ..model import Context
    from ..policy.load import load_policy
    from . import check   # noqa: F401 - the check --stdin path

    checker = Checker(load_policy(), Context())
    for language, text in _WARM_SNIPPETS:
        checker.check_text(text, language, "<warm-up>")


if __name__ == "__main__":  # pragma: no cover - `python -m analyzer.commands.serve`, before it is registered
    serve(prog_name="execgate serve")
