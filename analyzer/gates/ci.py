"""The CI gate: check once, write every output GitHub wants, return the gate's exit code.

``python -m analyzer.gates.ci [PATHS] [--changed-files LIST]`` runs the check a single time and
writes the SARIF file (for code scanning), the JSON report, the Markdown job summary
(appended to ``$GITHUB_STEP_SUMMARY``), annotations on stdout (workflow commands) and
the counts to ``$GITHUB_OUTPUT``. With ``--changed-files`` only the listed files that lie
under PATHS and that execgate can read are checked (the files a pull request changed).

Exit status: 0 pass; 1 blocked (or warned, with ``--fail-on warn``); 2 usage or policy
error, or unanalysable input under a fail-closed policy; ``--fail-on never`` always 0
once the check ran, and so does shadow mode (``--shadow``, ``EXECGATE_SHADOW=1``, policy
``mode: shadow``), whose summary says what would have been blocked.

With an audit log the decisions are recorded before the outputs are written, and a
checkpoint of the log (:mod:`analyzer.audit.checkpoint`, signed with the audit key) goes
into the job summary and the SARIF run properties: kept there, outside the log, it proves
later that no record up to it was removed.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import frontends
from ..catalogue import Catalogue
from ..engine import file_head
from ..model import Report

if TYPE_CHECKING:
    from ..prepare import Prepared

FAIL_ON = ("block", "warn", "never")


class CIError(Exception):
    """Something the person running the gate must fix; one line."""


def read_file_list(path: str) -> list[str]:
    """A list of paths, NUL-separated (``git diff -z``) or one per line."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CIError(f"{path}: cannot read the list of changed files: {exc.strerror or exc}") from None
    text = data.decode("utf-8", "surrogateescape")
    items = text.split("\0") if "\0" in text else text.splitlines()
    return [item for item in (i.strip("\r\n") for i in items) if item]


def _under(path: str, roots: list[str]) -> bool:
    target = os.path.normpath(os.path.abspath(path))
    for root in roots:
        base = os.path.normpath(os.path.abspath(root))
        if target == base or target.startswith(base.rstrip(os.sep) + os.sep):
            return True
    return False


def select_changed(changed: list[str], roots: list[str]) -> list[str]:
    """The changed files that still exist, lie under ``roots`` and are Python, SQL, shell or notebooks."""
    selected = []
    for path in changed:
        if not os.path.isfile(path) or os.path.islink(path) or not _under(path, roots):
            continue
        if frontends.language_for_path(path, file_head(path) if "." not in os.path.basename(path) else "") is None:
            continue
        selected.append(path)
    return sorted(dict.fromkeys(selected))


def build_report(args: argparse.Namespace, paths: list[str]) -> tuple[Report, Catalogue, Prepared]:
    """The same steps as ``execgate check`` (:func:`analyzer.prepare.prepare`): the report, the catalogue it
    was decided with (team rules included) and what was prepared (the audit trail, the mode)."""
    from ..prepare import GateRequest, PrepareError, prepare

    request = GateRequest(gate="ci", start=paths[0] if paths else None, policy_path=args.policy,
                          environment=args.environment, role=args.role, actor=args.actor, dialect=args.dialect,
                          baseline_path=args.baseline, audit_log=args.audit_log, audit_sink=args.audit_sink,
                          audit_key=args.audit_key, shadow=args.shadow)
    try:
        prepared = prepare(request)
    except PrepareError as exc:
        raise CIError(str(exc)) from None
    for warning in prepared.warnings:
        print(f"execgate: warning: {warning}", file=sys.stderr)
    report = prepared.checker.check_paths(paths, jobs=args.jobs, cache=False)
    return report, prepared.checker.catalogue, prepared


def gate_code(report: Report, fail_on: str, shadow: bool = False) -> int:
    if fail_on == "never" or shadow:
        return 0
    code = report.exit_code()
    if code == 0 and fail_on == "warn" and any(f.action == "warn" for f in report.findings):
        return 1
    return code


