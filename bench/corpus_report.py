"""Rates of the realistic corpus (tests/corpus): what is blocked, what passes, on which line.

    python bench/corpus_report.py [--json]

Per group (python, embedded_sql = Python files with embedded SQL, sql, shell,
notebooks) and per language (embedded SQL counts as Python):
  dangerous blocked %  - dangerous files whose check exits 1
  right line %         - dangerous files where every annotated operation has a
                         blocked finding of the right category on its line
                         (or inside the statement starting there; `exact` counts
                         only the annotated line itself)
  harmless blocked %   - harmless files whose check exits 1 (false positives)
Then every miss and false positive with file, line (and cell), expected vs got.
Targets: >= 95% dangerous blocked, <= 3% harmless blocked.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from test_corpus import ALL_CASES, Outcome, _describe, evaluate  # noqa: E402

GROUPS = ("python", "embedded_sql", "sql", "shell", "notebooks")
LANGUAGES = ("python", "sql", "shell", "notebook")


def pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:5.1f}%" if d else "    -"


def row(label: str, outcomes: list[Outcome]) -> str:
    dangerous = [o for o in outcomes if o.case.kind == "dangerous"]
    harmless = [o for o in outcomes if o.case.kind == "harmless"]
    blocked = sum(o.blocked for o in dangerous)
    right = sum(o.blocked and not o.misses for o in dangerous)
    n_exp = sum(len(o.case.expects) for o in dangerous)
    exact = sum(sum(v == "exact" for v in o.hits.values()) for o in dangerous)
    hit = sum(len(o.hits) for o in dangerous)
    fp = sum(o.blocked for o in harmless)
    return (f"{label:14} {len(dangerous):4} {pct(blocked, len(dangerous)):>8} {pct(right, len(dangerous)):>8}"
            f" {hit:4}/{n_exp:<4} {pct(exact, n_exp):>7} | {len(harmless):4} {pct(fp, len(harmless)):>8}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the outcomes as JSON instead")
    args = parser.parse_args()
    for name in ("EXECGATE_ENV", "EXECGATE_ROLE", "EXECGATE_ACTOR", "EXECGATE_POLICY", "EXECGATE_AUDIT_LOG"):
        os.environ.pop(name, None)
    logging.disable(logging.CRITICAL)
    started = time.perf_counter()
    outcomes = [evaluate(case) for case in ALL_CASES]
    elapsed = time.perf_counter() - started

    if args.json:
        print(json.dumps([{
            "file": o.case.name, "kind": o.case.kind, "group": o.case.group, "exit": o.code,
            "passed": o.passed,
            "misses": [{"line": e.line, "cell": e.cell, "expected": e.category, "got": got} for e, got in o.misses],
            "false_positives": o.false_positives, "errors": o.errors} for o in outcomes], indent=2))
        return 0

    head = (f"{'':14} {'dang':>4} {'blocked':>8} {'rightln':>8} {'ops hit':>9} {'exact':>7} | "
            f"{'harm':>4} {'blocked':>8}")
    print(f"execgate corpus report: {len(outcomes)} files in {elapsed:.1f}s (built-in policy)\n")
    print("by folder")
    print(head)
    for group in GROUPS:
        print(row(group, [o for o in outcomes if o.case.group == group]))
    print("\nby language (Python with embedded SQL counts as Python)")
    print(head)
    for language in LANGUAGES:
        print(row(language, [o for o in outcomes if o.case.language == language]))
    print(row("ALL", outcomes))

    print("\nMISSES (dangerous operations without a blocked finding of that category on that line)")
    for o in outcomes:
        if o.case.kind != "dangerous":
            continue
        for exp, got in o.misses:
            where = f"{o.case.name}:{exp.line}" + (f" cell {exp.cell}" if exp.cell is not None else "")
            print(f"  {where}  expected {exp.category}  got {got}  [exit {o.code}]")
        if o.code not in (0, 1):
            print(f"  {o.case.name}: exit {o.code} errors {o.errors}")
    print("\nFALSE POSITIVES (harmless files that block)")
    for o in outcomes:
        if o.case.kind != "harmless":
            continue
        for f in o.false_positives:
            print(f"  {o.case.name}:{f.get('line')}" + (f" cell {f.get('cell')}" if f.get("cell") is not None else "")
                  + f"  expected nothing  got {_describe(f)}: {f.get('message')}")
        if o.code not in (0, 1):
            print(f"  {o.case.name}: exit {o.code} errors {o.errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
