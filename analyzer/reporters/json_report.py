"""The JSON report (contract: version 1; fields are only ever added)."""
from __future__ import annotations

import json

from ..model import Finding, Report


def finding_dict(finding: Finding) -> dict:
    op = finding.operation
    loc = op.location
    entry = {
        "rule": op.rule,
        "category": op.category,
        "decision": finding.action,
        "severity": op.severity,
        "message": op.message,
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "cell": loc.cell,
        "language": op.language,
        "targets": list(op.targets),
        # Extensions of the contract: why, by which policy rule, and what the code was.
        "cell_id": loc.cell_id,
        "verb": op.verb,
        "evidence": op.evidence,
        "target_kind": op.target_kind,   # path | table | host | ... ("" when unknown)
        "details": dict(op.details),
        "policy_decision": finding.decision.action,
        "reason": finding.decision.reason,
        "policy_rule": finding.decision.policy_rule,
        "suppressed": finding.suppression is not None,
        "baselined": finding.baselined,
    }
    if finding.suppression is not None:
        entry["justification"] = finding.suppression.justification
    return entry


def as_dict(report: Report, shadow: bool = False) -> dict:
    """The report; in shadow mode ``mode`` says so and ``summary.exit_code`` is 0 while
    ``summary.would_exit_code`` is what enforcing would have returned."""
    return {
        "version": 1,
        "mode": "shadow" if shadow else "enforce",
        "policy": {"source": report.policy.source, "sha256": report.policy.sha256},
        "context": report.context.as_json(),
        "findings": [finding_dict(f) for f in report.findings],
        "errors": [{"path": e.path, "message": e.message, "line": e.line, "cell": e.cell} for e in report.errors],
        "notes": [{"path": n.path, "message": n.message, "line": n.line, "cell": n.cell} for n in report.notes],
        "usage": [{"kind": t.kind, "target": t.target, "access": t.access, "language": t.language,
                   "path": t.location.path, "line": t.location.line, "cell": t.location.cell}
                  for t in report.touches],
        "summary": summary(report, shadow),
    }


def summary(report: Report, shadow: bool = False) -> dict:
    counts = {"block": 0, "warn": 0, "allow": 0}
    for finding in report.findings:
        counts[finding.action] += 1
    return {"files": len(report.paths), "findings": len(report.findings), **counts,
            "errors": len(report.errors), "exit_code": 0 if shadow else report.exit_code(),
            "would_exit_code": report.exit_code()}


def render(report: Report, shadow: bool = False) -> str:
    return json.dumps(as_dict(report, shadow), indent=2, sort_keys=False) + "\n"
