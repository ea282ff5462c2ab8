"""Conformance with destructive_command_guard's labelled command corpus.

    python bench/dcg_conformance.py CORPUS_DIR [--env NAME] [--verbose]

CORPUS_DIR is the guard's test corpus (github.com/Dicklesworthstone/destructive_command_guard,
``tests/corpus``): TOML files of ``[[case]]`` tables, each with a shell ``command`` and
``expected`` (or ``expected_decision``) = "deny" | "allow". Cases without a ``command`` (raw
hook-protocol input) belong to the agent hook's tests and are counted as skipped.

Every command goes through the shell front end and the built-in policy in a production
context (``--env``): it is "deny" when any operation blocks there (destructive, exfiltrating,
privilege and secret operations; evasion under fail_closed in prod) or when it could not be
analysed (fail closed), else "allow". The report gives the agreement per file, the deliberate
differences (where execgate decides otherwise on purpose, with the reason, listed below), and
every unexpected difference: a miss (the guard denies, execgate allows) or a false positive
(the guard allows, execgate denies).

Exit status: 0 when every difference is a listed one; 1 on an unexpected difference, or when a
listed difference no longer differs (the list must stay true); 2 when CORPUS_DIR holds no case.
"""
from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analyzer.frontends import Options, analyze  # noqa: E402
from analyzer.model import Context, Location  # noqa: E402
from analyzer.policy.load import load_policy  # noqa: E402
from analyzer.policy.rules import Policy  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (the test extra installs it)
    import tomli as tomllib

# (file relative to CORPUS_DIR, case description or id) -> why execgate decides otherwise.
DELIBERATE_DIFFERENCES: dict[tuple[str, str], str] = {
    ("edge_cases/future_packs.toml", "kubectl delete namespace (future: kubernetes.kubectl)"):
        "execgate already covers kubectl: deleting a namespace deletes everything in it",
    ("edge_cases/future_packs.toml", "kubectl delete all (future: kubernetes.kubectl)"):
        "execgate already covers kubectl: `delete all --all` empties the namespace",
    ("edge_cases/quoting.toml", "find with quoted expression is safe"):
        "`find -exec rm {} ;` deletes every match under the tree, exactly like `find -delete`",
    ("true_positives/rm_destructive.toml", "rm -rf on relative path (still blocked)"):
        "build/ at the top of the project is regenerable output, scratch in the default policy "
        "(`extends: strict` blocks it)",
    ("canonical.toml", "heredoc.inline.python"):
        "/tmp/** is scratch in execgate's default policy in every language, as `rm -rf /tmp/build` is",
    ("canonical.toml", "heredoc.inline.python.mixed-quotes"):
        "/tmp/** is scratch in execgate's default policy in every language, as `rm -rf /tmp/build` is",
}


@dataclass(frozen=True)
class Case:
    file: str      # relative to the corpus folder, with forward slashes
    label: str     # the case's description, else its id, else its index in the file
    command: str
    expected: str  # deny | allow


@dataclass(frozen=True)
class Outcome:
    case: Case
    got: str                  # deny | allow
    why: tuple[str, ...]      # the blocking rules, or "could not analyse: ..."

    @property
    def listed(self) -> bool:
        return (self.case.file, self.case.label) in DELIBERATE_DIFFERENCES

    @property
    def kind(self) -> str:
        """agree | deliberate | stale (listed, but agrees now) | miss | false-positive"""
        if self.got == self.case.expected:
            return "stale" if self.listed else "agree"
        if self.listed:
            return "deliberate"
        return "miss" if self.case.expected == "deny" else "false-positive"


def load_cases(corpus: Path) -> tuple[list[Case], int]:
    """The cases with a command, in file order, and how many were skipped (no command)."""
    cases: list[Case] = []
    skipped = 0
    for path in sorted(corpus.rglob("*.toml")):
        relative = path.relative_to(corpus).as_posix()
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for number, entry in enumerate(data.get("case", [])):
            if "command" not in entry:
                skipped += 1
                continue
            label = str(entry.get("description") or entry.get("id") or number)
            expected = str(entry.get("expected") or entry.get("expected_decision") or "").strip().lower()
            if expected not in ("deny", "allow"):
                raise ValueError(f"{relative}: case {label!r} expects {expected!r}, not deny or allow")
            cases.append(Case(relative, label, str(entry["command"]), expected))
    return cases, skipped


