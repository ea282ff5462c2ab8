"""The hook through the warm server (``execgate serve``) against the hook in-process and a bare interpreter.

The calls of bench/startup.py (``hook claude-code`` on a harmless and on a refused event, ``check
--stdin`` on a shell line, a SQL statement and a Python snippet), each timed as a new process, the way
an agent runs the hook:

* ``in-process``: ``execgate ARGS`` with ``EXECGATE_NO_SERVER=1`` (the lean path deciding alone);
* ``execgate``: ``execgate ARGS`` with the server's socket: the entry point parses the call
  (analyzer/commands/oneshot.py) and asks the server (analyzer/gates/serve/client.py) before deciding
  itself (``entry_point_asks_server`` in the results proves it asks: a listener of the bench's own
  answers a marker that only a client can print);
* ``client only``: the client alone, asked before anything else is imported (the floor of the warm
  path: interpreter start, the client's imports, one round trip).

Against ``python -c pass`` of the same interpreter. One interleaved run: every round runs every job
once, in a rotated order, so all see the same machine load; the first round warms the caches and is
not counted. Every round compares each served answer with the in-process one (exit code, stdout,
stderr). A server that went stale because a file of the package changed during the run (a shared
checkout) is started again and the job repeated; the restarts are counted.

    python bench/serve_latency.py [--rounds 30] [--output bench/results/serve_latency.json]
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
BIN = Path(sys.executable).parent
NOT_SERVED = 99

sys.path.insert(0, str(BENCH))
# The calls, their standard input and the timing are bench/startup.py's, so both runs time the same thing.
from startup import CALLS, _environment, _stdin, _summary, _timed  # noqa: E402

# The client alone: the floor of the warm path.
CLIENT_ONLY = f"""
import os, sys
from analyzer.gates.serve.client import ask
args = sys.argv[1:]
answer = ask(args, sys.stdin.buffer.read(), os.getcwd(), os.environ)
if answer is None:
    sys.exit({NOT_SERVED})
