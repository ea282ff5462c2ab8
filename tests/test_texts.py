"""What a person (or a model) reads under a finding: the same lines in the text report, the agent
hook and the IPython refusal (the rule's why, the policy's decision, what to do instead), advice
filled with the finding's own table, path or host, and no raw ``{placeholder}`` anywhere."""
from __future__ import annotations

import json
import re

import pytest
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from analyzer.catalogue import (Catalogue, FindingTexts, field_names, fill, finding_texts, load_catalogue,
                                operation_fields)
from analyzer.commands.main import main
from analyzer.commands.rules import explain_text
from analyzer.gates.hooks.gate import run_hook
from analyzer.gates.ipython.extension import CellRefused
from analyzer.model import Decision, Finding, Location, Operation, Suppression

CATALOGUE = load_catalogue()
# The fields an operation can fill (operation_fields): its targets, its verb, and the details the
# front ends record. A rule text naming anything else could never be filled.
KNOWN_FIELDS = {"target", "verb", "host", "source", "sink", "callee", "destination", "semgrep"}
_VARIABLES = ("EXECGATE_ENV", "EXECGATE_ROLE", "EXECGATE_ACTOR", "EXECGATE_ACTOR_TYPE", "EXECGATE_POLICY",
              "EXECGATE_AUDIT_LOG", "GITHUB_ACTIONS", "PRE_COMMIT")


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def operation(rule: str, targets: tuple[str, ...] = (), **details: str) -> Operation:
    entry = CATALOGUE.get(rule)
    return Operation(rule=rule, category=entry.category, severity=entry.severity, language=entry.language,
                     location=Location("job.py", 3, 1), message="m", targets=targets, verb="drop",
                     details=tuple(sorted(details.items())))


# -- filling ----------------------------------------------------------------------------------------


def test_fill_names_the_value_or_a_readable_hole_and_leaves_other_braces_alone():
    assert fill("DELETE FROM {target} WHERE", {"target": "billing.invoices"}) == "DELETE FROM billing.invoices WHERE"
    assert fill("DELETE FROM {target} WHERE", {}) == "DELETE FROM <target> WHERE"
    assert fill("sends data{source_text} to {host}", {}) == "sends data <source_text> to <host>"
    code = 'delete_many({"expired": True}); MATCH (u:User {id: $id}); rm -r "${VAR:?}"'
    assert fill(code, {"id": "x", "expired": "y"}) == code
    assert fill("move {target} away", {"target": "a\n  b"}) == "move a b away"   # one line
    assert len(fill("{target}", {"target": "t" * 500})) == 120


def test_every_field_a_rule_text_names_can_be_filled():
    for rule in CATALOGUE.rules.values():
        for text in (rule.why, rule.alternative):
            assert field_names(text) <= KNOWN_FIELDS, (rule.id, text)


def test_operation_fields_are_the_targets_verb_and_details():
    op = operation("py.exfil-request", ("https://x.example",), host="https://x.example", source="query result")
    assert operation_fields(op) == {"target": "https://x.example", "verb": "drop", "host": "https://x.example",
                                    "source": "query result"}


@pytest.mark.parametrize("rule, op, expected", [
    ("sql.delete-all", operation("sql.delete-all", ("billing.invoices",)), "DELETE FROM billing.invoices WHERE"),
    ("sql.drop-table", operation("sql.drop-table", ("mart.daily",)), "ALTER TABLE mart.daily RENAME TO"),
    ("py.fs-delete-tree", operation("py.fs-delete-tree", ("data/raw",)), "move data/raw to a trash location"),
    ("py.exfil-request", operation("py.exfil-request", ("https://hooks.example.net",),
                                   host="https://hooks.example.net"), "add https://hooks.example.net there"),
    ("shell.exfil-upload", operation("shell.exfil-upload", ("c.example.com",), host="c.example.com"),
     "add c.example.com there"),
])
def test_instead_names_the_findings_own_target(rule, op, expected):
    texts = finding_texts(Finding(op, Decision("block", "r", "built-in:x")), CATALOGUE)
    assert expected in texts.instead and "{" not in texts.instead
    assert "analytics.events" not in texts.instead   # the catalogue's example table is not advice


