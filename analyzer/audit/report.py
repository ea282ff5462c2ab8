"""Summaries of an audit log for an audit: what was decided, by whom, under which policy, and
whether the log can be trusted.

For a period (:class:`Period`, ``--since``/``--until``) the report says whether the whole log
is intact (chain, signatures with ``--public-key``, checkpoints), which gates reported,
the decisions by outcome, gate, actor, environment and rule, every block, every block
that shadow mode let through ("would have blocked"), every allow that came from a
suppression, the baseline or a rule of the project's policy with its reason, and every
policy version in force with when it was first and last seen.

:func:`summarise` verifies the log, then streams it once into a :class:`Summary` (a value);
:func:`render_markdown` and :func:`render_html` are pure functions of it. The
HTML page is self-contained: stdlib ``html`` escaping, inline SVG charts, no
scripts, nothing fetched. Every time is shown one way, in UTC
(``2025-03-01 09:15:00 UTC``; buckets ``2025-03-01 09:00``, their heading says UTC);
long values wrap inside their cells, and a table wider than the window scrolls
inside its own box.
"""
from __future__ import annotations

import html
import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

from ..records import Record, field
from .log import Anchor, SignatureCheck, VerifyResult
from .sinks import read_records, redact, verify_log

DECISIONS = ("block", "warn", "allow")
COLOURS = {"block": "#c62828", "warn": "#ef8f00", "allow": "#2e7d32"}
MAX_LISTED = 5000         # records listed in full in each list (blocked, ...); the rest are counted
MAX_FILLED_BUCKETS = 400  # empty days/hours drawn between the first and the last, up to this many


class TargetUse(Record):
    decisions: Counter = field(default_factory=Counter)
    actors: set[str] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)


class Period(Record, frozen=True):
    """From ``since`` (included) to ``until`` (excluded), in UTC; None is open."""

    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def parse(cls, since: str | None, until: str | None) -> Period:
        """``--since``/``--until``: a date (``until`` then takes in the whole day) or an ISO time (UTC
        when it gives no offset). ValueError with one line for anything else."""
        def read(value: str | None, name: str, whole_day: bool) -> datetime | None:
            if not value:
                return None
            when = parse_time(value)
            if when is None:
                raise ValueError(f"{name} {value!r}: not a date (2025-03-01) or an ISO time (2025-03-01T09:00Z)")
            if whole_day and len(value.strip()) == 10:
                when += timedelta(days=1)
            return when

        period = cls(read(since, "--since", False), read(until, "--until", True))
        if period.since and period.until and period.until <= period.since:
            raise ValueError(f"--until {until} is not after --since {since}")
        return period

    def contains(self, when: datetime | None) -> bool:
        if self.since is None and self.until is None:
            return True
        if when is None:
            return False
        return (self.since is None or when >= self.since) and (self.until is None or when < self.until)

    def text(self) -> str:
        if self.since is None and self.until is None:
            return "the whole log"
        start = utc_text(self.since) if self.since else "the start"
        end = utc_text(self.until) if self.until else "the end"
        return f"from {start} up to {end} (excluded)"


class PolicyUse(Record):
    """One version of the policy (source, sha256, commit) as the records show it in force."""

    source: str
    sha256: str
    commit: str | None
    modified: bool = False
    first_time: str | None = None
    last_time: str | None = None
    records: int = 0
    gates: set[str] = field(default_factory=set)


class Summary(Record):
    path: str
    chain: VerifyResult
    period: Period = field(default_factory=Period)
    outside: int = 0                  # records of the log outside the period
    shadow: int = 0                   # records decided in shadow mode
    would_block: list[dict[str, Any]] = field(default_factory=list)
    would_block_total: int = 0
    exceptions: list[dict[str, Any]] = field(default_factory=list)   # allowed by suppression, baseline, policy rule
    exceptions_total: int = 0
    policies: dict[tuple[str, str, str | None], PolicyUse] = field(default_factory=dict)
    records: int = 0
    unreadable_lines: int = 0
    first_time: str | None = None
    last_time: str | None = None
    decisions: Counter = field(default_factory=Counter)
    by_actor: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_rule: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_gate: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_environment: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    rule_category: dict[str, str] = field(default_factory=dict)
    blocked: list[dict[str, Any]] = field(default_factory=list)
    blocked_total: int = 0
    targets: dict[str, TargetUse] = field(default_factory=lambda: defaultdict(TargetUse))
    granularity: str = "day"
    over_time: list[tuple[str, Counter]] = field(default_factory=list)


