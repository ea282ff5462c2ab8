"""The IPython gate's decision for one cell, kept apart from IPython itself.

:class:`Gate` holds what lives as long as a kernel: the Python front end's
session (bindings and taint of the cells run so far, so a secret read in one
cell and sent in the next is seen), the policy (re-read only when its file
changes, :func:`analyzer.policy.cache.load_policy_cached`), the context (resolved
again only when the ``EXECGATE_*`` variables or the policy change) and the last
decision for ``%execgate explain``. :meth:`Gate.check` never runs the cell and
never prints; :mod:`analyzer.gates.ipython.extension` turns a :class:`Verdict` into a
refusal or a notice.

Per-cell cost is what the benchmark measures, so a cell with no trigger word
and no tampering word costs a few ``stat`` calls and two regular expressions.
"""
from __future__ import annotations

import ast
import os
from collections.abc import Mapping
from pathlib import Path

from ...audit.trail import AuditTrail
from ...catalogue import Catalogue
from ...frontends.python.apis import python_catalogue
from ...frontends.python.walker import PythonSession, worth_parsing
from ...model import Analysis, AnalysisError, Context, Finding, Location, Report
from ...policy.cache import load_policy_cached
from ...policy.rules import Policy, PolicyError
from ...prepare import ENVIRONMENT_VARIABLES, GateRequest, Prepared, PrepareError, prepare_with_policy
from ...records import Record, field
from .tamper import Tampering, find_tampering, might_tamper


class Verdict(Record):
    """What the gate decided about one cell, and why."""

    label: str                                  # "In[3]": the cell's name in reports and the audit log
    source: str                                 # the text the findings' lines refer to
    refused: bool = False
    findings: list[Finding] = field(default_factory=list)
    errors: list[AnalysisError] = field(default_factory=list)
    tampering: list[Tampering] = field(default_factory=list)
    problem: str | None = None                  # the gate itself could not decide (fails closed)
    notes: list[str] = field(default_factory=list)  # printed to stderr, the cell still runs
    analysed: bool = True                       # False: the prefilter found nothing worth reading
    report: Report | None = None
    audit_log: str | None = None                # where the decision is recorded (None: nowhere)
    catalogue: Catalogue | None = None          # the rules' texts (with the team's) behind the findings
    audit: AuditTrail | None = None             # what records it (signs, stamps, writes)
    shadow: bool = False                        # shadow mode: a refusal is only shown, the cell runs
    unrecorded_refuses: bool = True             # a decision that could not be recorded refuses the cell

    @property
    def warned(self) -> list[Finding]:
        return [f for f in self.findings if f.action == "warn"]


class Gate:
    """One kernel's gate: session, policy, context and the last decision."""

    def __init__(self, start: str | None = None, environ: Mapping[str, str] | None = None) -> None:
        # Policy discovery starts where the kernel started: a cell that changes directory
        # (``%cd /tmp/elsewhere``) must not be able to pick a more lenient policy file.
        self.start = str(Path(start or os.getcwd()).resolve())
        self.environ = os.environ if environ is None else environ
        self.policy_override: str | None = None     # set by ``%execgate policy PATH``
        self.session = PythonSession()
        self.last: Verdict | None = None
        self.bypass_events: list[str] = []
        self._prepared_key: tuple | None = None
        self._prepared: Prepared | None = None

    # -- policy and context ------------------------------------------------------------------------

    def policy_choice(self) -> tuple[str | None, str]:
        """The policy path to use (None: found upward or built-in) and where that choice came from."""
        if self.policy_override:
            return self.policy_override, "%execgate policy"
        pinned = self.environ.get("EXECGATE_POLICY")
        if pinned:
            return pinned, "EXECGATE_POLICY"
        return None, f"found upward from {self.start}"

    def policy(self) -> Policy:
        path, _ = self.policy_choice()
        return load_policy_cached(path, start=None if path else Path(self.start))

    def prepared(self, policy: Policy) -> Prepared:
        """The checker, context and audit log for ``policy``, assembled again only when the policy
        or a variable the context reads changes."""
        key = (id(policy), policy.sha256) + tuple(self.environ.get(name) for name in ENVIRONMENT_VARIABLES)
        if key != self._prepared_key or self._prepared is None:
            request = GateRequest(gate="ipython", environ=self.environ, cwd=self.start, workdir=self.start)
            self._prepared = prepare_with_policy(policy, request)
            self._prepared_key = key
        return self._prepared

    def context(self, policy: Policy) -> Context:
        return self.prepared(policy).context

    # -- one cell ------------------------------------------------------------------------------------

    def check(self, tree: ast.Module, text: str | None, transformed: str | None, label: str) -> Verdict:
        """Decide about a cell before it runs. ``text`` is the raw cell (its comments hold the
        suppressions and its lines are the ones shown), ``transformed`` the text ``tree`` was
        parsed from; either may be None when IPython did not say (then ``ast.unparse`` stands
        in and suppression comments are lost, so findings stand: fail closed)."""
        source = text if text is not None else ast.unparse(tree)
        scan = transformed if transformed is not None else (text if text is not None and not _has_magic(text)
                                                            else ast.unparse(tree))
        try:
            policy = self.policy()
            prepared = self.prepared(policy)
        except (PolicyError, PrepareError) as exc:
            # A policy that cannot be used, or an audit key that cannot be read: fail closed.
            what = "the policy cannot be used: " if isinstance(exc, PolicyError) else ""
            verdict = Verdict(label, source, refused=True, problem=f"{what}{exc}")
            self.last = verdict
            return verdict
        protected = (str(policy.path),) if policy.path is not None and policy.source != "built-in" else ()
        tampering = find_tampering(tree, protected) if might_tamper(scan) else []
        worth = worth_parsing(scan, python_catalogue(), self.session)
        checker = prepared.checker
        # The same answer for the session's own prefilter when it reads the same text: searched once.
        known = worth if scan == source and (worth or checker.options.prefilter) else None
        if not worth and not tampering:
            # Nothing here can be an operation, but what it binds matters to later cells
            # (`import shutil as s` here, `s.rmtree(...)` next): the session reads its bindings.
            self.session.analyze(source, Location(label), checker.options, tree=tree, worth=known)
            return Verdict(label, source, analysed=False)
        # Bindings of earlier cells that were put aside are read now, before the snapshot a
        # refusal rolls back to: they belong to cells that ran.
        self.session.flush()
        saved = dict(self.session.module.names), self.session.holes.count
        analysis = Analysis()
        if worth:
            analysis = self.session.analyze(source, Location(label), checker.options, tree=tree, worth=known)
        findings, errors, touches = checker.decide(analysis)
        report = checker.report(findings, errors, touches, [label])
        verdict = Verdict(label, source, findings=findings, errors=errors, tampering=tampering, report=report,
                          refused=bool(tampering) or report.exit_code() != 0, audit_log=prepared.audit_log,
                          catalogue=checker.catalogue, audit=prepared.audit, shadow=prepared.shadow)
        if errors and not policy.fail_closed:
            verdict.notes += [f"not fully analysed (fail_closed is off): {e.display()}" for e in errors]
        verdict.notes += [f"warning: {_where(f)} {f.operation.rule}: {f.operation.message} "
                          f"({f.decision.policy_rule})" for f in verdict.warned]
        if verdict.refused and not verdict.shadow:
            # The cell never runs: what its analysis bound must not stand for the next cell
            # (a refused `token = "clean"` does not clean a tainted token). In shadow mode it runs.
            self.session.module.names.clear()
            self.session.module.names.update(saved[0])
            self.session.holes.count = saved[1]
        self.last = verdict
        return verdict

    def audit_log(self) -> str | None:
        """Where decisions go, as shown: the variables, else the policy's ``audit.sink``/``audit.log``
        (a kernel has no flags)."""
        trail = self.audit()
        return trail.destination if trail is not None else None

    def audit(self) -> AuditTrail | None:
        """The audit trail of the prepared policy; when the policy cannot be used, the one the variables
        name (so a refusal for a broken policy is still recorded), or None."""
        try:
            return self.prepared(self.policy()).audit
        except (PolicyError, PrepareError):
            from ...audit.log import AuditError
            from ...audit.trail import open_trail

            try:
                return open_trail(Policy(), None, self.environ)
            except AuditError:
                return None


