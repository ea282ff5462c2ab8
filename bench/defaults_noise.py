"""How noisy the defaults are: the same folders checked under two policies, side by side.

    python bench/defaults_noise.py [FOLDER ...] [--before POLICY] [--after POLICY] [--env NAME] [--jobs N]

FOLDER defaults to tests/corpus/harmless and tests/corpus/dangerous (realistic files: the
first should pass, the second should block). POLICY is a policy file or the name of a built-in
one (``strict``, ``default``, ``none``: a file holding only ``extends: NAME``); ``--before``
defaults to ``strict`` (the old, stricter defaults: every egress blocks, build output is not
scratch) and ``--after`` to ``default``. Every file is checked as ``execgate check`` would,
with the policy given (a folder's own .execgate.yaml is not read) and the context of
``--env`` (default: none, as a plain ``execgate check``).

Printed: per folder, the files checked, the files blocked and the files with an error before
and after; the findings per rule (blocked / warned / allowed) before and after; then the files
whose outcome changed (blocked before and not after, or the reverse; all with --verbose). Exit 0, or 2 when a
policy cannot be loaded or a folder does not exist.
"""
from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analyzer.engine import Checker  # noqa: E402
from analyzer.model import Context, Report  # noqa: E402
from analyzer.policy.load import load_policy  # noqa: E402
from analyzer.policy.rules import Policy, PolicyError  # noqa: E402

DEFAULT_FOLDERS = (REPO / "tests" / "corpus" / "harmless", REPO / "tests" / "corpus" / "dangerous")
ACTIONS = ("block", "warn", "allow")
LISTED = 15   # changed files listed per folder and direction without --verbose


@dataclass
class Tally:
    """One policy's outcome over one folder."""
    files: int = 0
    blocked: set[str] = field(default_factory=set)     # files with a block
    errored: set[str] = field(default_factory=set)     # files that could not be (fully) analysed
    findings: Counter[tuple[str, str]] = field(default_factory=Counter)   # (rule, action) -> count


def policy_from(spec: str, scratch: Path) -> Policy:
    """A policy file, or the name of a built-in policy (a file that only extends it)."""
    path = Path(spec)
    if not path.exists() and "/" not in spec and not spec.endswith((".yaml", ".yml")):
        path = scratch / f"{spec}.execgate.yaml"
        path.write_text(f"extends: {spec}\n", encoding="utf-8")
    return load_policy(path)


def tally(report: Report) -> Tally:
    result = Tally(files=len(report.paths))
    for finding in report.findings:
        result.findings[(finding.operation.rule, finding.action)] += 1
        if finding.action == "block":
            result.blocked.add(finding.operation.location.path)
    result.errored = {error.path for error in report.errors}
    return result


def check(folder: Path, policy: Policy, context: Context, jobs: int) -> Tally:
    return tally(Checker(policy, context).check_paths([str(folder)], jobs=jobs))


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _split(counts: Counter[tuple[str, str]], rule: str) -> str:
    return "/".join(str(counts[(rule, action)]) for action in ACTIONS)


def report(folders: Sequence[Path], before: tuple[str, list[Tally]], after: tuple[str, list[Tally]],
           environment: str | None, verbose: bool = False) -> str:
    (before_name, befores), (after_name, afters) = before, after
    lines = [f"defaults noise: before = {before_name}, after = {after_name}, environment {environment or '(none)'}",
             ""]
    rows = []
    for folder, b, a in zip(folders, befores, afters, strict=True):
        rows.append([_display(folder), a.files, len(b.blocked), len(a.blocked), len(b.errored), len(a.errored)])
    lines += _table(["folder", "files", "blocked before", "blocked after", "errors before", "errors after"], rows)

    total_before: Counter[tuple[str, str]] = sum((b.findings for b in befores), Counter())
    total_after: Counter[tuple[str, str]] = sum((a.findings for a in afters), Counter())
    rules = sorted({rule for rule, _ in total_before} | {rule for rule, _ in total_after})
    changed_rules = [r for r in rules if _split(total_before, r) != _split(total_after, r)]
    shown = rules if verbose else changed_rules
    lines += ["", f"findings by rule, block/warn/allow ({'every rule' if verbose else 'rules whose decisions changed'}"
                  f"; {len(rules)} rules fired in all)"]
    if shown:
        lines += _table(["rule", "before", "after"],
                        [[r, _split(total_before, r), _split(total_after, r)] for r in shown])
        totals = [sum(total_before[(r, act)] for r in rules) for act in ACTIONS], \
                 [sum(total_after[(r, act)] for r in rules) for act in ACTIONS]
        lines.append(f"all rules: before {'/'.join(map(str, totals[0]))}, after {'/'.join(map(str, totals[1]))}")
    else:
        lines.append("(no rule's decisions changed)")

    for folder, b, a in zip(folders, befores, afters, strict=True):
        unblocked = sorted(b.blocked - a.blocked)
        newly = sorted(a.blocked - b.blocked)
        if unblocked or newly:
            lines += ["", f"{_display(folder)}: files whose outcome changed"]
            for label, paths in (("no longer blocked:", unblocked), ("now blocked:      ", newly)):
                listed = paths if verbose else paths[:LISTED]
                lines += [f"  {label} {_display(Path(p))}" for p in listed]
                if len(paths) > len(listed):
                    more = len(paths) - len(listed)
                    lines.append(f"  ... and {more} more {label.strip(' :')} (--verbose lists them)")
    return "\n".join(lines)


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, help="folders to check (default: tests/corpus/harmless "
                                                              "and tests/corpus/dangerous)")
    parser.add_argument("--before", default="strict", help="policy file or built-in name (default: strict)")
    parser.add_argument("--after", default="default", help="policy file or built-in name (default: default)")
    parser.add_argument("--env", default=None, help="environment of the context (default: none)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default 0: all cores)")
    parser.add_argument("--verbose", action="store_true", help="list every rule that fired, changed or not")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)
    folders = list(args.folders) or list(DEFAULT_FOLDERS)
    missing = [f for f in folders if not f.is_dir()]
    if missing:
        print(f"defaults_noise: not a folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    context = Context(environment=args.env)
    with tempfile.TemporaryDirectory(prefix="defaults-noise-") as scratch:
        try:
            policies = [policy_from(args.before, Path(scratch)), policy_from(args.after, Path(scratch))]
        except PolicyError as exc:
            print(f"defaults_noise: {exc} (give a policy file with --before / --after)", file=sys.stderr)
            return 2
        tallies = [[check(folder, policy, context, args.jobs) for folder in folders] for policy in policies]
    print(report(folders, (args.before, tallies[0]), (args.after, tallies[1]), args.env, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