def test_the_lines_come_in_one_order_and_allowed_findings_get_no_advice():
    op = operation("sql.drop-table", ("t",))
    blocked = finding_texts(Finding(op, Decision("block", "destructive operations block", "built-in:d")), CATALOGUE)
    assert [line.split(":")[0] for line in blocked.lines()] == ["why", "policy", "instead"]
    assert blocked.lines()[1] == "policy: destructive operations block (built-in:d)"
    assert blocked.why == CATALOGUE.get("sql.drop-table").why
    allowed = finding_texts(Finding(op, Decision("allow", "scratch", "built-in:scratch")), CATALOGUE)
    assert allowed.instead == "" and allowed.lines()[-1] == "policy: scratch (built-in:scratch)"
    suppressed = finding_texts(Finding(op, Decision("block", "d", "built-in:d"),
                                       Suppression("sql.drop-table", "nightly reload", op.location)), CATALOGUE)
    assert suppressed.lines()[-1] == "suppressed: nightly reload"
    team = finding_texts(Finding(operation("sql.drop-table"), Decision("warn", "team", "p.yaml:3")), Catalogue({}, {}))
    assert team == FindingTexts(policy="team (p.yaml:3)") and team.lines() == ["policy: team (p.yaml:3)"]


# -- explain ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", sorted(CATALOGUE.rules))
def test_explain_never_prints_a_raw_placeholder(rule_id):
    rule = CATALOGUE.get(rule_id)
    text = explain_text(rule).replace(rule.example, "")   # examples are code, braces and all
    assert not re.search(r"\{[a-z_]+\}", text), text


def test_explain_shows_holes_as_angle_brackets(capsys):
    assert main(["explain", "sql.delete-all"]) == 0
    out = capsys.readouterr().out
    assert "DELETE FROM <target>" in out and "{target}" not in out


# -- the three gates agree ------------------------------------------------------------------------------

CODE = 'import sqlite3\ncur = sqlite3.connect("x").cursor()\ncur.execute("DELETE FROM billing.invoices")\n'


def _under(text: str, marker: str, indent: str) -> list[str]:
    """The why/policy/instead lines printed under the finding whose head line contains ``marker``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if marker in line) + 1
    out = []
    for line in lines[start:]:
        body = line[len(indent):] if line.startswith(indent) else ""
        if body.split(":")[0] in ("why", "policy", "instead", "suppressed"):
            out.append(body)
        elif out:
            break
    return out


def test_text_report_hook_and_kernel_print_the_same_lines(workdir, capsys):
    (workdir / "job.py").write_text(CODE)
    assert main(["check", "--no-cache", "job.py"]) == 1
    report = _under(capsys.readouterr().out, "BLOCK sql.delete-all", "    ")

    event = {"hook_event_name": "PreToolUse", "tool_name": "Write", "cwd": str(workdir),
             "tool_input": {"file_path": "new_job.py", "content": CODE}}
    code, _, err = run_hook(json.dumps(event).encode())
    assert code == 2
    hook = _under(err, "sql.delete-all", "  ")

    InteractiveShell.clear_instance()
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    try:
        shell.run_cell("%load_ext analyzer")
        result = shell.run_cell(CODE)
        assert isinstance(result.error_before_exec, CellRefused)
        kernel = _under("\n".join(result.error_before_exec.lines), "sql.delete-all (block)", "    ")
    finally:
        shell.extension_manager.unload_extension("analyzer")
        InteractiveShell.clear_instance()

    rule = CATALOGUE.get("sql.delete-all")
    assert report == hook == kernel
    assert report[0] == f"why: {rule.why}"
    assert report[1] == "policy: destructive operations block by default (built-in:destructive)"
    assert report[2].startswith("instead: DELETE FROM billing.invoices WHERE")