def _has_magic(text: str) -> bool:
    return any(line.lstrip().startswith(("%", "!")) for line in text.splitlines()) or "= !" in text


def _where(finding: Finding) -> str:
    return f"line {finding.operation.location.line}:"


def record(gate: Gate, verdict: Verdict) -> str | None:
    """Append the cell's decisions to the audit log, when one is configured.

    Returns a problem to show, or None. The caller refuses the cell on a problem when
    the policy fails closed, as the command line does: a log that cannot be written never
    turns a refusal into a pass, and an unrecorded pass is not allowed under fail_closed."""
    if not verdict.analysed:
        return None  # the prefilter found nothing worth reading: no decision was made
    trail = verdict.audit if verdict.report is not None else gate.audit()
    if trail is None:
        return None
    from ...audit import log as audit

    log = trail.destination
    sources = {verdict.label: audit.text_sha256(verdict.source)}
    try:
        records = []
        if verdict.report is not None:
            records = audit.records_for_report(verdict.report, "ipython", sources)
            if verdict.tampering:
                records = [r for r in records if r.get("event") != "clean"]
        records += [_event_record(gate, verdict, "tamper", f"line {t.line}: {t.what}", sources)
                    for t in verdict.tampering]
        if verdict.problem:
            records.append(_event_record(gate, verdict, "error", verdict.problem, sources))
        trail.append(records)
    except audit.AuditError as exc:
        verdict.unrecorded_refuses = exc.refuse is not False
        return f"the audit log {log} cannot be written: {exc}"
    except Exception as exc:  # noqa: BLE001 - anything else: report it, never pass on it
        return f"the audit log {log} cannot be written: {exc}"
    return None


def record_bypass(gate: Gate, what: str) -> str | None:
    """Log that the guard was found removed before a cell, and put back."""
    gate.bypass_events.append(what)
    return record_event(gate, what)


def record_event(gate: Gate, what: str) -> str | None:
    """Log something the gate did outside a cell's decision (guard put back, policy switched)."""
    trail = gate.audit()
    if trail is None:
        return None
    try:
        trail.append([_event_record(gate, None, "tamper", what, {})])
    except Exception as exc:  # noqa: BLE001 - the cell is not blocked by a log problem here
        return f"the audit log {trail.destination} cannot be written: {exc}"
    return None


def _event_record(gate: Gate, verdict: Verdict | None, event: str, reason: str,
                  sources: Mapping[str, str]) -> dict:
    """A record in the audit log's shape for what is not a finding: tampering, a gate failure."""
    from ...audit.log import event_record

    policy: Policy | None
    try:
        policy = gate.policy()
        context = gate.context(policy)
    except (PolicyError, PrepareError):
        policy, context = None, Context()
    label = verdict.label if verdict is not None else None
    return event_record(context, policy, "ipython", event, reason, "built-in:ipython-guard", path=label,
                        source=sources.get(label) if label else None)
