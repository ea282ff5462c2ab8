"""``execgate audit report``: who touched which data, what was blocked, in Markdown and self-contained HTML."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analyzer.audit.log import append_records
from analyzer.audit.report import render_html, render_markdown, summarise
from analyzer.commands.main import main

HOSTILE = "<script>alert('x')</script>|evil"
VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


def rec(time: str, actor: str, decision: str, rule: str | None = "sql.drop-table", gate: str = "cli",
        environment: str = "prod", targets: tuple[str, ...] = ("billing.invoices",), event: str = "finding",
        actor_type: str | None = None) -> dict:
    return {"time": time, "actor": actor, "actor_type": actor_type, "decision": decision, "rule": rule,
            "category": "destructive" if rule else None, "gate": gate, "environment": environment,
            "targets": list(targets), "event": event, "path": "etl/clean.sql", "line": 3,
            "reason": f"{decision} because <policy>"}


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    append_records(path, [
        rec("2025-03-01T09:15:00.000Z", "alice", "block"),
        rec("2025-03-01T09:40:00.000Z", "alice", "allow", "py.fs-delete-tree", targets=("/tmp/x",)),
        rec("2025-03-01T11:05:00.000Z", "claude", "block", "shell.rm-recursive", gate="claude-code",
            targets=("/srv/data",), actor_type="agent"),
        rec("2025-03-01T11:06:00.000Z", HOSTILE, "warn", "py.eval", gate="ipython", environment="dev", targets=()),
        rec("2025-03-01T12:00:00.000Z", "bob", "allow", None, gate="ci", environment="staging", targets=(),
            event="clean"),
    ])
    return path


def test_summary_counts_who_did_what(log):
    summary = summarise(log)
    assert summary.chain.ok and summary.records == 5
    assert dict(summary.decisions) == {"block": 2, "allow": 2, "warn": 1}
    assert summary.by_actor["alice"] == {"block": 1, "allow": 1}
    assert summary.by_actor["claude (agent)"] == {"block": 1}
    assert summary.by_rule["sql.drop-table"] == {"block": 1}
    assert summary.by_rule["(nothing found)"] == {"allow": 1}
    assert summary.rule_category["shell.rm-recursive"] == "destructive"
    assert summary.by_gate["claude-code"] == {"block": 1} and summary.by_gate["ci"] == {"allow": 1}
    assert summary.by_environment["dev"] == {"warn": 1}
    assert [r["actor"] for r in summary.blocked] == ["alice", "claude"] and summary.blocked_total == 2
    assert set(summary.targets) == {"billing.invoices", "/tmp/x", "/srv/data"}
    assert summary.targets["/srv/data"].actors == {"claude (agent)"}
    # Under two days: per hour, with the empty hour 10:00 drawn too.
    assert summary.granularity == "hour"
    assert [(k, sum(c.values())) for k, c in summary.over_time] == [
        ("2025-03-01 09:00", 2), ("2025-03-01 10:00", 0), ("2025-03-01 11:00", 2), ("2025-03-01 12:00", 1)]


def test_long_logs_are_counted_per_day(tmp_path):
    path = tmp_path / "audit.jsonl"
    append_records(path, [rec("2025-03-01T09:00:00Z", "a", "block"), rec("2025-03-05T09:00:00Z", "a", "allow")])
    summary = summarise(path)
    assert summary.granularity == "day"
    assert [k for k, _ in summary.over_time] == ["2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04", "2025-03-05"]


def test_markdown_tables(log):
    text = render_markdown(summarise(log))
    for heading in ("## By actor", "## By rule", "## By gate", "## By environment", "## Blocked (2)",
                    "## Targets touched", "## Decisions per hour"):
        assert heading in text
    assert "| claude (agent) | 1 | 0 | 0 | 1 |" in text
    assert "| /srv/data | 1 | 0 | 0 | 1 | claude (agent) | shell.rm-recursive |" in text
    # A pipe in an actor's name stays inside its cell; markup is not passed through.
    assert "&lt;script>alert('x')&lt;/script>\\|evil" in text
    assert "<script>" not in text
    widths: set[int] = set()
    for line in text.splitlines() + [""]:      # every row of a table has its header's number of cells
        if line.startswith("|"):
            widths.add(line.replace("\\|", "").count("|"))
        else:
            assert len(widths) <= 1, widths
            widths = set()


class Checker(HTMLParser):
    """Well-formedness by a real parser: every opened element closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_well_formed_self_contained_and_escaped(log):
    page = render_html(summarise(log))
    parser = Checker()
    parser.feed(page)
    parser.close()
    assert parser.problems == [] and parser.stack == []
    assert parser.tags.count("svg") == 3                     # over time, by actor, by rule
    assert parser.tags.count("rect") >= 8
    assert "script" not in parser.tags                       # the hostile actor is text, not markup
    assert HOSTILE in "".join(parser.text)
    assert not [a for a in parser.attributes if a[0] in ("src", "href")]   # nothing fetched
    assert page.startswith("<!DOCTYPE html>")