sys.stdout.write(answer[1]); sys.stderr.write(answer[2]); sys.exit(answer[0])
"""
KINDS = ("in-process", "execgate", "client only")


class Server:
    """``execgate serve`` on a socket of the bench's own (``python -m`` when the command is not registered)."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path, self.env, self.restarts = path, env, 0
        registered = subprocess.run([str(BIN / "execgate"), "serve", "--help"], capture_output=True, env=env,
                                    check=False).returncode == 0
        self.command = [str(BIN / "execgate"), "serve"] if registered else [sys.executable, "-m",
                                                                             "analyzer.commands.serve"]
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen([*self.command, "--socket", str(self.path), "--quiet"],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode()
        if "listening on" not in line:
            raise SystemExit(f"execgate serve did not start: {line}{self.process.stderr.read().decode()}")

    def restart_if_stopped(self) -> bool:
        """Start it again when it stopped (stale); it stops within a fraction of a second of saying so."""
        try:
            self.process.communicate(timeout=2)
        except subprocess.TimeoutExpired:
            return False
        return self.restart()

    def restart(self) -> bool:
        self.process.communicate()
        self.restarts += 1
        self.start()
        return True

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        self.process.communicate(timeout=30)
        return self.process.returncode


def entry_point_asks_server(folder: Path, env: dict[str, str]) -> bool:
    """Whether ``execgate check --stdin`` asks a server: a listener here answers a marker, and only a
    client that asked it can print that."""
    from analyzer.gates.serve import protocol

    marker = "answered by the bench's listener\n"
    listener_folder = folder / "probe"
    listener_folder.mkdir(mode=0o700)
    path = listener_folder / "probe.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(path))
        os.chmod(path, 0o600)
        listener.listen(1)
        listener.settimeout(60)

        def answer() -> None:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                protocol.receive(connection, protocol.MAX_REQUEST_BYTES)
                connection.sendall(protocol.encode(protocol.answer(0, marker, "")))

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        done = subprocess.run([str(BIN / "execgate"), "check", "--stdin", "--lang", "shell"], input=b"ls\n",
                              capture_output=True, env={**env, "EXECGATE_SOCKET": str(path)}, timeout=120,
                              check=False)
        listener.close()
        thread.join(5)
    return done.stdout.decode() == marker


def serve_latency(rounds: int = 30) -> dict:
    env = _environment()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "analyzer")], env=env, check=False,
                   capture_output=True)
    # A short folder of its own (a socket path must fit in about 100 bytes), 0700 as the server requires.
    with tempfile.TemporaryDirectory(prefix="egsv-", dir="/tmp" if os.path.isdir("/tmp") else None) as folder:
        base = Path(folder)
        workspace = base / "workspace"
        workspace.mkdir()
        socket_path = base / "run" / "execgate.sock"
        served_env = {**env, "EXECGATE_SOCKET": str(socket_path)}
        alone_env = {**env, "EXECGATE_NO_SERVER": "1"}
        wired = entry_point_asks_server(base, env)
        server = Server(socket_path, env)
        execgate = str(BIN / "execgate")
        jobs: list[tuple[str, str, list[str], bytes, dict[str, str]]] = [
            ("python -c pass", "", [sys.executable, "-c", "pass"], b"", env)]
        for name, (args, spec) in CALLS.items():
            data = _stdin(spec, workspace)
            jobs += [(name, "in-process", [execgate, *args], data, alone_env),
                     (name, "client only", [sys.executable, "-c", CLIENT_ONLY, *args], data, served_env),
                     (name, "execgate", [execgate, *args], data, served_env)]
        times: dict[tuple[str, str], list[float]] = {(job[0], job[1]): [] for job in jobs}
        outcomes: dict[tuple[str, str], tuple[int, bytes, bytes]] = {}
        mismatches: list[str] = []
        try:
            for round_ in range(rounds + 1):
                shift = round_ % len(jobs)
                for name, kind, argv, data, job_env in jobs[shift:] + jobs[:shift]:
                    elapsed, outcome = _timed(argv, data, workspace, job_env)
                    for _ in range(3):   # files may change again while a new server starts
                        # The client alone says it was not served; execgate then decided in-process,
                        # which shows as the server having exited (stale) after the call.
                        stale = (outcome[0] == NOT_SERVED and server.restart_if_stopped()) or \
                            (kind == "execgate" and server.process.poll() is not None and server.restart())
                        if not stale:
                            break
                        elapsed, outcome = _timed(argv, data, workspace, job_env)
                    outcomes[(name, kind)] = outcome
                    if round_:
                        times[(name, kind)].append(elapsed)
                for name in CALLS:
                    alone = outcomes[(name, "in-process")]
                    for kind in KINDS[1:]:
                        if outcomes[(name, kind)] != alone:
                            mismatches.append(f"round {round_}: {name} [{kind}]: {outcomes[(name, kind)][0]} "
                                              f"instead of {alone[0]}")
        finally:
            stopped = server.stop()
    bare = statistics.median(times[("python -c pass", "")])
    rows = []
    for name in CALLS:
        alone = statistics.median(times[(name, "in-process")])
        row: dict[str, object] = {"call": name, "exit": outcomes[(name, "in-process")][0]}
        for kind in KINDS:
            summary = _summary(times[(name, kind)], bare)
            row[kind] = {**summary, "ratio_to_in_process": round(summary["median_ms"] / alone, 2)}
        rows.append(row)
    return {"rounds": rounds, "bare": {"command": f"{sys.executable} -c pass",
                                       **_summary(times[("python -c pass", "")], bare)},
            "rows": rows, "identical_outputs": not mismatches, "mismatches": mismatches,
            "entry_point_asks_server": wired, "server_restarts": server.restarts, "server_exit": stopped}


def table(result: dict) -> str:
    lines = [f"python -c pass: median {result['bare']['median_ms']} ms, p99 {result['bare']['p99_ms']} ms "
             f"({result['rounds']} rounds); execgate asks the server: {result['entry_point_asks_server']}",
             f"{'call':36} {'exit':>4} " + " ".join(f"{kind + ' ms':>14} {'p99':>6} {'x bare':>6}" for kind in KINDS)]
    for row in result["rows"]:
        cells = " ".join(f"{row[kind]['median_ms']:>14} {row[kind]['p99_ms']:>6} {row[kind]['ratio_to_bare']:>6}"
                         for kind in KINDS)
        lines.append(f"{row['call']:36} {row['exit']:>4} {cells}")
    lines.append(f"served and in-process outputs identical: {result['identical_outputs']}; "
                 f"server restarts (stale): {result['server_restarts']}; server exit: {result['server_exit']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--output", type=Path, default=BENCH / "results" / "serve_latency.json")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(BENCH))
    import measure

    result = measure.publish("serve_latency", lambda: serve_latency(args.rounds), args.output, table)
    return 0 if result["identical_outputs"] and result["server_exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
