"""Measuring one tool run honestly: wall time, CPU time, and peak memory of the whole process tree.

Why two memory numbers: ``wait4`` reports the peak RSS of the *largest single
process* in the tree (the kernel keeps the max over reaped descendants), which
undercounts a tool that forks workers (execgate ``-j 0``, semgrep ``-j 2``,
sqlfluff ``-p 2``). So a sampler also sums the RSS of the whole tree every
20 ms; both are reported. CPU time (user + system, children included) shows a
tool that waits rather than works.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.02


@dataclass
class Run:
    """One measured process: what ran, how long, how much memory, how it ended."""

    argv: list[str]
    wall_s: float
    cpu_s: float
    peak_rss_mb: float        # largest single process of the tree (wait4)
    peak_tree_rss_mb: float   # sum over the tree, sampled
    returncode: int
    timed_out: bool = False

    def as_dict(self) -> dict:
        data = asdict(self)
        data["argv"] = " ".join(self.argv)
        return data


def _tree_rss(root: psutil.Process) -> int:
    total = 0
    try:
        processes = [root] + root.children(recursive=True)
    except psutil.Error:
        return 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(argv: list[str], *, stdout: Path | None = None, stdin: Path | None = None, cwd: Path | None = None,
        env: dict[str, str] | None = None, timeout: float = 1800.0) -> Run:
    """Run ``argv`` to completion (stdout to a file or discarded, stderr kept on failure)."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    err_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-stderr-{os.getpid()}.txt"
    err = open(err_path, "wb")
    source = open(stdin, "rb") if stdin else subprocess.DEVNULL
    peak = 0
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=out, stderr=err, stdin=source, cwd=cwd, env=env)
    watched = psutil.Process(process.pid)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(watched))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timed_out = False
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            timed_out = True
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.002)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    for handle in (out, err, source):
        if hasattr(handle, "close"):
            handle.close()
    if process.returncode not in (0, 1) or timed_out:
        tail = err_path.read_text(errors="replace")[-600:]
        print(f"bench: {argv[0]} exited {process.returncode}{' (timeout)' if timed_out else ''}: {tail}",
              file=sys.stderr)
    err_path.unlink(missing_ok=True)
    return Run(argv=list(argv), wall_s=wall, cpu_s=usage.ru_utime + usage.ru_stime,
               peak_rss_mb=usage.ru_maxrss / 1024, peak_tree_rss_mb=max(peak, usage.ru_maxrss * 1024) / 2**20,
               returncode=process.returncode, timed_out=timed_out)


def best_of(runs: list[Run]) -> Run:
    """The median run by wall time (the one reported), keeping its own memory numbers."""
    ordered = sorted(runs, key=lambda r: r.wall_s)
    return ordered[(len(ordered) - 1) // 2]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def count_lines(files: list[Path]) -> int:
    total = 0
    for path in files:
        with open(path, "rb") as handle:
            total += sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    return total


def publish(suite: str, measured: Callable[[], dict], output: Path, table: Callable[[dict], str]) -> dict:
    """Run ``measured`` and write its result to ``output`` as JSON, with the machine and the load
    averages before and after (other work on the machine skews wall times); print ``table``."""
    load = [round(x, 2) for x in os.getloadavg()]
    result = {"suite": suite, "machine": machine(), "load_average_before": load, **measured(),
              "load_average_after": [round(x, 2) for x in os.getloadavg()]}
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(result))
    print(f"results in {output}")
    return result


def machine() -> dict:
    """What the numbers were measured on."""
    return {
        "cpu_count": os.cpu_count(),
        "cpu": platform.processor() or _cpu_model(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def version_of(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    return (done.stdout or done.stderr).strip().splitlines()[-1] if (done.stdout or done.stderr).strip() else "?"
