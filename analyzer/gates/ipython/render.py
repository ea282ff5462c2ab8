"""What the IPython gate shows: the line on loading, a refusal in a few lines, ``%execgate explain``
and ``status``.

A refusal is read in a notebook output cell by someone who wants to fix the
cell, so it names the line, the rule, why it matters and what to do instead, and
nothing else (no traceback). The lines under a finding (why, policy, instead) are
:func:`analyzer.catalogue.finding_texts`, the same the text report and the agent hook print.
"""
from __future__ import annotations

from .gate import Gate, Verdict
from ...catalogue import Catalogue, finding_texts
from ...model import Finding

HEADER = "execgate refused this cell: nothing in it ran."
SHADOW_HEADER = "execgate (shadow mode) would have refused this cell; it runs:"


def refusal_lines(verdict: Verdict) -> list[str]:
    """The short text of a refusal, one entry per line."""
    lines = [HEADER]
    if verdict.problem:
        lines.append(f"  execgate could not analyse this cell: {verdict.problem}")
    for tampering in verdict.tampering:
        lines.append(f"  {verdict.label} line {tampering.line}: {_cell_line(verdict, tampering.line)}")
        lines.append(f"    guard: this cell {tampering.what}")
    for finding in verdict.findings:
        if finding.action == "block":
            lines += _finding_lines(verdict, finding, full=False)
    if verdict.report is not None and verdict.report.policy.fail_closed:
        for error in verdict.errors:
            lines.append(f"  execgate could not analyse this cell: {error.display()} (fail_closed)")
    lines.append("  %execgate explain shows the decision in full; "
                 "`# execgate: allow RULE -- reason` on the line suppresses a finding.")
    return lines


def shadow_lines(verdict: Verdict) -> list[str]:
    """What shadow mode says of a cell enforcing would have refused: the refusal, under its own header."""
    return [SHADOW_HEADER, *refusal_lines(verdict)[1:]]


def explain_lines(verdict: Verdict | None) -> list[str]:
    """``%execgate explain``: every finding of the last analysed cell with the policy rule behind it."""
    if verdict is None:
        return ["execgate: no cell has been checked yet."]
    state = "refused" if verdict.refused and not verdict.shadow else \
        "allowed (shadow mode: it would have been refused)" if verdict.refused else "allowed"
    lines = [f"execgate: {verdict.label} was {state}."]
    if verdict.problem:
        lines.append(f"  the gate could not decide: {verdict.problem}")
    for tampering in verdict.tampering:
        lines.append(f"  line {tampering.line}: guard: the cell {tampering.what} (built-in:ipython-guard)")
    for finding in verdict.findings:
        lines += _finding_lines(verdict, finding, full=True)
    for error in verdict.errors:
        lines.append(f"  not analysed: {error.display()}")
    if verdict.report is not None:
        policy = verdict.report.policy
        lines.append(f"  policy: {policy.source} (sha256 {policy.sha256[:12] or '-'})")
    if len(lines) == 1:
        lines.append("  nothing in it needed a decision.")
    return lines


def loaded_line(gate: Gate) -> str:
    """What ``%load_ext analyzer`` says: the guard is on, under which policy, for whom."""
    try:
        policy = gate.policy()
    except Exception as exc:  # noqa: BLE001 - loading must say a broken policy, not fail
        return (f"execgate: guard on, but the policy cannot be used ({exc}): every cell is refused until it is "
                "fixed; %execgate status for more")
    try:
        context = gate.context(policy)
    except Exception as exc:  # noqa: BLE001
        return f"execgate: guard on, policy {policy.source}, but the context cannot be resolved ({exc})"
    environment = context.environment or policy.environment
    shadow = " in SHADOW mode (nothing is refused, refusals are only shown)" if gate.prepared(policy).shadow else ""
    return (f"execgate: guard on{shadow}; policy {policy.source} (sha256 {policy.sha256[:12] or '-'}); "
            f"environment {environment or '-'}, actor {context.actor or '-'}, "
            f"actor_type {context.actor_type or '-'}; %execgate status for more")


def status_lines(gate: Gate, registered: bool) -> list[str]:
    """``%execgate status``: on or off, the policy and its hash, the context and where each value came from."""
    path, chosen_by = gate.policy_choice()
    lines = [f"execgate: {'on' if registered else 'OFF (the guard is not registered)'}"]
    try:
        policy = gate.policy()
    except Exception as exc:  # noqa: BLE001 - status must show a broken policy, not fail
        lines.append(f"  policy: cannot be used: {exc}")
        return lines
    lines.append(f"  policy: {policy.source} (chosen by {chosen_by})")
    lines.append(f"  policy sha256: {policy.sha256 or '-'}")
    lines.append(f"  fail_closed: {policy.fail_closed}")
    context = gate.context(policy)
    sources = dict(context.sources)
    for key in ("environment", "role", "actor", "actor_type"):
        value = getattr(context, key)
        lines.append(f"  {key}: {value if value is not None else '-'}"
                     + (f" (from {sources[key]})" if key in sources else " (not set)"))
    lines.append(f"  audit log: {gate.audit_log() or 'none'}")
    prepared = gate.prepared(policy)
    lines.append(f"  mode: shadow (from {prepared.shadow_source}): nothing is refused" if prepared.shadow
                 else "  mode: enforce")
    if gate.bypass_events:
        lines.append(f"  guard put back {len(gate.bypass_events)} time(s): {gate.bypass_events[-1]}")
    return lines


def _finding_lines(verdict: Verdict, finding: Finding, full: bool) -> list[str]:
    op = finding.operation
    lines = [f"  {verdict.label} line {op.location.line}: {_cell_line(verdict, op.location.line) or op.evidence}",
             f"    {op.rule} ({finding.action}): {op.message}"]
    catalogue = verdict.catalogue if verdict.catalogue is not None else Catalogue({}, {})
    lines += [f"    {line}" for line in finding_texts(finding, catalogue).lines()]
    rule = catalogue.rules.get(op.rule)
    if full and rule is not None and rule.example:
        lines.append(f"    example of the problem: {_first_line(rule.example)}")
    return lines


def _cell_line(verdict: Verdict, line: int) -> str:
    lines = verdict.source.splitlines()
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