def decide(command: str, policy: Policy, context: Context) -> tuple[str, tuple[str, ...]]:
    """("deny" | "allow", the blocking rules or why the command could not be analysed)."""
    analysis = analyze("shell", command, Location("<command>"), Options())
    if analysis.errors:
        return "deny", tuple(f"could not analyse: {e.message}" for e in analysis.errors)
    blocked = sorted({op.rule for op in analysis.operations if policy.decide(op, context).action == "block"})
    return ("deny" if blocked else "allow"), tuple(blocked)


def run(cases: Sequence[Case], environment: str = "prod") -> list[Outcome]:
    policy = load_policy()
    context = Context(environment=environment)
    return [Outcome(case, *decide(case.command, policy, context)) for case in cases]


def _show(outcome: Outcome) -> list[str]:
    command = outcome.case.command if len(outcome.case.command) <= 100 else outcome.case.command[:97] + "..."
    lines = [f"  {outcome.case.file}: {outcome.case.label}",
             f"      command:  {command!r}",
             f"      guard: {outcome.case.expected}, execgate: {outcome.got}"
             + (f" ({', '.join(outcome.why)})" if outcome.why else "")]
    reason = DELIBERATE_DIFFERENCES.get((outcome.case.file, outcome.case.label))
    if reason:
        lines.append(f"      why:      {reason}")
    return lines


def report(outcomes: Sequence[Outcome], skipped: int, environment: str, verbose: bool = False) -> str:
    files = sorted({o.case.file for o in outcomes})
    total = len(outcomes)
    count = {kind: sum(o.kind == kind for o in outcomes) for kind in
             ("agree", "deliberate", "stale", "miss", "false-positive")}
    lines = [f"dcg conformance: {total} cases in {len(files)} files ({skipped} without a command skipped), "
             f"built-in policy, environment {environment}", ""]
    width = max([len("file"), *(len(f) for f in files)])
    lines.append(f"{'file'.ljust(width)}  cases  agree  deliberate  unexpected")
    for name in files:
        mine = [o for o in outcomes if o.case.file == name]
        lines.append(f"{name.ljust(width)}  {len(mine):5}  {sum(o.kind in ('agree', 'stale') for o in mine):5}  "
                     f"{sum(o.kind == 'deliberate' for o in mine):10}  "
                     f"{sum(o.kind in ('miss', 'false-positive') for o in mine):10}")
    agree = count["agree"] + count["stale"]
    lines += ["",
              f"agree:            {agree} of {total} ({100.0 * agree / total:.1f}%)",
              f"deliberate:       {count['deliberate']} (execgate decides otherwise on purpose)",
              f"misses:           {count['miss']} (the guard denies, execgate allows)",
              f"false positives:  {count['false-positive']} (the guard allows, execgate denies)"]
    if count["stale"]:
        lines.append(f"stale:            {count['stale']} listed as deliberate differences, but they agree now")
    sections = [("Deliberate differences", "deliberate"), ("Misses", "miss"),
                ("False positives", "false-positive"),
                ("Listed as deliberate but agreeing now (remove them from DELIBERATE_DIFFERENCES)", "stale")]
    if verbose:
        sections.append(("Agreements", "agree"))
    for title, kind in sections:
        chosen = [o for o in outcomes if o.kind == kind]
        if chosen:
            lines += ["", f"{title}:"]
            for outcome in chosen:
                lines += _show(outcome)
    seen = {(o.case.file, o.case.label) for o in outcomes}
    absent = sorted(key for key in DELIBERATE_DIFFERENCES if key[0] in files and key not in seen)
    if absent:
        lines += ["", "Listed deliberate differences this corpus does not hold:"]
        lines += [f"  {file}: {label}" for file, label in absent]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="folder of the guard's TOML case files")
    parser.add_argument("--env", default="prod", help="environment the commands are decided in (default: prod)")
    parser.add_argument("--verbose", action="store_true", help="also list every case that agrees")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    if not args.corpus.is_dir():
        print(f"dcg_conformance: {args.corpus} is not a folder", file=sys.stderr)
        return 2
    try:
        cases, skipped = load_cases(args.corpus)
    except (OSError, ValueError, tomllib.TOMLDecodeError) as exc:
        print(f"dcg_conformance: {exc}", file=sys.stderr)
        return 2
    if not cases:
        print(f"dcg_conformance: no [[case]] with a command under {args.corpus}", file=sys.stderr)
        return 2
    outcomes = run(cases, args.env)
    print(report(outcomes, skipped, args.env, args.verbose))
    unexpected = [o for o in outcomes if o.kind in ("miss", "false-positive", "stale")]
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