def test_html_of_an_empty_log(tmp_path):
    path = tmp_path / "audit.jsonl"
    path.write_text("")
    parser = Checker()
    parser.feed(render_html(summarise(path)))
    assert parser.problems == [] and parser.tags.count("svg") == 3


def test_a_broken_chain_is_said_first(log):
    lines = log.read_text().splitlines(keepends=True)
    record = json.loads(lines[1])
    record["decision"] = "block"
    lines[1] = json.dumps(record) + "\n"
    log.write_text("".join(lines))
    summary = summarise(log)
    assert not summary.chain.ok
    assert "BROKEN: record 2 (line 2): hash mismatch (edited)" in render_markdown(summary)
    assert 'class="broken"' in render_html(summary)


def test_report_command(log, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["audit", "report", str(log), "--format", "html", "--output", str(out)]) == 0
    assert out.read_text().count("<svg") == 3
    assert main(["audit", "report", str(log)]) == 0
    assert "## Blocked (2)" in capsys.readouterr().out
    assert main(["audit", "report", str(tmp_path / "missing.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "missing.jsonl: cannot read" in err and "Traceback" not in err


LONG = "warehouse/" + "a_directory_name_with_no_place_to_break_" * 6 + "cleanup.py"


def test_the_blocked_table_wraps_and_scrolls_in_its_own_box(tmp_path):
    path = tmp_path / "audit.jsonl"
    record = rec("2025-03-01T09:15:00Z", "claude-code-session-" + "7f3a" * 12, "block",
                 targets=("analytics." + "x" * 150,))
    record.update(path=LONG, reason="the table holds customer data " * 20)
    append_records(path, [record])
    page = render_html(summarise(path))
    style = page[page.index("<style>"):page.index("</style>")]
    # Long cells wrap anywhere; a table too wide for the window scrolls inside its box, not the page.
    assert "td{overflow-wrap:anywhere" in style and ".table-box{max-width:100%;overflow-x:auto" in style
    assert "table.fixed{table-layout:fixed;width:100%" in style and ".chart{max-width:100%" in style
    blocked = page[page.index("<h2>Blocked (1)</h2>"):page.index("<h2>Allowed by exception")]
    assert blocked.count('<div class="table-box">') == 1 and '<table class="fixed timed">' in blocked
    parser = Checker()
    parser.feed(blocked)
    assert parser.tags.count("col") == parser.tags.count("th") == 8
    assert LONG in "".join(parser.text)
    # Every table is in its own box.
    assert page.count("<table") == page.count('<div class="table-box">') == 8


def test_every_time_is_shown_one_way_in_utc(tmp_path):
    path = tmp_path / "audit.jsonl"
    append_records(path, [rec("2025-03-01T09:15:00.123Z", "a", "block"),
                          rec("2025-03-01T11:05:00+02:00", "b", "block"),   # 09:05 UTC
                          rec("2025-03-01T10:00:00", "c", "block"),          # no offset: taken as UTC
                          rec("yesterday", "d", "block")])                   # unreadable: shown as written
    summary = summarise(path)
    assert (summary.first_time, summary.last_time) == ("2025-03-01 09:05:00 UTC", "2025-03-01 10:00:00 UTC")
    assert [k for k, c in summary.over_time if sum(c.values())] == ["2025-03-01 09:00", "2025-03-01 10:00"]
    for text in (render_html(summary), render_markdown(summary)):
        assert "2025-03-01 09:15:00 UTC" in text and "2025-03-01 09:05:00 UTC" in text
        assert "T09:" not in text and "+00:00" not in text and "+02:00" not in text and ".123" not in text
        assert "yesterday" in text and "time (UTC)" in text and "per hour (UTC)" in text


# -- a period for an audit ----------------------------------------------------------------------------


def audit_log(path: Path) -> Path:
    old = {"policy_source": ".execgate.yaml", "policy_sha256": "a" * 64, "policy_commit": "c1" * 20}
    new = {"policy_source": ".execgate.yaml", "policy_sha256": "b" * 64, "policy_commit": "c2" * 20}
    append_records(path, [
        dict(rec("2025-02-27T10:00:00Z", "alice", "block"), **old),                       # before the period
        dict(rec("2025-03-01T09:00:00Z", "alice", "block"), **old),
        dict(rec("2025-03-02T09:00:00Z", "bob", "allow", "py.fs-delete-tree"), **old, suppressed=True,
             justification="the build cache", policy_decision="block"),
        dict(rec("2025-03-03T09:00:00Z", "carol", "allow", "sql.delete-all"), **new, policy_decision="allow",
             policy_rule=".execgate.yaml:7", reason="nightly reload of staging"),
        dict(rec("2025-03-04T09:00:00Z", "dan", "allow", "sql.drop-table"), **new, policy_decision="allow",
             policy_rule="built-in:scratch", reason="scratch table"),                     # not an exception
        dict(rec("2025-03-05T23:59:00Z", "claude", "block", gate="claude-code"), **new, shadow=True),
        dict(rec("2025-03-06T00:00:00Z", "claude", "block"), **new),                      # after the period
    ])
    return path


def test_a_period_lists_blocks_shadow_blocks_exceptions_and_policy_versions(tmp_path):
    from analyzer.audit.report import Period

    summary = summarise(audit_log(tmp_path / "audit.jsonl"), period=Period.parse("2025-03-01", "2025-03-05"))
    assert summary.records == 5 and summary.outside == 2 and summary.chain.ok and summary.chain.records == 7
    assert [r["actor"] for r in summary.blocked] == ["alice"]
    assert [r["actor"] for r in summary.would_block] == ["claude"] and summary.shadow == 1
    assert [(r["actor"], r.get("justification") or r["reason"]) for r in summary.exceptions] == [
        ("bob", "the build cache"), ("carol", "nightly reload of staging")]
    versions = [(u.sha256[0], u.commit[:2], u.first_time, u.last_time, u.records)
                for u in summary.policies.values()]
    assert sorted(versions) == [("a", "c1", "2025-03-01 09:00:00 UTC", "2025-03-02 09:00:00 UTC", 2),
                                ("b", "c2", "2025-03-03 09:00:00 UTC", "2025-03-05 23:59:00 UTC", 3)]
    text = render_markdown(summary)
    for heading in ("## Blocked (1)", "## Would have blocked (shadow mode) (1)", "## Allowed by exception (2)",
                    "## Policy versions in force", "## By gate (the gates that reported)"):
        assert heading in text
    assert "| suppression | the build cache |" in text
    assert "| policy rule .execgate.yaml:7 | nightly reload of staging |" in text
    assert "from 2025-03-01 00:00:00 UTC up to 2025-03-06 00:00:00 UTC (excluded) (2 records of the log" in text
    assert "- Signatures: not signed" in text and "- Checkpoints: none given" in text


def test_report_command_takes_a_period_keys_and_checkpoints(tmp_path, capsys):
    from analyzer.audit.sign import generate, load_signer

    path = tmp_path / "audit.jsonl"
    generate(tmp_path / "keys")
    append_records(path, [rec("2025-03-01T09:15:00Z", "alice", "block")],
                   signer=load_signer(str(tmp_path / "keys" / "audit.key"), "test"))
    assert main(["audit", "head", str(path), "--audit-key", str(tmp_path / "keys" / "audit.key"),
                 "--output", str(tmp_path / "cp.json")]) == 0
    assert main(["audit", "report", str(path), "--since", "2025-03-01", "--until", "2025-03-01",
                 "--public-key", str(tmp_path / "keys" / "audit.pub"), "--checkpoint", str(tmp_path / "cp.json")]) == 0
    text = capsys.readouterr().out
    assert "## Blocked (1)" in text and "1 signatures verify" in text and "- Checkpoints: 1 held" in text
    for bad in (["--since", "March"], ["--since", "2025-03-02", "--until", "2025-03-01"]):
        assert main(["audit", "report", str(path), *bad]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
