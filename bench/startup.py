"""Start-up cost of the one-shot calls an agent makes before every tool call.

``execgate hook claude-code`` (a harmless ``ls -la`` event and a refused recursive removal, the
events of tests/fixtures/hooks/events/, and the harmless one in a project with its own policy)
and ``execgate check --stdin`` (a one-line shell command that must be fully analysed, a SQL
statement, a Python snippet), each through the lean path
(analyzer/commands/oneshot.py, the default) and through the click command line
(``EXECGATE_FULL_CLI=1``), against ``python -c pass`` of the same interpreter. One interleaved
run: every round runs every command once, in a rotated order, so all see the same machine load;
the first round warms the caches and is not counted. Each command's output is compared between
the two paths (same exit code, stdout and stderr) in every round. ``--before REF`` adds a third
column in the same run: the same calls against the package as it was at git revision REF
(``git archive`` into a temporary folder, put first on PYTHONPATH).

The bench's own environment is usually an editable install (``pip install -e``), whose finder is
imported by every start of its interpreter (~11 ms: pathlib, re, urllib.parse, importlib.util), the
bare start included. ``--installed`` adds, in the same run, the same calls in a temporary environment
laid out as ``pip install .`` lays it out (the package copied into site-packages, pip's own launcher
script, the dependencies read from this environment through a ``.pth`` line), with that environment's
``python -c pass`` as its own floor: the start-up a user's installation has.

    python bench/startup.py [--rounds 30] [--before REF] [--installed] [--output bench/results/startup.json]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
EVENTS = ROOT / "tests" / "fixtures" / "hooks" / "events"
BIN = Path(sys.executable).parent
FULL_CLI = "EXECGATE_FULL_CLI"

# name -> (arguments after `execgate`, standard input: an event file's name or the snippet itself)
CALLS: dict[str, tuple[list[str], str]] = {
    "hook claude-code (ls -la, allowed)": (["hook", "claude-code"], "event:bash-ls.json"),
    "hook claude-code (rm -rf, refused)": (["hook", "claude-code"], "event:bash-rm-rf.json"),
    "hook claude-code (ls -la, .execgate.yaml)": (["hook", "claude-code"], "project-event:bash-ls.json"),
    "check --stdin shell (one line)": (["check", "--stdin", "--lang", "shell"], "rm -rf build/x\n"),
    "check --stdin sql (one statement)": (["check", "--stdin", "--lang", "sql"],
                                          "DELETE FROM orders WHERE created_at < '2020-01-01';\n"),
    "check --stdin python (snippet)": (["check", "--stdin", "--lang", "python"],
                                       "import shutil\n\nshutil.rmtree('build')\n"),
}


def _environment() -> dict[str, str]:
    """The user's environment without execgate's own settings; bytecode caching on, as on users' machines."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXECGATE_") or k == "EXECGATE_CACHE_DIR"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("GITHUB_ACTIONS", None)
    env.pop("PRE_COMMIT", None)
    return env


# A project's own policy (found upward from the event's folder), as most projects that use execgate have.
PROJECT_POLICY = """environment: dev
allowed_hosts: ["api.example.com"]
scratch:
  paths: ["out/**"]
rules:
  - id: "sql.delete-*"
    action: warn
    when: {environment: [dev]}
"""


def _stdin(spec: str, workspace: Path) -> bytes:
    kind, _, name = spec.partition(":")
    if kind in ("event", "project-event"):
        folder = workspace
        if kind == "project-event":
            folder = workspace / "project"
            folder.mkdir(exist_ok=True)
            (folder / ".execgate.yaml").write_text(PROJECT_POLICY, encoding="utf-8")
        text = (EVENTS / name).read_text(encoding="utf-8")
        return text.replace("WORKSPACE", str(folder)).encode()
    return spec.encode()


def _timed(argv: list[str], data: bytes, cwd: Path, env: dict[str, str]) -> tuple[float, tuple[int, bytes, bytes]]:
    start = time.perf_counter()
    done = subprocess.run(argv, input=data, capture_output=True, cwd=cwd, env=env, timeout=120, check=False)
    return (time.perf_counter() - start) * 1000, (done.returncode, done.stdout, done.stderr)


def _summary(values: list[float], bare: float) -> dict[str, float]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    return {"median_ms": round(median, 1), "p99_ms": round(p99, 1), "ratio_to_bare": round(median / bare, 2)}


