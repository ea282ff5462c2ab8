"""The ``execgate`` command line.

A one-shot call (``hook AGENT``, ``check --stdin --lang LANG``) takes the lean path
(:mod:`analyzer.commands.oneshot`), which never imports click: an agent waits for it before every
tool call. Everything else, and whatever the lean parser does not fully understand, goes to the
click command line in :mod:`analyzer.commands.cli`, whose subcommands are imported only when called.
"""
from __future__ import annotations

import os
import sys
from typing import IO, Any

# Set to force every call through click (the benchmarks compare the two paths).
ENV_FULL_CLI = "EXECGATE_FULL_CLI"


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code instead of exiting when called from tests."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    args = sys.argv[1:] if argv is None else list(argv)
    # EXECGATE_DEBUG wants click's tracebacks; the lean path never raises.
    if not (os.environ.get(ENV_FULL_CLI) or os.environ.get("EXECGATE_DEBUG")):
        from . import oneshot

        call = oneshot.parse(args)
        if call is not None:
            return _run_lean(call, args)
    from .cli import run

    return run(args)


def _run_lean(call: Any, args: list[str]) -> int:
    from . import oneshot

    try:
        if call.command == "check":
            from ..sourcefile import stdin_limit

            data = sys.stdin.buffer.read(stdin_limit())
        else:
            data = sys.stdin.buffer.read()
        cwd, stdout_tty, stderr_tty = os.getcwd(), _isatty(sys.stdout), _isatty(sys.stderr)
        # A warm `execgate serve` of this user answers with the same run(); None: decide here.
        from ..gates.serve.client import ask

        answer = ask(args, data, cwd, os.environ, stdout_tty=stdout_tty, stderr_tty=stderr_tty)
        code, out, err = answer if answer is not None else oneshot.run(
            call, data, cwd=cwd, environ=os.environ, stdout_tty=stdout_tty, stderr_tty=stderr_tty)
        _write(sys.stdout, out)
        _write(sys.stderr, err)
    except Exception as exc:  # noqa: BLE001 - no standard input, a closed pipe: one line, as click's path says
        from .options import internal_error

        try:
            _write(sys.stderr, internal_error(exc) + "\n")
        except Exception:  # noqa: BLE001 - nowhere left to say it
            pass
        return 2
    return code


def _isatty(stream: IO[str] | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (ValueError, AttributeError):
        return False


def _write(stream: IO[str] | None, text: str) -> None:
    """As click.echo writes text: UTF-8 where the stream's encoding is ASCII (misconfigured)."""
    if stream is None or not text:
        return
    encoding = (getattr(stream, "encoding", None) or "ascii").lower().replace("_", "-")
    if encoding in ("ascii", "us-ascii", "646") and hasattr(stream, "buffer"):
        stream.flush()
        stream.buffer.write(text.encode("utf-8", "replace"))
        stream.buffer.flush()
        return
    stream.write(text)
    stream.flush()


def __getattr__(name: str) -> Any:
    """``cli`` (the click group) for callers that import it from here, loaded only then."""
    if name == "cli":
        from .cli import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
