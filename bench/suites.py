"""The scanning suites: django, sql, notebooks, scaling, prefilter.

Each returns a result dict ({"rows": [...], "notes": [...], ...}) that bench/run.py
prints as a table and writes to bench/results/<suite>.json. Every tool in a
suite gets the same target list in the same run; each row carries the number of
files the tool itself reports having scanned, so a mismatch is visible.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import measure
import tools
from generate_agent_corpus import generate, generate_sized

BENCH = Path(__file__).resolve().parent
CORPUS = BENCH / "corpus"
WORK = BENCH / ".cache" / "work"
AGENT = BENCH / ".cache" / "agent"


def _fresh(name: str) -> Path:
    path = WORK / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _files(root: Path, pattern: str) -> list[Path]:
    return sorted(p for p in root.rglob(pattern) if p.is_file())


def _need(path: Path, what: str) -> None:
    if not path.exists():
        raise SystemExit(f"bench: {path} is missing: run `bash bench/setup.sh` first ({what})")


def row(tool: str, outcome: tools.Outcome, files: int, lines: int, **extra: object) -> dict:
    run = outcome.run
    return {
        "tool": tool, "files": files, "files_seen_by_tool": outcome.files, "lines": lines,
        "wall_s": round(run.wall_s, 3), "cpu_s": round(run.cpu_s, 3),
        "files_per_s": round(files / run.wall_s, 1), "lines_per_s": round(lines / run.wall_s),
        "peak_rss_mb": round(run.peak_rss_mb, 1), "peak_tree_rss_mb": round(run.peak_tree_rss_mb, 1),
        "findings": outcome.findings, "exit": run.returncode, "timed_out": run.timed_out,
        "command": " ".join(run.argv[:12]) + (" ..." if len(run.argv) > 12 else ""), **extra,
    }


def _ratio(a: dict, b: dict) -> float:
    return round(b["wall_s"] / a["wall_s"], 2) if a["wall_s"] else float("nan")


# -- django -----------------------------------------------------------------------------------------

def django(quick: bool, repeat: int) -> dict:
    root = CORPUS / "django" / "django-5.2.19"
    _need(root, "the Django sdist")
    target = root / "django" / "db" if quick else root
    files = _files(target, "*.py")
    lines = measure.count_lines(files)
    work = _fresh("django")
    rows = []
    cold_runs, warm_runs = [], []
    for attempt in range(repeat):
        cache = work / f"cache{attempt}"
        cold_runs.append(tools.execgate([str(target)], work / "execgate.json", cache))
        warm_runs.append(tools.execgate([str(target)], work / "execgate-warm.json", cache))
    cold = _median(cold_runs)
    warm = _median(warm_runs)
    rows.append(row("execgate (cold cache)", cold, len(files), lines))
    rows.append(row("execgate (re-scan, warm cache)", warm, len(files), lines))
    if tools.peer_available(tools.BANDIT):
        rows.append(row("bandit", _median([tools.bandit([str(target)], work / "bandit.json")
                                           for _ in range(repeat)]), len(files), lines))
    if tools.peer_available(tools.SEMGREP):
        rows.append(row("semgrep", _median([tools.semgrep([str(target)], work / "semgrep.json", target)
                                            for _ in range(repeat)]), len(files), lines))
    ratios = {f"{r['tool']} / execgate (cold)": _ratio(rows[0], r) for r in rows[2:]}
    ratios["execgate cold / re-scan"] = _ratio(rows[1], rows[0])
    return {"target": str(target.relative_to(BENCH)), "rows": rows, "ratios": ratios,
            "notes": ["ratios > 1 mean execgate is faster (peer wall time / execgate wall time)",
                      "peak_rss_mb: largest single process (wait4); peak_tree_rss_mb: sum over the process tree, "
                      "sampled every 20 ms"]}


def _median(outcomes: list[tools.Outcome]) -> tools.Outcome:
    chosen = measure.best_of([o.run for o in outcomes])
    return next(o for o in outcomes if o.run is chosen)


# -- sql --------------------------------------------------------------------------------------------

def sql(quick: bool, repeat: int) -> dict:
    _need(CORPUS / "sql", "the SQL sdists")
    files = _files(CORPUS / "sql", "*.sql")
    if quick:
        files = [f for f in files if f.stat().st_size < 20_000][:30]
    lines = measure.count_lines(files)
    targets = [str(f) for f in files]
    work = _fresh("sql")
    rows = [row("execgate", _median([tools.execgate(targets, work / "execgate.json", work / f"c{i}", "--no-cache")
                                     for i in range(repeat)]), len(files), lines)]
    if tools.peer_available(tools.SQLFLUFF):
        rows.append(row("sqlfluff lint (ansi)", _median([tools.sqlfluff(targets, work / "sqlfluff.json")
                                                          for _ in range(repeat)]), len(files), lines))
    return {"target": "bench/corpus/sql (sqlmesh examples, sqlglot and sqlparse fixtures)", "rows": rows,
            "ratios": {f"{r['tool']} / execgate": _ratio(rows[0], r) for r in rows[1:]},
            "notes": ["sqlfluff is a style and correctness linter with a full dialect grammar; it checks "
                      "different things, so this is a cost comparison, not a like-for-like one",
                      "semgrep is skipped: its SQL support is the generic (text) mode, which does not parse "
                      "statements, so no comparable rules can be written",
                      "execgate runs with --no-cache so every file is analysed"]}


# -- notebooks --------------------------------------------------------------------------------------

def notebooks(quick: bool, repeat: int) -> dict:
    _need(CORPUS / "notebooks", "the notebook sdists")
    files = _files(CORPUS / "notebooks", "*.ipynb")
    if quick:
        files = files[:20]
    lines = measure.count_lines(files)
    cells = 0
    for path in files:
        try:
            cells += len(json.loads(path.read_text(encoding="utf-8", errors="replace")).get("cells", []))
        except ValueError:
            pass
    targets = [str(f) for f in files]
    work = _fresh("notebooks")
    outcome = _median([tools.execgate(targets, work / "execgate.json", work / f"c{i}", "--no-cache")
                       for i in range(repeat)])
    return {"target": "bench/corpus/notebooks (nbconvert, nbclient, nbformat, papermill)", "cells": cells,
            "rows": [row("execgate", outcome, len(files), lines, cells=cells,
                         cells_per_s=round(cells / outcome.run.wall_s, 1))],
            "notes": ["lines are lines of the .ipynb JSON files",
                      "bandit and semgrep (OSS CLI) do not read .ipynb files: they scanned 0 of these files, "
                      "so they have no row here"]}


# -- scaling ----------------------------------------------------------------------------------------

def scaling(quick: bool, repeat: int) -> dict:
    counts = (10, 100, 1000) if quick else (10, 100, 1000, 10000)
    sizes = (10, 1000, 10000) if quick else (10, 1000, 10000, 100000)
    work = _fresh("scaling")
    rows = []
    for count in counts:
        folder = AGENT / f"n{count}"
        files = _agent(folder, count)
        outcome = _median([tools.execgate([str(folder)], work / "out.json", work / f"c{count}-{i}", "--no-cache")
                           for i in range(repeat)])
        rows.append(row(f"execgate {count} files", outcome, len(files), measure.count_lines(files),
                        axis="files", n=count))
    for size in sizes:
        folder = AGENT / "sized"
        path = folder / f"sized_python_{size}.py"
        if not path.exists():
            generate_sized(folder, size, "python")
        outcome = _median([tools.execgate([str(path)], work / "out.json", work / f"s{size}-{i}", "--no-cache")
                           for i in range(repeat)])
        rows.append(row(f"execgate 1 file of {size:,} lines", outcome, 1, size, axis="lines", n=size))
    growth = {}
    for axis in ("files", "lines"):
        series = [r for r in rows if r["axis"] == axis]
        for a, b in zip(series, series[1:], strict=False):  # neighbours: one shorter
            step = f"{axis} {a['n']} -> {b['n']} (x{b['n'] // a['n']})"
            growth[step] = round(b["wall_s"] / a["wall_s"], 2)
            growth[step + " cpu"] = round(b["cpu_s"] / a["cpu_s"], 2)
    return {"rows": rows, "growth": growth,
            "notes": ["growth: wall-time ratio per step; linear would be the step factor, minus fixed start-up",
                      "whole-process wall time (start-up included), -j 0, --no-cache"]}


def _agent(folder: Path, count: int) -> list[Path]:
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate(folder, count, seed=7)
        marker.write_text(str(count))
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".complete")


# -- prefilter --------------------------------------------------------------------------------------

def prefilter(quick: bool, repeat: int, agent_only: bool = False, agent_dir: Path | None = None) -> dict:
    corpora: list[tuple[str, list[str]]] = []
    if agent_dir is None:
        agent_dir = AGENT / ("n100" if quick else "n1000")
        _agent(agent_dir, 100 if quick else 1000)
    corpora.append(("agent", [str(agent_dir)]))
    if not agent_only:
        django_root = CORPUS / "django" / "django-5.2.19"
        if django_root.exists():
            corpora.append(("django", [str(django_root / "django" / "db" if quick else django_root)]))
        sql_files = _files(CORPUS / "sql", "*.sql")
        if sql_files:
            corpora.append(("sql", [str(f) for f in (sql_files[:30] if quick else sql_files)]))
    work = _fresh("prefilter")
    rows, equal = [], True
    for name, targets in corpora:
        # A-B-B-A order, the mean of each: load from elsewhere on the machine drifts during a run.
        ons, offs = [], []
        for flags in ((), ("--no-prefilter",), ("--no-prefilter",), ()):
            tag = "off" if flags else "on"
            done = tools.execgate(targets, work / f"{name}-{tag}.json", work / f"c-{tag}", "--no-cache", *flags)
            (offs if flags else ons).append(done)
        on = ons[0]
        on_s = sum(o.run.wall_s for o in ons) / len(ons)
        off_s = sum(o.run.wall_s for o in offs) / len(offs)
        a, b = _findings(work / f"{name}-on.json"), _findings(work / f"{name}-off.json")
        ea, eb = _errors(work / f"{name}-on.json"), _errors(work / f"{name}-off.json")
        same = a == b and a is not None
        equal = equal and same
        rows.append({"corpus": name, "files": on.files, "findings": len(a or ()), "identical": same,
                     "only_with_prefilter": sorted(map(list, (a or set()) - (b or set())))[:20],
                     "only_without_prefilter": sorted(map(list, (b or set()) - (a or set())))[:20],
                     "errors_with": len(ea or ()), "errors_without": len(eb or ()),
                     "wall_s_prefilter": round(on_s, 3), "wall_s_no_prefilter": round(off_s, 3),
                     "cpu_s_prefilter": round(sum(o.run.cpu_s for o in ons) / len(ons), 3),
                     "cpu_s_no_prefilter": round(sum(o.run.cpu_s for o in offs) / len(offs), 3),
                     "speedup": round(off_s / on_s, 2) if on_s else None})
    return {"rows": rows, "identical": equal,
            "notes": ["findings compared as sets of (rule, path, line, column, cell, decision, targets), "
                      "from the last run of each mode",
                      "times: mean of two runs per mode in A-B-B-A order",
                      "errors are counted, not compared: a file the prefilter skips is never parsed, so a "
                      "syntax error in it is only reported without the prefilter"]}


def _findings(path: Path) -> set[tuple] | None:
    try:
        report = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return {(f["rule"], f["path"], f["line"], f["column"], f["cell"], f["decision"], tuple(f["targets"]))
            for f in report["findings"]}


def _errors(path: Path) -> set[tuple] | None:
    try:
        report = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return {(e["path"], e["message"]) for e in report["errors"]}


SUITES = {"django": django, "sql": sql, "notebooks": notebooks, "scaling": scaling, "prefilter": prefilter}