def _write(path: str, text: str, append: bool = False) -> None:
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a" if append else "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise CIError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _link_base() -> str | None:
    server, repo, sha = (os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if server and repo and sha:
        return f"{server}/{repo}/blob/{sha}"
    return None


def write_outputs(report: Report, catalogue: Catalogue, args: argparse.Namespace, code: int,
                  shadow: bool = False, checkpoint: dict[str, Any] | None = None) -> None:
    from ..reporters import github, json_report, sarif, summary

    root = args.root
    if args.sarif:
        _write(args.sarif, sarif.render(report, catalogue, root=root, category=args.category, shadow=shadow,
                                        checkpoint=checkpoint))
    if args.json:
        _write(args.json, json_report.render(report, shadow=shadow))
    if args.summary:
        _write(args.summary, summary.render(report, link_base=_link_base(), root=root, shadow=shadow,
                                            checkpoint=checkpoint) + "\n", append=True)
    if args.annotations:
        sys.stdout.write(github.render(report, root=root))
    if args.github_output:
        counts = json_report.summary(report)
        lines = [f"{key}={counts[key]}" for key in ("files", "block", "warn", "allow", "errors")]
        lines += [f"exit-code={code}", f"sarif-file={args.sarif or ''}"]
        _write(args.github_output, "\n".join(lines) + "\n", append=True)


def _nothing_to_check(args: argparse.Namespace) -> None:
    if args.summary:
        _write(args.summary, "## execgate: :white_check_mark: passed\n\nNo changed Python, SQL, shell or "
                             "notebook files to check.\n\n", append=True)
    if args.github_output:
        _write(args.github_output, "files=0\nblock=0\nwarn=0\nallow=0\nerrors=0\nexit-code=0\n"
                                   f"sarif-file={args.sarif or ''}\n", append=True)
    print("execgate: no changed Python, SQL, shell or notebook files to check")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analyzer.gates.ci", description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="*", default=["."], help="files and folders (default: .)")
    p.add_argument("--changed-files", help="check only these files (one a line, or NUL-separated)")
    p.add_argument("--policy")
    p.add_argument("--env", dest="environment")
    p.add_argument("--role")
    p.add_argument("--actor")
    p.add_argument("--dialect")
    p.add_argument("--baseline")
    p.add_argument("--audit-log")
    p.add_argument("--audit-sink", help="a shared audit log: postgresql://... (also EXECGATE_AUDIT_SINK)")
    p.add_argument("--audit-key", help="sign the audit records with this key (also EXECGATE_AUDIT_KEY)")
    p.add_argument("--shadow", action="store_true", default=None,
                   help="decide and record everything, fail nothing (also EXECGATE_SHADOW=1)")
    p.add_argument("--sarif", help="write SARIF 2.1.0 here")
    p.add_argument("--json", help="write the JSON report here")
    p.add_argument("--summary", default=os.environ.get("GITHUB_STEP_SUMMARY") or None,
                   help="append the Markdown summary here (default: $GITHUB_STEP_SUMMARY)")
    p.add_argument("--github-output", default=os.environ.get("GITHUB_OUTPUT") or None,
                   help="append counts here (default: $GITHUB_OUTPUT)")
    p.add_argument("--no-annotations", dest="annotations", action="store_false",
                   help="do not print workflow-command annotations")
    p.add_argument("--category", default="execgate/", help="SARIF automationDetails.id (default: execgate/)")
    p.add_argument("--root", help="repository root for relative paths (default: $GITHUB_WORKSPACE or git)")
    p.add_argument("--fail-on", choices=FAIL_ON, default="block")
    p.add_argument("--jobs", "-j", type=int, default=0)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        paths = list(args.paths)
        if args.changed_files is not None:
            paths = select_changed(read_file_list(args.changed_files), paths)
            if not paths:
                _nothing_to_check(args)
                return 0
        report, catalogue, prepared = build_report(args, paths)
        code = gate_code(report, args.fail_on, prepared.shadow)
        checkpoint = None
        if prepared.audit is not None:
            from ..audit.log import AuditError

            try:
                prepared.audit.record(report, gate="ci")
                checkpoint = prepared.audit.checkpoint()
            except AuditError as exc:
                print(f"execgate: {exc}", file=sys.stderr)
                if exc.refuse and args.fail_on != "never" and not prepared.shadow:
                    code = code or 2
        write_outputs(report, catalogue, args, code, prepared.shadow, checkpoint)
        return code
    except CIError as exc:
        print(f"execgate: {exc}", file=sys.stderr)
        if args.summary:
            try:
                _write(args.summary, f"## execgate: :warning: could not run\n\n{exc}\n\n", append=True)
            except CIError:
                pass
        return 2


if __name__ == "__main__":
    sys.exit(main())