def _snapshot(ref: str, folder: Path) -> Path:
    """The package (and its rules) as it was at git revision ``ref``, compiled, under ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "analyzer", "rules"], capture_output=True,
                             check=True).stdout
    folder.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / "analyzer" / "rules").symlink_to(folder / "rules")   # the package's analyzer.rules
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder / "analyzer")], check=False,
                   capture_output=True, env=_environment())
    return folder


def _installed(folder: Path) -> Path:
    """A virtual environment under ``folder`` holding the package as ``pip install .`` lays it out:
    ``analyzer`` (with ``rules`` as ``analyzer/rules``) in its site-packages, compiled, and pip's
    ``execgate`` launcher; the dependencies are this environment's, named by a ``.pth`` line (a plain
    path: the editable install's own ``.pth`` files there are not run). Returns its ``bin`` folder."""
    venv = folder / "installed"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", where], check=True, capture_output=True,
                               text=True).stdout.strip())
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "analyzer", site / "analyzer", ignore=ignore)
    shutil.copytree(ROOT / "rules", site / "analyzer" / "rules", ignore=ignore)
    ours = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (site / "execgate-bench-dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    launcher = (BIN / "execgate").read_text(encoding="utf-8").split("\n", 1)[1]   # pip's script, our shebang
    (venv / "bin" / "execgate").write_text(f"#!{venv / 'bin' / 'python'}\n{launcher}", encoding="utf-8")
    (venv / "bin" / "execgate").chmod(0o755)
    subprocess.run([str(venv / "bin" / "python"), "-m", "compileall", "-q", str(site / "analyzer")], check=False,
                   capture_output=True, env=_environment())
    return venv / "bin"


def startup(rounds: int = 30, before: str | None = None, installed: bool = False) -> dict:
    execgate = str(BIN / "execgate")
    env = _environment()
    full_env = {**env, FULL_CLI: "1"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "analyzer")], env=env, check=False,
                   capture_output=True)
    with tempfile.TemporaryDirectory(prefix="execgate-startup-") as folder:
        workspace = Path(folder) / "workspace"
        workspace.mkdir()
        before_env = None
        if before:
            snapshot = _snapshot(before, Path(folder) / "before")
            before_env = {**env, "PYTHONPATH": str(snapshot)}
        jobs: list[tuple[str, list[str], bytes, dict[str, str]]] = [("python -c pass", [sys.executable, "-c", "pass"],
                                                                     b"", env)]
        installed_bin = _installed(Path(folder)) if installed else None
        if installed_bin is not None:
            jobs.append(("installed python -c pass", [str(installed_bin / "python"), "-c", "pass"], b"", env))
        for name, (args, spec) in CALLS.items():
            data = _stdin(spec, workspace)
            jobs.append((f"{name} [lean]", [execgate, *args], data, env))
            jobs.append((f"{name} [click]", [execgate, *args], data, full_env))
            if before_env is not None:
                jobs.append((f"{name} [before]", [execgate, *args], data, before_env))
            if installed_bin is not None:
                jobs.append((f"{name} [installed]", [str(installed_bin / "execgate"), *args], data, env))
        times: dict[str, list[float]] = {job[0]: [] for job in jobs}
        mismatches: list[str] = []
        outcomes: dict[str, tuple[int, bytes, bytes]] = {}
        for round_ in range(rounds + 1):
            shift = round_ % len(jobs)
            for label, argv, data, job_env in jobs[shift:] + jobs[:shift]:
                elapsed, outcome = _timed(argv, data, workspace, job_env)
                outcomes[label] = outcome
                if round_:
                    times[label].append(elapsed)
            for name in CALLS:
                if outcomes[f"{name} [lean]"] != outcomes[f"{name} [click]"]:
                    mismatches.append(f"round {round_}: {name}")
                if installed_bin is not None and outcomes[f"{name} [lean]"] != outcomes[f"{name} [installed]"]:
                    mismatches.append(f"round {round_}: {name} (installed)")
        bare = statistics.median(times["python -c pass"])
        rows = []
        for name in CALLS:
            lean, full = times[f"{name} [lean]"], times[f"{name} [click]"]
            row = {"call": name, "exit": outcomes[f"{name} [lean]"][0], **_summary(lean, bare),
                   **{f"click_{k}": v for k, v in _summary(full, bare).items()}}
            if before_env is not None:
                row.update({f"before_{k}": v for k, v in _summary(times[f"{name} [before]"], bare).items()},
                           before_exit=outcomes[f"{name} [before]"][0])
            if installed_bin is not None:
                installed_bare = statistics.median(times["installed python -c pass"])
                row.update({f"installed_{k}": v
                            for k, v in _summary(times[f"{name} [installed]"], installed_bare).items()})
            rows.append(row)
    bare_row = {"command": f"{sys.executable} -c pass", **_summary(times["python -c pass"], bare)}
    result = {"rounds": rounds, "bare": bare_row, "rows": rows, "identical_outputs": not mismatches,
              "mismatches": mismatches, "before": before, "target_ratio": 2.5}
    if installed:
        result["installed_bare"] = {"command": "python -c pass (installed layout)",
                                    **_summary(times["installed python -c pass"],
                                               statistics.median(times["installed python -c pass"]))}
    return result


def table(result: dict) -> str:
    columns = [("lean", ""), ("click", "click_")] + ([(f"before {result['before']}", "before_")]
                                                    if result.get("before") else [])
    if result.get("installed_bare"):
        columns.append(("installed (own floor)", "installed_"))
    floors = f"python -c pass: median {result['bare']['median_ms']} ms, p99 {result['bare']['p99_ms']} ms"
    if result.get("installed_bare"):
        floors += f"; installed layout: median {result['installed_bare']['median_ms']} ms"
    lines = [f"{floors} ({result['rounds']} rounds); each column: median ms / p99 ms / x its floor",
             f"{'call':36} {'exit':>4} " + " ".join(f"{label[:22]:>22}" for label, _ in columns)]
    for row in result["rows"]:
        cells = [f"{row[p + 'median_ms']} / {row[p + 'p99_ms']} / {row[p + 'ratio_to_bare']}" for _, p in columns]
        lines.append(f"{row['call']:36} {row['exit']:>4} " + " ".join(f"{c:>22}" for c in cells))
    lines.append(f"lean and click outputs identical: {result['identical_outputs']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--before", metavar="REF", help="also time the package as it was at this git revision")
    parser.add_argument("--installed", action="store_true",
                        help="also time the calls in a temporary environment laid out as `pip install .` does")
    parser.add_argument("--output", type=Path, default=BENCH / "results" / "startup.json")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(BENCH))
    import measure

    result = measure.publish("startup", lambda: startup(args.rounds, args.before, args.installed), args.output, table)
    return 0 if result["identical_outputs"] else 1


if __name__ == "__main__":
    sys.exit(main())
