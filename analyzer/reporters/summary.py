"""The Markdown job summary: verdict, counts, policy and context, and a table of what gates.

Works from the JSON report (contract, version 1), so a saved report can be turned
into a summary later: ``python -m analyzer.reporters.summary report.json [--output FILE]``.
Links point at the file and line on the forge when ``link_base`` is given
(``https://github.com/OWNER/REPO/blob/SHA``).
"""
from __future__ import annotations

import argparse
import html
import json
import sys
from typing import Any

from ..model import Report

MAX_ROWS = 200           # GitHub shows at most 1 MiB of summary per step
_VERDICTS = {0: ":white_check_mark: passed", 1: ":no_entry: blocked", 2: ":warning: failed closed"}
_SHADOW_VERDICTS = {1: "would have been blocked", 2: "would have failed closed"}
_MARKS = {"block": "**block**", "warn": "warn"}
_REQUIRED = ("rule", "decision", "message", "path", "line")


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell: no HTML, no pipes, one line."""
    value = html.escape("" if text is None else str(text), quote=False)
    return " ".join(value.replace("|", "\\|").replace("`", "&#96;").split())


def place(finding: dict[str, Any], path: str) -> str:
    if finding.get("cell") is not None:
        return f"{path}:cell {finding['cell']}:{finding['line']}"
    return f"{path}:{finding['line']}"


def link(finding: dict[str, Any], link_base: str | None, paths: dict[str, str] | None = None) -> str:
    path = (paths or {}).get(finding["path"], finding["path"])
    label = cell(place(finding, path))
    if not link_base or path.startswith(("/", "<")) or path.startswith(".."):
        return label
    line = finding.get("file_line") or (finding["line"] if finding.get("cell") is None else 1)
    from urllib.parse import quote

    return f"[{label}]({link_base.rstrip('/')}/{quote(path)}#L{line})"


def render_dict(data: dict[str, Any], link_base: str | None = None, title: str = "execgate",
                paths: dict[str, str] | None = None) -> str:
    """Markdown for a JSON report; ``paths`` maps report paths to repository-relative ones."""
    counts = data.get("summary", {})
    verdict = _VERDICTS.get(counts.get("exit_code", 0), "unknown")
    if data.get("mode") == "shadow":
        would = counts.get("would_exit_code", 0)
        verdict = ":eyes: shadow mode: " + ("passed" if not would else
                                             _SHADOW_VERDICTS.get(would, "unknown") + "; nothing was blocked")
    gating = [f for f in data.get("findings", []) if f.get("decision") in ("block", "warn")]
    out = [f"## {title}: {verdict}", ""]
    out.append(f"{counts.get('files', 0)} files checked: **{counts.get('block', 0)} blocked**, "
               f"{counts.get('warn', 0)} warned, {counts.get('allow', 0)} allowed, "
               f"{counts.get('errors', 0)} could not be analysed.")
    out.append("")
    policy = data.get("policy", {})
    context = data.get("context", {})
    sha = (policy.get("sha256") or "")[:12]
    out.append(f"Policy: `{cell(policy.get('source', 'built-in'))}`" + (f" (sha256 {sha})" if sha else "")
               + " · " + " · ".join(f"{key}: `{cell(context.get(key) or '-')}`"
                                    for key in ("environment", "role", "actor")))
    out.append("")
    if gating:
        out += ["| Decision | Rule | Where | What | Why |", "|---|---|---|---|---|"]
        for finding in gating[:MAX_ROWS]:
            out.append(f"| {_MARKS[finding['decision']]} | `{cell(finding['rule'])}` | "
                       f"{link(finding, link_base, paths)} | {cell(finding['message'])} | "
                       f"{cell(finding.get('reason', ''))} ({cell(finding.get('policy_rule', ''))}) |")
        if len(gating) > MAX_ROWS:
            out.append("")
            out.append(f"... and {len(gating) - MAX_ROWS} more: see the SARIF results or the JSON report.")
        out.append("")
    errors = data.get("errors", [])
    if errors:
        out.append("<details><summary>Could not be analysed</summary>")
        out.append("")
        for error in errors[:MAX_ROWS]:
            where = error["path"] + (f":{error['line']}" if error.get("line") else "")
            out.append(f"- `{cell(where)}`: {cell(error['message'])}")
        out += ["", "</details>", ""]
    if not gating and not errors:
        out += ["Nothing to stop.", ""]
    return "\n".join(out)


def render(report: Report, link_base: str | None = None, root: str | None = None, cwd: str | None = None,
           title: str = "execgate", shadow: bool = False, checkpoint: dict[str, Any] | None = None) -> str:
    """Markdown for a report; paths are made relative to ``root`` (default: the repository) for links.
    ``checkpoint`` (of the audit log, :mod:`analyzer.audit.checkpoint`) is shown with how to use it."""
    from .json_report import as_dict
    from .paths import default_root, display_path

    root = root or default_root(cwd)
    data = as_dict(report, shadow)
    for entry, finding in zip(data["findings"], report.findings, strict=True):
        entry["file_line"] = finding.operation.location.file_line
    paths = {f.operation.location.path: display_path(f.operation.location.path, root, cwd) for f in report.findings}
    text = render_dict(data, link_base=link_base, title=title, paths=paths)
    return text + ("\n" + checkpoint_markdown(checkpoint) if checkpoint else "")


def checkpoint_markdown(checkpoint: dict[str, Any]) -> str:
    """The audit log's checkpoint, kept here, outside the log: the line `audit verify --checkpoint` reads."""
    signed = f"signed with key {cell(checkpoint.get('key_id'))}" if checkpoint.get("sig") else "not signed"
    return "\n".join([
        "<details><summary>Audit log checkpoint</summary>", "",
        f"The audit log `{cell(checkpoint.get('log'))}` held {checkpoint.get('records')} records "
        f"({signed}). Keep this summary: `execgate audit verify LOG --checkpoint FILE` (FILE: this summary, "
        "or the line below) proves later that no record up to here was removed or changed.", "",
        "```json", json.dumps(checkpoint, sort_keys=True, separators=(",", ":")), "```", "", "</details>", ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analyzer.reporters.summary",
                                     description="Turn an execgate JSON report into a Markdown summary.")
    parser.add_argument("report", help="JSON report written by `execgate check --format json` ('-': stdin)")
    parser.add_argument("--output", "-o", help="append the Markdown here (default: stdout)")
    parser.add_argument("--link-base", help="e.g. https://github.com/OWNER/REPO/blob/SHA")
    args = parser.parse_args(argv)
    try:
        text = sys.stdin.read() if args.report == "-" else open(args.report, encoding="utf-8").read()
        data = json.loads(text)
    except OSError as exc:
        print(f"execgate: {args.report}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        print(f"execgate: {args.report}: not a JSON report: {exc}", file=sys.stderr)
        return 2
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("findings"), list):
        print(f"execgate: {args.report}: not an execgate JSON report (version 1)", file=sys.stderr)
        return 2
    for number, finding in enumerate(data["findings"], 1):
        missing = [key for key in _REQUIRED if not isinstance(finding, dict) or key not in finding]
        if missing:
            print(f"execgate: {args.report}: malformed report: finding {number} has no {', '.join(missing)}",
                  file=sys.stderr)
            return 2
    try:
        markdown = render_dict(data, link_base=args.link_base)
    except (KeyError, TypeError, AttributeError) as exc:
        print(f"execgate: {args.report}: malformed report: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    if args.output:
        try:
            with open(args.output, "a", encoding="utf-8") as handle:
                handle.write(markdown + "\n")
        except OSError as exc:
            print(f"execgate: {args.output}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(markdown + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