def actor_label(record: dict[str, Any]) -> str:
    actor = record.get("actor") or "(unknown)"
    kind = record.get("actor_type")
    return f"{actor} ({kind})" if kind else str(actor)


def rule_label(record: dict[str, Any]) -> str:
    if record.get("rule"):
        return str(record["rule"])
    event = str(record.get("event") or "none")
    return {"error": "(analysis error)", "clean": "(nothing found)"}.get(event, f"({event})")  # e.g. (tamper)


def exception_kind(record: dict[str, Any]) -> str | None:
    """How an allowed finding got through, when it was by exception: a suppression, the baseline, or a
    rule of the project's policy (not the built-in defaults); None otherwise."""
    if record.get("decision") != "allow" or record.get("event") != "finding":
        return None
    if record.get("suppressed"):
        return "suppression"
    if record.get("baselined"):
        return "baseline"
    rule = str(record.get("policy_rule") or "")
    if record.get("policy_decision") == "allow" and rule and not rule.startswith("built-in"):
        return f"policy rule {rule}"
    return None


def exception_reason(record: dict[str, Any]) -> str:
    if record.get("suppressed"):
        return str(record.get("justification") or "(no reason given)")
    if record.get("baselined"):
        return "a known finding in the baseline"
    return str(record.get("reason") or "")


def summarise(log_path: str | os.PathLike[str], period: Period | None = None, keys: SignatureCheck | None = None,
              anchors: Iterable[Anchor] = ()) -> Summary:
    """Verify the whole log (chain, signatures with ``keys``, checkpoints), then read it once and count
    what happened in ``period``; raises AuditError if the log cannot be read."""
    destination = os.fspath(log_path)
    summary = Summary(redact(destination), verify_log(destination, keys, list(anchors)), period or Period())
    times: list[tuple[datetime, str]] = []
    for _, record in read_records(destination):
        if record is None:
            summary.unreadable_lines += 1
            continue
        if not summary.period.contains(parse_time(record.get("time"))):
            summary.outside += 1
            continue
        _count(summary, record, times)
    summary.granularity, summary.over_time = _buckets(times)
    if times:
        summary.first_time = utc_text(min(times)[0])
        summary.last_time = utc_text(max(times)[0])
    return summary


