"""The other gates before and after a change to the start-up path: the IPython per-cell cost,
a pre-commit run and a folder scan, each against the package as it was at git revision REF.

One interleaved run: each round runs every measurement once under each version, in alternating
order, so both see the same machine load. "before" is the package at REF (``git archive``, put first
on ``PYTHONPATH`` with its own rules, as ``bench/startup.py --before`` does); "after" is this checkout.

* IPython: a child process runs the latency suite's IPython measurement (bench/latency.py: a real
  ``InteractiveShell``, ``%load_ext analyzer``, paired ``run_cell`` with and without the gate) in its
  quick size and reports the median time the gate adds per cell, for each kind of cell.
* pre-commit: the latency suite's ``pre-commit run --files`` on 20 generated files, median wall time.
* scan: ``execgate check --no-cache -j 0`` of a corpus folder (default: Django from
  ``bench/fetch_corpus.py``), wall and CPU time, peak memory of the whole process tree, and how many
  findings one version has that the other has not (0 when the change only moved time).

    python bench/gates_before_after.py --before REF [--rounds 3] [--corpus bench/corpus/django]
        [--output bench/results/gates_before_after.json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import measure  # noqa: E402 - bench modules sit beside this file
import tools  # noqa: E402
from startup import _environment, _snapshot  # noqa: E402


def _child(kind: str) -> dict:
    """One measurement in this process (run as a child, with the version under test on sys.path)."""
    import latency

    if kind == "ipython":
        rows = latency.ipython(quick=True)["rows"]
        return {row["cell"]: row["added_median_ms"] for row in rows}
    return {"median_s": latency.precommit(quick=True)["median_s"]}


def _run_child(kind: str, env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", kind], capture_output=True, text=True, env=env,
                          cwd=BENCH, check=True, timeout=1800)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _scan(corpus: Path, env: dict[str, str], output: Path) -> tuple[measure.Run, set[str]]:
    run = measure.run([tools.EXECGATE, "check", "--no-cache", "-j", "0", "--format", "json", "--output", str(output),
                       str(corpus)], env=env)
    report = json.loads(output.read_text(encoding="utf-8"))
    return run, {json.dumps(finding, sort_keys=True) for finding in report["findings"]}


def compare(before: str, rounds: int, corpus: Path | None) -> dict:
    env = _environment()
    with tempfile.TemporaryDirectory(prefix="execgate-gates-") as folder:
        snapshot = _snapshot(before, Path(folder) / "before")
        versions = {"before": {**env, "PYTHONPATH": str(snapshot)}, "after": env}
        ipython: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
        precommit: dict[str, list[float]] = {"before": [], "after": []}
        scan: dict[str, dict[str, list[float]]] = {v: {"wall_s": [], "cpu_s": [], "peak_tree_rss_mb": []}
                                                   for v in versions}
        differing: list[int] = []
        for round_ in range(rounds):
            order = list(versions) if round_ % 2 == 0 else list(reversed(versions))
            for version in order:
                for cell, added in _run_child("ipython", versions[version]).items():
                    ipython[version].setdefault(cell, []).append(added)
                precommit[version].append(_run_child("precommit", versions[version])["median_s"])
            if corpus is not None:
                found = {}
                for version in order:
                    run, found[version] = _scan(corpus, versions[version], Path(folder) / f"{version}.json")
                    for key in scan[version]:
                        scan[version][key].append(getattr(run, key))
                differing.append(len(found["before"] ^ found["after"]))
    median = statistics.median
    result: dict = {
        "before": before, "rounds": rounds,
        "ipython_added_ms": {cell: {v: round(median(ipython[v][cell]), 3) for v in versions}
                             for cell in ipython["after"]},
        "precommit_s": {v: round(median(precommit[v]), 3) for v in versions},
    }
    if corpus is not None:
        result["scan"] = {"corpus": str(corpus), "findings_in_one_version_only": differing,
                          **{v: {k: round(median(s), 2) for k, s in scan[v].items()} for v in versions}}
    return result


def table(result: dict) -> str:
    lines = [f"before = {result['before']}, after = this checkout; medians of {result['rounds']} alternating rounds",
             f"{'measurement':40} {'before':>10} {'after':>10}"]
    for cell, values in result["ipython_added_ms"].items():
        lines.append(f"{'IPython, ms added per cell, ' + cell:40} {values['before']:>10} {values['after']:>10}")
    lines.append(f"{'pre-commit, 20 files, s':40} {result['precommit_s']['before']:>10} "
                 f"{result['precommit_s']['after']:>10}")
    if "scan" in result:
        scan = result["scan"]
        for key in ("wall_s", "cpu_s", "peak_tree_rss_mb"):
            lines.append(f"{'scan ' + Path(scan['corpus']).name + ', ' + key:40} {scan['before'][key]:>10} "
                         f"{scan['after'][key]:>10}")
        lines.append(f"findings in one version only, per round: {scan['findings_in_one_version_only']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REF", help="the git revision to compare against")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=BENCH / "corpus" / "django",
                        help="folder to scan (skipped when missing)")
    parser.add_argument("--output", type=Path, default=BENCH / "results" / "gates_before_after.json")
    parser.add_argument("--child", choices=("ipython", "precommit"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child)))
        return 0
    if not args.before:
        parser.error("--before REF is required")
    corpus = args.corpus if args.corpus.is_dir() else None
    measure.publish("gates_before_after", lambda: compare(args.before, args.rounds, corpus), args.output, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
