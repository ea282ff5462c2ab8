"""``execgate rules`` and ``execgate explain``: the catalogue, read from its own entries."""
from __future__ import annotations

import json
import sys

import click

from ..catalogue import Catalogue, Rule, fill, load_catalogue


def catalogue_with_team_rules(policy_path: str | None) -> Catalogue:
    """The built-in catalogue plus the semgrep rules a policy names (when it names any): the policy
    given, else ``.execgate.yaml`` found upward from the working folder."""
    from pathlib import Path

    from ..policy.load import load_policy

    catalogue = load_catalogue()
    policy = load_policy(policy_path, start=None if policy_path else Path.cwd())
    if not policy.semgrep_rules:
        return catalogue
    from ..teamrules.rules import team_rules

    return catalogue.with_rules(team_rules(policy.semgrep_rules))


def list_rules(output_format: str, policy_path: str | None) -> int:
    from ..policy.rules import PolicyError

    try:
        catalogue = catalogue_with_team_rules(policy_path)
    except PolicyError as exc:
        click.echo(f"execgate: {exc}", err=True)
        return 2
    rules = sorted(catalogue.rules.values(), key=lambda r: r.id)
    if output_format == "json":
        click.echo(json.dumps([{"id": r.id, "category": r.category, "severity": r.severity, "language": r.language,
                                "title": r.title, "origin": r.origin} for r in rules], indent=2))
        return 0
    width = max(len(r.id) for r in rules)
    for rule in rules:
        origin = "" if rule.origin == "built-in" else f"  [{rule.origin}]"
        click.echo(f"{rule.id:<{width}}  {rule.category:<12} {rule.severity:<8} {rule.title}{origin}")
    click.echo(f"{len(rules)} rules")
    return 0


def explain_text(rule: Rule) -> str:
    """A rule in full; the fields a finding fills (``{target}``) read ``<target>`` here."""
    parts = [f"{rule.id}: {rule.title}", f"category: {rule.category}   severity: {rule.severity}   "
             f"language: {rule.language}   from: {rule.source or rule.origin}", ""]
    for label, text in (("What it finds", fill(rule.message, {})), ("Why it matters", fill(rule.why, {})),
                        ("Example", rule.example), ("Instead", fill(rule.alternative, {}))):
        if text:
            parts += [f"{label}:", *("    " + line for line in text.splitlines()), ""]
    return "\n".join(parts).rstrip() + "\n"


def explain(rule_id: str, policy_path: str | None) -> int:
    from ..policy.rules import PolicyError

    try:
        catalogue = catalogue_with_team_rules(policy_path)
    except PolicyError as exc:
        click.echo(f"execgate: {exc}", err=True)
        return 2
    rule = catalogue.rules.get(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id, catalogue.rules, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        click.echo(f"execgate: no rule {rule_id!r}{hint}; `execgate rules` lists them", err=True)
        return 2
    click.echo(explain_text(rule), nl=False)
    return 0


@click.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False), help="Include this policy's team rules.")
def rules_command(output_format, policy_path) -> None:
    """List the rule catalogue."""
    sys.exit(list_rules(output_format, policy_path))


@click.command()
@click.argument("rule_id")
@click.option("--policy", "policy_path", type=click.Path(dir_okay=False), help="Include this policy's team rules.")
def explain_command(rule_id, policy_path) -> None:
    """Explain a rule: what it finds, why it matters, an example, what to do instead."""
    sys.exit(explain(rule_id, policy_path))
