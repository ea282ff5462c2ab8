"""The SARIF 2.1.0 report, shaped for GitHub code scanning.

One run: the rules that have results (with the why, example and alternative of
the catalogue the check used, team rules included, as help), one result per finding with its policy decision, paths
relative to the repository root, stable fingerprints, suppressions (``inSource`` for an
``execgate: allow`` comment, ``external`` for what the policy allows: a scratch target, an
allowed host) and baseline state, and the files that could not be analysed as tool execution
notifications. GitHub takes at most 10 MB gzipped and 25,000 results a run:
larger reports are cut deterministically (blocks first) and say so.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..catalogue import Catalogue, Rule, fill
from ..model import AnalysisError, Finding, Location, Report
from ..version import __version__
from .json_report import summary
from .paths import STDIN, default_root, relative_path

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/execgate/"
DEFAULT_CATEGORY = "execgate/"
SRCROOT = "%SRCROOT%"

LEVELS = {"block": "error", "warn": "warning", "allow": "note"}
SEVERITY_LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}

MAX_RESULTS = 25_000           # GitHub keeps at most 25,000 results a run
MAX_GZIP_BYTES = 9_500_000     # under GitHub's 10 MB (gzipped) upload limit, with room to spare
MAX_MESSAGE = 1_000            # characters of a result message
MAX_SNIPPET = 400              # characters of evidence kept in a region snippet
_PRIORITY = {"block": 0, "warn": 1, "allow": 2}


def render(report: Report, catalogue: Catalogue, root: str | None = None, category: str = DEFAULT_CATEGORY,
           cwd: str | None = None, max_gzip_bytes: int = MAX_GZIP_BYTES, shadow: bool = False,
           checkpoint: dict[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The SARIF log as JSON text; ``catalogue`` is the one the check decided with (team rules
    included); paths are made relative to ``root`` (default: the repository). In shadow mode the
    run's ``mode`` property says so and its exit code is 0; ``checkpoint`` (of the audit log)
    is kept in the run property ``execgate/auditCheckpoint``."""
    root = root or default_root(cwd, environ)
    limit = min(MAX_RESULTS, len(report.findings))
    while True:
        data = as_dict(report, catalogue, root, category, cwd, limit)
        run = data["runs"][0]
        run["properties"]["mode"] = "shadow" if shadow else "enforce"
        if shadow:
            run["invocations"][0]["exitCode"] = 0
        if checkpoint is not None:
            run["properties"]["execgate/auditCheckpoint"] = checkpoint
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"
        size = _size(text, max_gzip_bytes)
        if limit == 0 or size <= max_gzip_bytes:
            return text
        # Too big: keep proportionally fewer results (at most half as many), deterministically.
        limit = min(limit // 2, int(limit * max_gzip_bytes * 0.9 / size))


def _size(text: str, budget: int) -> int:
    """The size that counts against the upload limit: gzipped, unless the plain text already fits."""
    data = text.encode("utf-8")
    if len(data) <= budget:
        return len(data)
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def as_dict(report: Report, catalogue: Catalogue, root: str, category: str = DEFAULT_CATEGORY,
            cwd: str | None = None, max_results: int = MAX_RESULTS) -> dict[str, Any]:
    kept = _keep(report.findings, max_results)
    rule_ids = sorted({f.operation.rule for f in kept})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    first: dict[str, Finding] = {}
    for finding in kept:
        first.setdefault(finding.operation.rule, finding)
    rules = [rule_descriptor(rule_id, catalogue.rules.get(rule_id), first[rule_id]) for rule_id in rule_ids]
    occurrences: dict[str, int] = {}
    artifacts: dict[str, dict[str, Any]] = {}
    results = [result(f, index[f.operation.rule], root, cwd, occurrences, artifacts) for f in kept]
    notifications = [error_notification(e, root, cwd, report.policy.fail_closed) for e in report.errors]
    dropped = len(report.findings) - len(kept)
    if dropped:
        notifications.append({
            "level": "warning",
            "descriptor": {"id": "execgate/truncated"},
            "message": {"text": f"{len(report.findings):,} findings; only {len(kept):,} fit GitHub's limits "
                                f"(blocked first, then warned, then allowed): {dropped:,} left out. "
                                "The JSON report has them all."},
        })
    counts = summary(report)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "execgate",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "automationDetails": {"id": category},
            "originalUriBaseIds": {SRCROOT: {"uri": Path(root).resolve().as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": not report.errors,
                "exitCode": report.exit_code(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "properties": {
                "policy": {"source": report.policy.source, "sha256": report.policy.sha256},
                "context": report.context.as_json(),
                "summary": counts,
                "truncated": dropped > 0,
            },
        }],
    }


def _keep(findings: list[Finding], limit: int) -> list[Finding]:
    if len(findings) <= limit:
        return list(findings)
    ranked = sorted(range(len(findings)), key=lambda i: (_PRIORITY[findings[i].action], i))[:limit]
    return [findings[i] for i in sorted(ranked)]


# -- rules -------------------------------------------------------------------------


def rule_descriptor(rule_id: str, rule: Rule | None, example_finding: Finding) -> dict[str, Any]:
    op = example_finding.operation
    title = rule.title if rule else rule_id
    why = fill(rule.why or rule.message, {}) if rule else op.message
    severity = rule.severity if rule else op.severity
    category = rule.category if rule else op.category
    language = rule.language if rule else op.language
    level = SEVERITY_LEVELS.get(severity, "warning")
    return {
        "id": rule_id,
        "name": _rule_name(rule_id),
        "shortDescription": {"text": title},
        "fullDescription": {"text": why},
        "help": {"text": help_text(rule_id, rule, op.message), "markdown": help_markdown(rule_id, rule, op.message)},
        "defaultConfiguration": {"level": level},
        "properties": {
            "tags": [category, language, "security"],
            "security-severity": SECURITY_SEVERITY.get(severity, "5.5"),
            "problem.severity": PROBLEM_SEVERITY[level],
            "precision": "high",
            "category": category,
            "severity": severity,
        },
    }


def _rule_name(rule_id: str) -> str:
    words = rule_id.replace(".", "-").replace("_", "-").split("-")
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def help_text(rule_id: str, rule: Rule | None, fallback: str) -> str:
    if rule is None:
        return f"{rule_id}: {fallback}"
    parts = [rule.title]
    if rule.why:
        parts.append(f"Why: {fill(rule.why, {})}")
    if rule.example:
        parts.append("Example:\n" + "\n".join("    " + line for line in rule.example.splitlines()))
    if rule.alternative:
        parts.append(f"Instead: {fill(rule.alternative, {})}")
    parts.append(f"More: execgate explain {rule_id}")
    return "\n\n".join(parts)


def help_markdown(rule_id: str, rule: Rule | None, fallback: str) -> str:
    if rule is None:
        return f"**{rule_id}**: {fallback}"
    parts = [f"**{rule.title}** (`{rule_id}`)"]
    if rule.why:
        parts.append(f"**Why:** {fill(rule.why, {})}")
    if rule.example:
        fence = "```"
        while fence in rule.example:
            fence += "`"
        lang = {"shell": "bash"}.get(rule.language, rule.language)
        parts.append(f"**Example:**\n\n{fence}{lang}\n{rule.example}\n{fence}")
    if rule.alternative:
        parts.append(f"**Instead:** {fill(rule.alternative, {})}")
    parts.append(f"Run `execgate explain {rule_id}` for more.")
    return "\n\n".join(parts)


# -- results -----------------------------------------------------------------------


def artifact_location(path: str, root: str, cwd: str | None = None) -> dict[str, Any]:
    if path == STDIN:
        return {"uri": "stdin", "description": {"text": "standard input"}}
    rel = relative_path(path, root, cwd)
    if rel is not None:
        return {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}
    return {"uri": Path(path).resolve().as_uri()}


def file_line(location: Location) -> int:
    """The line of the real file: for a notebook cell the .ipynb line when known, else 1."""
    if location.cell is None:
        return max(location.line, 1)
    return max(location.file_line or 1, 1)


def region(location: Location, evidence: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"startLine": file_line(location)}
    if location.cell is None:
        out["startColumn"] = max(location.column, 1)
    lines = evidence.splitlines()
    if lines and lines[0].strip():
        out["snippet"] = {"text": _cut(lines[0], MAX_SNIPPET)}
    return out


def message_text(finding: Finding) -> str:
    op = finding.operation
    decision = finding.decision
    text = op.message.rstrip(". ")
    if op.location.cell is not None:
        text += f" (cell {op.location.cell}, line {op.location.line})"
    if finding.suppression is not None:
        text += f". Suppressed in the source: {finding.suppression.justification}"
    elif finding.baselined:
        text += ". In the baseline: not gating"
    text += f". Policy decision {decision.action}: {decision.reason} (policy rule {decision.policy_rule})"
    return _cut(text, MAX_MESSAGE)


def line_hash(rule: str, uri: str, evidence: str) -> str:
    """Hash of the rule, the path and the evidence line with all whitespace removed, so that
    re-indenting or moving the line keeps the alert (GitHub's primaryLocationLineHash idea)."""
    first = evidence.splitlines()[0] if evidence.strip() else ""
    normalised = "".join(first.split())
    return hashlib.sha256(f"{rule}\0{uri}\0{normalised}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


def result(finding: Finding, rule_index: int, root: str, cwd: str | None,
           occurrences: dict[str, int], artifacts: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    op = finding.operation
    loc = op.location
    artifacts = {} if artifacts is None else artifacts
    if loc.path not in artifacts:
        artifacts[loc.path] = artifact_location(loc.path, root, cwd)
    artifact = dict(artifacts[loc.path])
    base = line_hash(op.rule, artifact["uri"], op.evidence or op.message)
    occurrences[base] = occurrences.get(base, 0) + 1
    count = occurrences[base]
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact,
                                                     "region": region(loc, op.evidence)}}
    properties: dict[str, Any] = {
        "decision": finding.action,
        "policy_decision": finding.decision.action,
        "policy_rule": finding.decision.policy_rule,
        "reason": finding.decision.reason,
        "targets": list(op.targets),
        "category": op.category,
        "severity": op.severity,
        "language": op.language,
    }
    if op.verb:
        properties["verb"] = op.verb
    if op.details:
        properties["details"] = dict(op.details)
    if loc.cell is not None:
        name = f"cell {loc.cell}"
        location["logicalLocations"] = [{"name": name, "fullyQualifiedName": f"{artifact['uri']}#{name}",
                                         "kind": "module"}]
        properties.update({"cell": loc.cell, "cell_id": loc.cell_id, "cell_line": loc.line,
                           "cell_column": loc.column})
    out: dict[str, Any] = {
        "ruleId": op.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.action],
        "message": {"text": message_text(finding)},
        "locations": [location],
        "partialFingerprints": {"primaryLocationLineHash": f"{base}:{count}"},
        "fingerprints": {"execgate/v1": hashlib.sha256(
            f"{base}\0{count}\0{loc.cell}".encode()).hexdigest()},
        "properties": properties,
    }
    if finding.suppression is not None:
        out["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                "justification": finding.suppression.justification}]
    elif finding.decision.action == "allow" and not finding.baselined:
        # Allowed by the policy (a scratch target, an allowed host, a policy rule): accepted outside
        # the source, so code scanning records it without opening an alert.
        out["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": _cut(f"{finding.decision.reason} ({finding.decision.policy_rule})",
                                                      MAX_MESSAGE)}]
    if finding.baselined:
        out["baselineState"] = "unchanged"
    return out


def error_notification(error: AnalysisError, root: str, cwd: str | None, fail_closed: bool) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(error.path, root, cwd)}
    if error.line is not None and error.cell is None:
        physical["region"] = {"startLine": max(error.line, 1)}
    note: dict[str, Any] = {
        "level": "error" if fail_closed else "warning",
        "descriptor": {"id": "execgate/analysis-error"},
        "message": {"text": _cut(error.display(), MAX_MESSAGE)},
        "locations": [{"physicalLocation": physical}],
    }
    if error.cell is not None:
        note["properties"] = {"cell": error.cell, "cell_line": error.line}
    return note


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"

