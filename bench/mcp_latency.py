"""The MCP gateway's cost: milliseconds ``execgate mcp proxy`` adds to each tool call.

Two sessions of the reference SQLite server (``mcp-server-sqlite``, installed by the test
extra) on two copies of the same database: one bare, one behind the proxy. One run
interleaves them: call i goes to the bare server and to the proxied one, in alternating
order, with the same arguments, so both see the same machine load. Each call is timed from
writing the request to reading its answer, by a minimal JSON-RPC client over the pipes (no
SDK in the measured path). Added time = proxied minus bare, per pair; the median and p99 of
those differences are reported, with the medians of each side.

Calls rotate through a SELECT by key, a filtered UPDATE and an INSERT (all allowed: a refused
call would never reach the server and look free); each 100th call is a DROP TABLE the proxy
refuses, timed apart ("refusal"), against nothing on the bare side. The first calls warm both
sides up and are not counted.

    python bench/mcp_latency.py [--calls 1000] [--output bench/results/mcp_latency.json]
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import measure

BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
WARM_UP = 20


class Session:
    """A stdio MCP session with one server process, spoken to in plain JSON-RPC."""

    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                    "clientInfo": {"name": "bench", "version": "0"}})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        self.request("tools/list", {})

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        self.process.stdin.flush()

    def request(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        assert self.process.stdout is not None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"the server ended the session during {method}")
            answer = json.loads(line)
            if answer.get("id") == self.next_id:
                return answer

    def call(self, tool: str, arguments: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        start = time.perf_counter()
        answer = self.request("tools/call", {"name": tool, "arguments": arguments})
        return (time.perf_counter() - start) * 1000, answer

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def make_database(path: Path, rows: int = 1000) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, region TEXT, amount REAL)")
        db.executemany("INSERT INTO orders VALUES (?, ?, ?)",
                       ((i, ("north", "south", "east", "west")[i % 4], i * 1.5) for i in range(rows)))


def workload(i: int) -> tuple[str, dict[str, Any]]:
    key = i % 1000
    kind = i % 3
    if kind == 0:
        return "read_query", {"query": f"SELECT region, amount FROM orders WHERE id = {key}"}
    if kind == 1:
        return "write_query", {"query": f"UPDATE orders SET amount = amount + 1 WHERE id = {key}"}
    return "write_query", {"query": f"INSERT INTO orders (region, amount) VALUES ('bench', {i})"}


def run(calls: int, workdir: Path) -> dict[str, Any]:
    server = str(BIN / "mcp-server-sqlite")
    bare_db, proxied_db = workdir / "bare.db", workdir / "proxied.db"
    make_database(bare_db)
    make_database(proxied_db)
    bare = Session([server, "--db-path", str(bare_db)])
    proxied = Session([str(BIN / "execgate"), "mcp", "proxy", "--name", "bench-db", "--",
                       server, "--db-path", str(proxied_db)])
    added: list[float] = []
    bare_ms: list[float] = []
    proxied_ms: list[float] = []
    refusals: list[float] = []
    try:
        for i in range(calls + WARM_UP):
            if i >= WARM_UP and i % 100 == 0:
                elapsed, answer = proxied.call("write_query", {"query": "DROP TABLE orders"})
                assert answer["result"]["isError"], answer
                refusals.append(elapsed)
            tool, arguments = workload(i)
            order = (bare, proxied) if i % 2 == 0 else (proxied, bare)
            timings = {}
            for session in order:
                elapsed, answer = session.call(tool, arguments)
                if answer.get("error") or answer["result"].get("isError"):
                    raise RuntimeError(f"call {i} failed: {answer}")
                timings[session] = elapsed
            if i >= WARM_UP:
                bare_ms.append(timings[bare])
                proxied_ms.append(timings[proxied])
                added.append(timings[proxied] - timings[bare])
    finally:
        bare.close()
        proxied.close()
    with sqlite3.connect(proxied_db) as db:   # the refused DROPs never reached the database
        assert db.execute("SELECT count(*) FROM orders").fetchone()[0] >= 1000

    def ms(value: float) -> float:
        return round(value, 3)

    return {
        "calls": len(added), "warm_up": WARM_UP,
        "added_ms": {"median": ms(measure.median(added)), "p99": ms(measure.percentile(added, 99)),
                     "p90": ms(measure.percentile(added, 90))},
        "bare_ms": {"median": ms(measure.median(bare_ms)), "p99": ms(measure.percentile(bare_ms, 99))},
        "proxied_ms": {"median": ms(measure.median(proxied_ms)), "p99": ms(measure.percentile(proxied_ms, 99))},
        "refusal_ms": {"count": len(refusals), "median": ms(measure.median(refusals)),
                       "max": ms(max(refusals) if refusals else float("nan"))},
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "machine": measure.machine(),
        "versions": {name: version(name) for name in ("execgate", "mcp", "mcp-server-sqlite")},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--output", type=Path, default=None, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="execgate-mcp-bench-") as folder:
        results = run(args.calls, Path(folder))
    text = json.dumps(results, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
