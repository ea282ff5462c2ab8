"""execgate's benchmarks: one entry point, one suite or all of them.

    python bench/run.py [--quick] [--suite NAME ...] [--repeat N]

Suites: django, sql, notebooks, latency, startup, scaling, prefilter. Each prints a table
and writes bench/results/<suite>.json with the machine, the tool versions and the
date (``--quick`` runs small subsets and writes to bench/.cache/results-quick/
instead, so a smoke run never replaces real numbers). Run ``bash bench/setup.sh``
first: it builds the peers' virtualenvs and fetches the pinned corpora.

Timings live here and in bench/results, never in tests/.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure
import tools
from latency import latency
from startup import startup, table as startup_table
from suites import SUITES, prefilter

BENCH = Path(__file__).resolve().parent
ORDER = ("django", "sql", "notebooks", "latency", "startup", "scaling", "prefilter")
ALL_SUITES = {**SUITES, "latency": latency,
              "startup": lambda quick, repeat: startup(rounds=5 if quick else 30, installed=True)}
COLUMNS = ("tool", "files", "files_seen_by_tool", "lines", "wall_s", "cpu_s", "files_per_s", "lines_per_s",
           "peak_rss_mb", "peak_tree_rss_mb", "findings")


def table(rows: list[dict], columns: tuple[str, ...] | None = None) -> str:
    """A plain-text table of ``rows`` (dicts), only the columns present."""
    if not rows:
        return "(no rows)"
    columns = tuple(c for c in (columns or tuple(rows[0])) if any(c in r for r in rows))
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return str(len(value))
    return str(value)


def show(name: str, result: dict) -> None:
    print(f"\n== {name} ==")
    if name == "latency":
        ipy = result["ipython"]
        print(f"IPython ({ipy['mode']}):")
        print(table(ipy["rows"]))
        print("\nwhole process:")
        print(table(result["process"]["rows"]))
        pc = result["pre_commit"]
        print("\npre-commit:", pc.get("skipped") or f"{pc['files']} files, median {pc['median_s']} s, "
              f"p99 {pc['p99_s']} s ({pc['hook']}, pre-commit {pc['pre_commit']})")
        return
    if name == "startup":
        print(startup_table(result))
        return
    if name == "prefilter":
        print(table(result["rows"], ("corpus", "files", "findings", "identical", "errors_with", "errors_without",
                                     "wall_s_prefilter", "wall_s_no_prefilter", "cpu_s_prefilter",
                                     "cpu_s_no_prefilter", "speedup")))
        print("findings identical with and without the prefilter:", result["identical"])
        return
    print(table(result["rows"], COLUMNS))
    for key in ("ratios", "growth"):
        for label, value in result.get(key, {}).items():
            print(f"  {label}: {value}")
    for note in result.get("notes", []):
        print(f"  note: {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="execgate benchmarks")
    parser.add_argument("--quick", action="store_true", help="small subsets: a smoke run, not numbers to publish")
    parser.add_argument("--suite", action="append", choices=ORDER, help="run only these suites (repeatable)")
    parser.add_argument("--repeat", type=int, help="runs per measurement, the median is kept "
                                                   "(default 1 for django, 3 otherwise; 1 with --quick)")
    parser.add_argument("--agent-only", action="store_true", help="prefilter: only the generated agent corpus")
    parser.add_argument("--agent-dir", type=Path, help="prefilter: this folder as the agent corpus (implies "
                                                       "--agent-only; used by tests/test_bench_smoke.py)")
    parser.add_argument("--results", type=Path, help="where to write <suite>.json")
    args = parser.parse_args(argv)
    # This workplace sets PYTHONDONTWRITEBYTECODE=1, which makes every Python tool recompile all of its
    # modules on every start (~0.7 s for execgate). Users' machines keep .pyc files: measure that, for
    # every tool alike, and say so in the results.
    bytecode = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    out = args.results or (BENCH / ".cache" / "results-quick" if args.quick else BENCH / "results")
    out.mkdir(parents=True, exist_ok=True)
    suites = args.suite or list(ORDER)
    peers = any(name in ("django", "sql") for name in suites)
    header = {"machine": measure.machine(), "versions": tools.versions(peers), "quick": args.quick,
              "checks": tools.CHECKS,
              "bytecode_cache": "on for every tool" + (" (PYTHONDONTWRITEBYTECODE was set and is unset for "
                                                        "the measured runs)" if bytecode else "")}
    status = 0
    for name in suites:
        repeat = args.repeat or (1 if args.quick or name == "django" else 3)
        started = time.perf_counter()
        load = [round(x, 2) for x in os.getloadavg()]  # other work on the machine skews wall times
        if name == "prefilter":
            result = prefilter(args.quick, repeat, agent_only=args.agent_only or args.agent_dir is not None,
                               agent_dir=args.agent_dir)
            status = status or (0 if result["identical"] else 1)
        else:
            result = ALL_SUITES[name](args.quick, repeat)
        result = {"suite": name, **header, "repeat": repeat, "load_average_before": load, **result,
                  "load_average_after": [round(x, 2) for x in os.getloadavg()],
                  "suite_seconds": round(time.perf_counter() - started, 1)}
        (out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
        show(name, result)
    print(f"\nresults in {out}")
    return status


if __name__ == "__main__":
    sys.exit(main())
