"""How each tool is invoked, and how many files and findings its own output says it saw.

Why here: "same files, same run" is only true if every tool's own report agrees
on the number of files scanned, so each adapter reads it back from the tool's
JSON rather than trusting the target list. Peers live in their own virtualenvs
(bench/setup.sh) and are called by path.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import measure

BENCH = Path(__file__).resolve().parent
VENVS = BENCH / ".cache" / "venvs"
EXECGATE = str(Path(sys.executable).with_name("execgate"))
BANDIT = str(VENVS / "bandit" / "bin" / "bandit")
SEMGREP = str(VENVS / "semgrep" / "bin" / "semgrep")
SQLFLUFF = str(VENVS / "sqlfluff" / "bin" / "sqlfluff")
SEMGREP_RULES = BENCH / "rules" / "semgrep-equivalent.yaml"

# What each tool checks, stated next to its numbers.
CHECKS = {
    "execgate": "destructive/exfiltrating operations in Python (+embedded SQL/shell), SQL, shell, notebooks; "
                "policy decisions",
    "bandit": "Python security lint, all default plugins (AST per file, no data flow)",
    "semgrep": "the local rules in bench/rules/semgrep-equivalent.yaml (same families, pattern matching)",
    "sqlfluff": "SQL style/correctness linter (dialect ansi), not a safety checker",
}


@dataclass
class Outcome:
    run: measure.Run
    files: int | None      # files the tool says it scanned
    findings: int | None


def peer_available(binary: str) -> bool:
    return os.access(binary, os.X_OK)


def cache_env(cache_dir: Path) -> dict[str, str]:
    """An environment whose execgate result cache lives in ``cache_dir`` (cold when it is empty)."""
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(cache_dir)
    env["EXECGATE_CACHE_DIR"] = str(cache_dir / "execgate")
    return env


def execgate(targets: list[str], out: Path, cache_dir: Path, *extra: str, jobs: int = 0) -> Outcome:
    argv = [EXECGATE, "check", "--format", "json", "--output", str(out), "-j", str(jobs), *extra, *targets]
    run = measure.run(argv, env=cache_env(cache_dir))
    try:
        report = json.loads(out.read_text())
        return Outcome(run, report["summary"]["files"], len(report["findings"]))
    except (OSError, ValueError, KeyError):
        return Outcome(run, None, None)


def bandit(targets: list[str], out: Path) -> Outcome:
    argv = [BANDIT, "-r", "-q", "-f", "json", "-o", str(out), *targets]
    run = measure.run(argv)
    try:
        report = json.loads(out.read_text())
        files = [k for k in report.get("metrics", {}) if k != "_totals"]
        return Outcome(run, len(files), len(report.get("results", [])))
    except (OSError, ValueError):
        return Outcome(run, None, None)


def semgrep(targets: list[str], out: Path, project_root: Path) -> Outcome:
    """semgrep with its default ignores neutralised so it scans the files the others scan.

    By default semgrep skips ``tests/`` and friends and files git ignores (the corpus is
    gitignored here); an empty ``.semgrepignore`` at ``--project-root`` turns both off."""
    ignore = project_root / ".semgrepignore"
    if not ignore.exists():
        ignore.write_text("# empty: the benchmark compares every tool on the same files\n")
    argv = [SEMGREP, "scan", "--config", str(SEMGREP_RULES), "--metrics=off", "--disable-version-check",
            "--json", "-j", str(os.cpu_count() or 1), "-q", "--project-root", str(project_root),
            "--output", str(out), *targets]
    env = dict(os.environ, SEMGREP_ENABLE_VERSION_CHECK="0", SEMGREP_SEND_METRICS="off")
    run = measure.run(argv, env=env, cwd=Path(tempfile.gettempdir()))
    try:
        report = json.loads(out.read_text())
        return Outcome(run, len(report.get("paths", {}).get("scanned", [])), len(report.get("results", [])))
    except (OSError, ValueError):
        return Outcome(run, None, None)


def sqlfluff(targets: list[str], out: Path, timeout: float = 1800.0) -> Outcome:
    argv = [SQLFLUFF, "lint", "--dialect", "ansi", "--format", "json", "--processes", str(os.cpu_count() or 1),
            "--nofail", "--disable-progress-bar", *targets]
    run = measure.run(argv, stdout=out, timeout=timeout)
    try:
        report = json.loads(out.read_text())
        return Outcome(run, len(report), sum(len(f.get("violations", [])) for f in report))
    except (OSError, ValueError):
        return Outcome(run, None, None)


def versions(peers: bool = True) -> dict[str, str]:
    found = {"execgate": measure.version_of([EXECGATE, "--version"])}
    if not peers:
        return found
    if peer_available(BANDIT):
        found["bandit"] = _first_line([BANDIT, "--version"])
    if peer_available(SEMGREP):
        found["semgrep"] = measure.version_of([SEMGREP, "--version", "--disable-version-check"])
    if peer_available(SQLFLUFF):
        found["sqlfluff"] = measure.version_of([SQLFLUFF, "--version"])
    return found


def _first_line(argv: list[str]) -> str:
    import subprocess

    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    return (done.stdout or done.stderr).strip().splitlines()[0]
