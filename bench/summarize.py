"""Turn bench/results/*.json into the targets table of docs/benchmarks.md (Markdown on stdout).

Why a script: the README and docs quote these numbers; generating the table from
the results files keeps the prose and the measurements from drifting apart.

    python bench/summarize.py [RESULTS_DIR]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NamedTuple
from collections.abc import Callable

RESULTS = Path(__file__).resolve().parent / "results"


class Target(NamedTuple):
    name: str
    goal: str
    measure: Callable[[dict], float | None]
    met: Callable[[float], bool]
    unit: str


def _load(folder: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}


def _ipy(kind: str, field: str) -> Callable[[dict], float | None]:
    def get(results: dict) -> float | None:
        rows = results.get("latency", {}).get("ipython", {}).get("rows", [])
        for row in rows:
            if row["cell"] == kind:
                return row.get(field, row.get(field.replace("added", "engine")))
        return None
    return get


def _process(case: str) -> Callable[[dict], float | None]:
    def get(results: dict) -> float | None:
        for row in results.get("latency", {}).get("process", {}).get("rows", []):
            if row["case"].startswith(case):
                return row["median_ms"]
        return None
    return get


def _django(tool: str, field: str = "wall_s") -> Callable[[dict], float | None]:
    def get(results: dict) -> float | None:
        for row in results.get("django", {}).get("rows", []):
            if row["tool"].startswith(tool):
                return row[field]
        return None
    return get


def _vs_bandit(results: dict) -> float | None:
    mine, theirs = _django("execgate (cold")(results), _django("bandit")(results)
    return round(theirs / mine, 2) if mine and theirs else None


def _rescan(results: dict) -> float | None:
    cold, warm = _django("execgate (cold")(results), _django("execgate (re-scan")(results)
    return round(cold / warm, 1) if cold and warm else None


def _precommit(results: dict) -> float | None:
    return results.get("latency", {}).get("pre_commit", {}).get("median_s")


TARGETS = [
    Target("IPython gate, 50-line cell, median added", "<= 10 ms", _ipy("trigger-50", "added_median_ms"),
           lambda v: v <= 10, "ms"),
    Target("IPython gate, 50-line cell, p99 added", "<= 40 ms", _ipy("trigger-50", "added_p99_ms"),
           lambda v: v <= 40, "ms"),
    Target("IPython gate, cell without trigger words", "< 1 ms", _ipy("plain-50", "added_median_ms"),
           lambda v: v < 1, "ms"),
    Target("IPython gate, 1,000-line cell", "< 150 ms", _ipy("trigger-1000", "added_median_ms"),
           lambda v: v < 150, "ms"),
    Target("`execgate check --stdin --lang shell`, one command", "< 150 ms", _process("execgate check --stdin"),
           lambda v: v < 150, "ms"),
    Target("`execgate --version`", "< 150 ms", _process("execgate --version"), lambda v: v < 150, "ms"),
    Target("pre-commit, 20 mixed files", "< 1 s", _precommit, lambda v: v < 1, "s"),
    Target("Django full scan vs bandit (bandit time / execgate time)", "> 1x", _vs_bandit, lambda v: v > 1, "x"),
    Target("Django re-scan, warm cache (cold / warm)", ">= 10x", _rescan, lambda v: v >= 10, "x"),
    Target("Peak memory, Django full scan (whole process tree)", "< 500 MB",
           _django("execgate (cold", "peak_tree_rss_mb"), lambda v: v < 500, "MB"),
]


def render(results: dict[str, dict]) -> str:
    lines = ["| target | goal | measured | met |", "| --- | --- | --- | --- |"]
    mode = results.get("latency", {}).get("ipython", {}).get("mode", "")
    for target in TARGETS:
        value = target.measure(results)
        shown = "not measured" if value is None else f"{value:,} {target.unit}"
        met = "-" if value is None else ("yes" if target.met(value) else "**no**")
        name = target.name
        if name.startswith("IPython") and mode.startswith("engine"):
            name += " (engine call; the extension was not there yet)"
        lines.append(f"| {name} | {target.goal} | {shown} | {met} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    folder = Path(args[0]) if args else RESULTS
    sys.stdout.write(render(_load(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