def parse_time(value: object) -> datetime | None:
    """A record's time as an aware UTC datetime (a time without an offset is taken as UTC)."""
    try:
        when = datetime.fromisoformat(str(value or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def utc_text(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


def time_label(value: object) -> str:
    """How a record's time is shown; a time that cannot be read is shown as written."""
    when = parse_time(value)
    return utc_text(when) if when is not None else ("" if value is None else str(value))


def _count(summary: Summary, record: dict[str, Any], times: list[tuple[datetime, str]]) -> None:
    decision = str(record["decision"]) if record.get("decision") in DECISIONS else "allow"
    summary.records += 1
    summary.decisions[decision] += 1
    actor = actor_label(record)
    summary.by_actor[actor][decision] += 1
    rule = rule_label(record)
    summary.by_rule[rule][decision] += 1
    if record.get("category"):
        summary.rule_category[rule] = str(record["category"])
    summary.by_gate[str(record.get("gate") or "(unknown)")][decision] += 1
    summary.by_environment[str(record.get("environment") or "(none)")][decision] += 1
    for target in record.get("targets") or []:
        use = summary.targets[str(target)]
        use.decisions[decision] += 1
        use.actors.add(actor)
        use.rules.add(rule)
    if record.get("shadow") is True:
        summary.shadow += 1
    if decision == "block" and record.get("shadow") is True:
        summary.would_block_total += 1
        if len(summary.would_block) < MAX_LISTED:
            summary.would_block.append(record)
    elif decision == "block":
        summary.blocked_total += 1
        if len(summary.blocked) < MAX_LISTED:
            summary.blocked.append(record)
    if exception_kind(record):
        summary.exceptions_total += 1
        if len(summary.exceptions) < MAX_LISTED:
            summary.exceptions.append(record)
    _count_policy(summary, record)
    when = parse_time(record.get("time"))
    if when is not None:
        times.append((when, decision))


def _count_policy(summary: Summary, record: dict[str, Any]) -> None:
    if not record.get("policy_sha256") and not record.get("policy_source"):
        return
    commit = record.get("policy_commit")
    key = (str(record.get("policy_source") or ""), str(record.get("policy_sha256") or ""),
           str(commit) if commit else None)
    use = summary.policies.get(key)
    if use is None:
        use = summary.policies[key] = PolicyUse(*key)
    use.records += 1
    use.modified = use.modified or record.get("policy_modified") is True
    use.gates.add(str(record.get("gate") or "(unknown)"))
    when = parse_time(record.get("time"))
    if when is not None:
        text = utc_text(when)
        use.first_time = min(use.first_time or text, text)
        use.last_time = max(use.last_time or text, text)


def policy_versions(summary: Summary) -> list[PolicyUse]:
    """The policy versions in force, in the order they came into force."""
    return sorted(summary.policies.values(), key=lambda u: (u.first_time or "", u.source, u.sha256))


def _buckets(times: list[tuple[datetime, str]]) -> tuple[str, list[tuple[str, Counter]]]:
    """Decisions per hour when the log spans two days or less, else per day; gaps drawn as empty."""
    if not times:
        return "day", []
    first, last = min(t for t, _ in times), max(t for t, _ in times)
    hourly = last - first <= timedelta(days=2)
    fmt, step = ("%Y-%m-%d %H:00", timedelta(hours=1)) if hourly else ("%Y-%m-%d", timedelta(days=1))
    counts: dict[str, Counter] = defaultdict(Counter)
    for when, decision in times:
        counts[when.strftime(fmt)][decision] += 1
    keys = sorted(counts)
    span = (last - first) // step + 1
    if span <= MAX_FILLED_BUCKETS:
        cursor = first.replace(minute=0, second=0, microsecond=0)
        if not hourly:
            cursor = cursor.replace(hour=0)
        keys = []
        while cursor <= last:
            keys.append(cursor.strftime(fmt))
            cursor += step
    return ("hour" if hourly else "day"), [(k, counts.get(k, Counter())) for k in keys]


def _sorted(table: dict[str, Counter]) -> list[tuple[str, Counter]]:
    return sorted(table.items(), key=lambda item: (-item[1]["block"], -sum(item[1].values()), item[0]))


def _chain_text(summary: Summary) -> str:
    chain = summary.chain
    if chain.ok:
        return f"intact ({chain.records} records; head {chain.head})"
    return f"BROKEN: {chain.problem}; {chain.records} records verified before it"


def _signature_text(summary: Summary) -> str:
    chain = summary.chain
    keys = ", ".join(chain.key_ids)
    if chain.signatures_checked:
        if not chain.ok:
            return "checked against the public key up to the first problem"
        text = f"{chain.signed} signatures verify (key {keys})" if chain.signed else "no records"
        if chain.unsigned_prefix:
            text += f"; {chain.unsigned_prefix} records before signing began, vouched for by the first signed one"
        return text
    if chain.signed:
        return f"{chain.signed} records signed (key {keys}), not checked: give --public-key"
    return "not signed: whoever can write the log could rewrite it and recompute the hashes"


def _checkpoint_text(summary: Summary) -> str:
    if not summary.chain.anchors:
        return "none given: records cut from the end would not show (give --checkpoint)"
    held = "held" if summary.chain.ok else "checked up to the first problem"
    return f"{summary.chain.anchors} {held}"


def _kind(record: dict[str, Any]) -> str:
    return exception_kind(record) or ""


def _policy_rows(summary: Summary) -> list[list[object]]:
    return [[u.source, u.sha256[:16], (u.commit or "-")[:12] + (" (modified)" if u.modified else ""),
             u.first_time or "-", u.last_time or "-", u.records, ", ".join(sorted(u.gates))]
            for u in policy_versions(summary)]


def _overview(summary: Summary) -> list[tuple[str, str]]:
    """(label, text) lines at the head of the report."""
    lines = [("Period", summary.period.text() + (f" ({summary.outside} records of the log outside it)"
                                                  if summary.outside else "")),
             ("Chain", _chain_text(summary)), ("Signatures", _signature_text(summary)),
             ("Checkpoints", _checkpoint_text(summary)),
             ("Records", f"{summary.records}" + (f" ({summary.unreadable_lines} unreadable lines)"
                                                 if summary.unreadable_lines else "")),
             ("Time", f"from {summary.first_time or '-'} to {summary.last_time or '-'} (all times UTC)"),
             ("Decisions", ", ".join(f"{d} {summary.decisions[d]}" for d in DECISIONS))]
    if summary.shadow:
        lines.append(("Shadow mode", f"{summary.shadow} records decided in shadow mode (nothing refused); "
                                     f"{summary.would_block_total} would have been blocked"))
    return lines


_LISTED = ["time (UTC)", "actor", "gate", "environment", "where", "rule", "targets", "reason"]
_EXCEPTIONS = ["time (UTC)", "actor", "gate", "where", "rule", "allowed by", "reason"]
_POLICIES = ["policy", "sha256", "commit", "in force from (UTC)", "last seen (UTC)", "records", "gates"]


def _listed_row(r: dict[str, Any]) -> list[object]:
    return [time_label(r.get("time")), actor_label(r), r.get("gate"), r.get("environment"), _location(r),
            rule_label(r), ", ".join(map(str, r.get("targets") or [])), r.get("reason")]


def _exception_row(r: dict[str, Any]) -> list[object]:
    return [time_label(r.get("time")), actor_label(r), r.get("gate"), _location(r), rule_label(r), _kind(r),
            exception_reason(r)]


def _location(record: dict[str, Any]) -> str:
    place = str(record.get("path") or "")
    if record.get("cell") is not None:
        place += f":cell {record['cell']}"
    if record.get("line") is not None:
        place += f":{record['line']}"
    return place


# -- Markdown --------------------------------------------------------------------------------


def _md(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ").replace("\r", " ")


def _md_table(headers: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def _counts_rows(table: dict[str, Counter]) -> list[list[object]]:
    return [[name, *(c[d] for d in DECISIONS), sum(c.values())] for name, c in _sorted(table)]


def _more(total: int, listed: list[dict[str, Any]]) -> list[str]:
    return [f"({total - len(listed)} more not listed)", ""] if total > len(listed) else []


def render_markdown(summary: Summary) -> str:
    out = [f"# execgate audit report: {_md(summary.path)}", ""]
    out += [f"- {label}: {_md(text)}" for label, text in _overview(summary)] + [""]
    headers = [*DECISIONS, "total"]
    for title, key, table in (("By gate (the gates that reported)", "gate", summary.by_gate),
                              ("By actor", "actor", summary.by_actor),
                              ("By environment", "environment", summary.by_environment)):
        out += [f"## {title}", "", *_md_table([key, *headers], _counts_rows(table))]
    out += ["## By rule", "", *_md_table(
        ["rule", "category", *headers],
        [[name, summary.rule_category.get(name, ""), *(c[d] for d in DECISIONS), sum(c.values())]
         for name, c in _sorted(summary.by_rule)])]
    out += [f"## Blocked ({summary.blocked_total})", ""]
    out += _md_table(_LISTED, [_listed_row(r) for r in summary.blocked]) + _more(summary.blocked_total, summary.blocked)
    if summary.shadow:
        out += [f"## Would have blocked (shadow mode) ({summary.would_block_total})", ""]
        out += _md_table(_LISTED, [_listed_row(r) for r in summary.would_block])
        out += _more(summary.would_block_total, summary.would_block)
    out += [f"## Allowed by exception ({summary.exceptions_total})", "",
            "Findings a suppression, the baseline or a rule of the project's policy let through, with the reason.", ""]
    out += _md_table(_EXCEPTIONS, [_exception_row(r) for r in summary.exceptions])
    out += _more(summary.exceptions_total, summary.exceptions)
    out += ["## Policy versions in force", ""]
    out += _md_table(_POLICIES, _policy_rows(summary))
    out += ["## Targets touched", ""]
    out += _md_table(["target", *headers, "actors", "rules"],
                     [[t, *(u.decisions[d] for d in DECISIONS), sum(u.decisions.values()),
                       ", ".join(sorted(u.actors)), ", ".join(sorted(u.rules))]
                      for t, u in sorted(summary.targets.items(), key=lambda i: (-i[1].decisions["block"], i[0]))])
    out += [f"## Decisions per {summary.granularity} (UTC)", ""]
    out += _md_table([f"{summary.granularity} (UTC)", *headers],
                     [[k, *(c[d] for d in DECISIONS), sum(c.values())] for k, c in summary.over_time])
    return "\n".join(out)


# -- HTML with inline SVG ----------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _html_table(headers: list[str], rows: list[list[object]], widths: list[str] | None = None,
                timed: bool = False) -> str:
    """A table in its own box (it scrolls there when it cannot fit); with ``widths`` (CSS widths per
    column, "" for the rest) the layout is fixed to the page width and long values wrap; ``timed``
    keeps the first column (a time) on one line."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>\n" for row in rows)
    columns, kind = "", ""
    if widths:
        kind = ' class="fixed timed"' if timed else ' class="fixed"'
        columns = "<colgroup>" + "".join(f'<col style="width:{w}">' if w else "<col>" for w in widths) + \
                  "</colgroup>\n"
    return (f'<div class="table-box">\n<table{kind}>\n{columns}<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}</tbody>\n</table>\n</div>\n")


def svg_stacked_columns(series: list[tuple[str, Counter]], title: str) -> str:
    """Decisions over time: one column per bucket, block/warn/allow stacked."""
    width, height, left, bottom, top = 760, 240, 48, 40, 16
    top_value = max((sum(c.values()) for _, c in series), default=0) or 1
    slot = (width - left - 8) / max(len(series), 1)
    bar = max(slot * 0.8, 1.0)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">',
             f"<title>{_e(title)}</title>",
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="#555"/>',
             f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11">{top_value}</text>',
             f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="11">0</text>']
    scale = (height - bottom - top) / top_value
    for index, (label, counts) in enumerate(series):
        x = left + index * slot + (slot - bar) / 2
        y = float(height - bottom)
        for decision in DECISIONS:
            h = counts[decision] * scale
            if h <= 0:
                continue
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{COLOURS[decision]}"><title>{_e(label)}: {counts[decision]} {decision}</title></rect>')
    for index in sorted({0, len(series) - 1}) if series else []:
        x = left + index * slot + slot / 2
        anchor = "start" if index == 0 else "end"
        parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="{anchor}" font-size="11">'
                     f"{_e(series[index][0])}</text>")
    parts.append("</svg>")
    return "\n".join(parts)


def svg_horizontal_bars(table: dict[str, Counter], title: str, limit: int = 15) -> str:
    """Decisions by actor or by rule: one stacked bar per name, the most blocked first."""
    rows = _sorted(table)[:limit]
    width, label_width, row_height = 760, 260, 22
    height = row_height * len(rows) + 10
    top_value = max((sum(c.values()) for _, c in rows), default=0) or 1
    scale = (width - label_width - 60) / top_value
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">', f"<title>{_e(title)}</title>"]
    for index, (name, counts) in enumerate(rows):
        y = 5 + index * row_height
        shown = name if len(name) <= 38 else name[:37] + "\u2026"
        parts.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" font-size="12">{_e(shown)}</text>')
        x = float(label_width)
        for decision in DECISIONS:
            w = counts[decision] * scale
            if w <= 0:
                continue
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_height - 6}" '
                         f'fill="{COLOURS[decision]}"><title>{_e(name)}: {counts[decision]} {decision}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}" font-size="12">{sum(counts.values())}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


_STYLE = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}
.table-box{max-width:100%;overflow-x:auto;margin:0.5em 0 1.5em}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
td{overflow-wrap:anywhere;word-break:break-word}th{overflow-wrap:break-word}
table.fixed{table-layout:fixed;width:100%;min-width:60em}
table.timed td:first-child{white-space:nowrap;overflow-wrap:normal;word-break:normal}
th{background:#f3f3f3}.broken{color:#c62828;font-weight:bold}.ok{color:#2e7d32}
.chart{max-width:100%;height:auto}.legend span{display:inline-block;margin-right:1em}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px}"""


_LISTED_WIDTHS = ["14em", "10%", "7%", "11%", "14%", "9%", "12%", ""]


def _html_more(total: int, listed: list[dict[str, Any]]) -> list[str]:
    return [f"<p>({total - len(listed)} more not listed)</p>"] if total > len(listed) else []


def render_html(summary: Summary) -> str:
    headers = [*DECISIONS, "total"]
    chain_class = "ok" if summary.chain.ok else "broken"
    legend = "".join(f'<span><i style="background:{COLOURS[d]}"></i>{d}</span>' for d in DECISIONS)
    overview = "".join(
        f'<li>{_e(label)}: <span class="{chain_class}">{_e(text)}</span></li>' if label == "Chain"
        else f"<li>{_e(label)}: {_e(text)}</li>" for label, text in _overview(summary))
    body = [
        f"<h1>execgate audit report</h1>\n<p>Log: <code>{_e(summary.path)}</code></p>",
        f"<ul>{overview}</ul>",
        f'<p class="legend">{legend}</p>',
        f"<h2>Decisions per {summary.granularity} (UTC)</h2>",
        svg_stacked_columns(summary.over_time, f"Decisions per {summary.granularity} (UTC)"),
        "<h2>By actor</h2>", svg_horizontal_bars(summary.by_actor, "Decisions by actor"),
        _html_table(["actor", *headers], _counts_rows(summary.by_actor)),
        "<h2>By rule</h2>", svg_horizontal_bars(summary.by_rule, "Decisions by rule"),
        _html_table(["rule", "category", *headers],
                    [[n, summary.rule_category.get(n, ""), *(c[d] for d in DECISIONS), sum(c.values())]
                     for n, c in _sorted(summary.by_rule)]),
        "<h2>By gate (the gates that reported)</h2>", _html_table(["gate", *headers], _counts_rows(summary.by_gate)),
        "<h2>By environment</h2>", _html_table(["environment", *headers], _counts_rows(summary.by_environment)),
        f"<h2>Blocked ({summary.blocked_total})</h2>",
        _html_table(_LISTED, [_listed_row(r) for r in summary.blocked], widths=_LISTED_WIDTHS, timed=True),
        *_html_more(summary.blocked_total, summary.blocked),
    ]
    if summary.shadow:
        body += [f"<h2>Would have blocked (shadow mode) ({summary.would_block_total})</h2>",
                 _html_table(_LISTED, [_listed_row(r) for r in summary.would_block], widths=_LISTED_WIDTHS,
                             timed=True),
                 *_html_more(summary.would_block_total, summary.would_block)]
    body += [
        f"<h2>Allowed by exception ({summary.exceptions_total})</h2>",
        "<p>Findings a suppression, the baseline or a rule of the project's policy let through, with the reason.</p>",
        _html_table(_EXCEPTIONS, [_exception_row(r) for r in summary.exceptions],
                    widths=["14em", "11%", "8%", "15%", "11%", "14%", ""], timed=True),
        *_html_more(summary.exceptions_total, summary.exceptions),
        "<h2>Policy versions in force</h2>",
        _html_table(_POLICIES, _policy_rows(summary)),
        "<h2>Targets touched</h2>",
        _html_table(["target", *headers, "actors", "rules"],
                    [[t, *(u.decisions[d] for d in DECISIONS), sum(u.decisions.values()),
                      ", ".join(sorted(u.actors)), ", ".join(sorted(u.rules))]
                     for t, u in sorted(summary.targets.items(), key=lambda i: (-i[1].decisions["block"], i[0]))],
                    widths=["", "5em", "5em", "5em", "5em", "22%", "22%"]),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>execgate audit report: {_e(os.path.basename(summary.path))}</title>\n"
            f"<style>{_STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
