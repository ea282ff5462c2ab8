"""Team rules: semgrep rule files a policy names (``semgrep.rules``), decided by the one policy engine.

A team writes its own patterns ("never call purge_customer()", "no writes to
the finance bucket") as ordinary semgrep rules. Each rule's ``metadata``
says what execgate calls it (docs/semgrep.md):

``execgate-id``        rule id in findings, policies and suppressions (default ``semgrep.<semgrep id>``)
``execgate-category``  destructive | exfiltration | privilege | evasion | secrets (default destructive)
``execgate-severity``  critical | high | medium | low (default from the semgrep severity)
``execgate-title``, ``execgate-why``, ``execgate-example``, ``execgate-alternative``: what ``explain`` prints
``execgate-family``    built-in rule ids (globs) this rule repeats: on a line where one of them
                       already fired, the team finding is dropped and the built-in one kept
``execgate-targets``   what the rule is about (a fixed list: the finance bucket, a table)
``execgate-verb``      the verb in reports (default ``team-rule``)

Reading the rule files is cheap and done here (``team_rules`` for ``execgate
rules``/``explain``); running semgrep over the checked files and adding its
findings to a check is :mod:`analyzer.teamrules.semgrep`, which imports this
module (never the other way round), only in the file gates (CLI, pre-commit, CI).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..catalogue import Catalogue, Rule, load_catalogue
from ..model import CATEGORIES, SEVERITIES
from ..policy.rules import META_RULE_PREFIX, PolicyError
from ..records import Record, replace

# The semgrep release the tests and hooks/install-semgrep.sh install (newer ones should work too).
TESTED_VERSION = "1.180.0"

_META_KEYS = {"execgate-id", "execgate-category", "execgate-severity", "execgate-title", "execgate-why",
              "execgate-example", "execgate-alternative", "execgate-family", "execgate-targets", "execgate-verb"}
# semgrep severities (old and new names) -> execgate severities
_SEVERITY = {"CRITICAL": "critical", "ERROR": "high", "HIGH": "high", "WARNING": "medium", "MEDIUM": "medium",
             "INFO": "low", "LOW": "low", "INVENTORY": "low", "EXPERIMENT": "low"}
_LANGUAGE = {"python": "python", "py": "python", "python3": "python", "python2": "python", "bash": "shell",
             "sh": "shell", "generic": "any", "regex": "any"}
# The same shape suppressions accept (analyzer/suppress.py): dotted, lowercase words.
_RULE_ID = re.compile(r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)+$")


class TeamRuleError(PolicyError):
    """A semgrep rule file that cannot be used; one line naming the file (and line)."""


class TeamRule(Record, frozen=True):
    """One semgrep rule and what execgate makes of it."""

    semgrep_id: str
    file: str
    rule: Rule                     # the catalogue entry (origin "semgrep")
    family: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    verb: str = "team-rule"


def rule_files(paths: list[str]) -> list[Path]:
    """The YAML files the policy names: files as given, folders searched for ``*.yaml``/``*.yml``."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                raise TeamRuleError(f"{raw}: no .yaml semgrep rule files in this folder (policy key semgrep.rules)")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise TeamRuleError(f"{raw}: no such semgrep rule file or folder (policy key semgrep.rules)")
    return list(dict.fromkeys(files))


def load_team_rules(paths: list[str], catalogue: Catalogue | None = None) -> list[TeamRule]:
    """Every semgrep rule of the files ``paths`` names, mapped to execgate ids, categories and severities."""
    builtin = (catalogue or load_catalogue()).rules
    result: list[TeamRule] = []
    by_id: dict[str, TeamRule] = {}
    for file in rule_files(paths):
        for entry, line in _entries(file):
            team = _team_rule(entry, str(file), line)
            where = f"{file}:{line}: rule {team.semgrep_id!r}"
            if team.rule.id in builtin and builtin[team.rule.id].origin == "built-in":
                raise TeamRuleError(f"{where}: execgate-id {team.rule.id!r} is a built-in rule id; "
                                    "give the team rule its own id (e.g. team.<name>)")
            first = by_id.get(team.rule.id)
            if first is not None and (first.rule.category, first.rule.severity) != \
                    (team.rule.category, team.rule.severity):
                raise TeamRuleError(f"{where}: execgate-id {team.rule.id!r} is also the id of {first.semgrep_id!r} "
                                    f"({first.file}) with another category or severity")
            by_id.setdefault(team.rule.id, team)
            result.append(team)
    return result


def team_rules(paths: list[str]) -> list[Rule]:
    """The catalogue entries of the team rules (one per execgate id), for ``execgate rules`` and ``explain``."""
    return catalogue_entries(load_team_rules(paths))


def catalogue_entries(teams: list[TeamRule]) -> list[Rule]:
    """One entry per execgate id: the first semgrep rule's texts, the languages of all of them."""
    rules: dict[str, Rule] = {}
    for team in teams:
        first = rules.get(team.rule.id)
        if first is None:
            rules[team.rule.id] = team.rule
            continue
        languages = dict.fromkeys(first.language.split(", ") + team.rule.language.split(", "))
        rules[team.rule.id] = replace(first, language=", ".join(languages))
    return list(rules.values())


# -- reading rule files ---------------------------------------------------------------------------


def _entries(file: Path) -> list[tuple[dict[str, Any], int]]:
    """The rule mappings of one semgrep file, each with its 1-based line."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TeamRuleError(f"{file}: cannot read the semgrep rule file: {getattr(exc, 'strerror', None) or exc}") \
            from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{file}:{mark.line + 1}" if mark else str(file)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise TeamRuleError(f"{where}: not valid YAML: {problem}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise TeamRuleError(f"{file}:1: a semgrep rule file is a mapping with a 'rules:' list")
    lines = [1] * len(data["rules"])
    for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
        if key.value == "rules" and isinstance(value, yaml.SequenceNode):
            lines = [item.start_mark.line + 1 for item in value.value]
    result = []
    for entry, line in zip(data["rules"], lines, strict=False):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"].strip():
            raise TeamRuleError(f"{file}:{line}: each semgrep rule needs an 'id'")
        for key in ("message", "severity"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise TeamRuleError(f"{file}:{line}: rule {entry['id']!r} needs a '{key}'")
        result.append((entry, line))
    return result


def _team_rule(entry: dict[str, Any], file: str, line: int) -> TeamRule:
    semgrep_id = entry["id"].strip()
    where = f"{file}:{line}: rule {semgrep_id!r}"
    metadata = entry.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise TeamRuleError(f"{where}: 'metadata' is a mapping")
    unknown = sorted(k for k in metadata if str(k).startswith("execgate-") and k not in _META_KEYS)
    if unknown:
        raise TeamRuleError(f"{where}: unknown metadata key {unknown[0]!r} (known: {', '.join(sorted(_META_KEYS))})")

    rule_id = _text(metadata, "execgate-id", where) or "semgrep." + re.sub(r"[^a-z0-9_.-]+", "-", semgrep_id.lower())
    if not _RULE_ID.match(rule_id):
        raise TeamRuleError(f"{where}: execgate-id {rule_id!r} is not a rule id (lowercase words joined by dots, "
                            "e.g. team.purge-customer)")
    if rule_id.startswith(META_RULE_PREFIX):
        raise TeamRuleError(f"{where}: execgate-id {rule_id!r}: ids starting {META_RULE_PREFIX!r} are execgate's own")
    category = _text(metadata, "execgate-category", where) or (
        metadata.get("category") if metadata.get("category") in CATEGORIES else "destructive")
    if category not in CATEGORIES:
        raise TeamRuleError(f"{where}: execgate-category {category!r} is not one of {', '.join(CATEGORIES)}")
    severity = _text(metadata, "execgate-severity", where) or _SEVERITY.get(entry["severity"].strip().upper(), "medium")
    if severity not in SEVERITIES:
        raise TeamRuleError(f"{where}: execgate-severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    message = " ".join(entry["message"].split())
    languages = entry["languages"] if isinstance(entry.get("languages"), list) else []
    language = ", ".join(dict.fromkeys(_LANGUAGE.get(str(x).lower(), str(x).lower()) for x in languages)) or "any"
    title = _text(metadata, "execgate-title", where) or _first_sentence(message)
    rule = Rule(id=rule_id, category=category, severity=severity, language=language, title=title, message=message,
                why=_text(metadata, "execgate-why", where), example=_text(metadata, "execgate-example", where),
                alternative=_text(metadata, "execgate-alternative", where),
                source=f"{file} (semgrep rule {semgrep_id})", origin="semgrep")
    return TeamRule(semgrep_id, file, rule, _strings(metadata, "execgate-family", where),
                    _strings(metadata, "execgate-targets", where),
                    _text(metadata, "execgate-verb", where) or "team-rule")


def _text(metadata: dict[str, Any], key: str, where: str) -> str:
    value = metadata.get(key)
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise TeamRuleError(f"{where}: metadata {key!r} is a text")
    return str(value).strip()


def _strings(metadata: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = metadata.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TeamRuleError(f"{where}: metadata {key!r} is a text or a list of texts")
    return tuple(v.strip() for v in value)


def _first_sentence(message: str) -> str:
    sentence = re.split(r"(?<=[.!?:])\s", message, maxsplit=1)[0].rstrip(".:")
    return sentence if len(sentence) <= 90 else sentence[:87] + "..."
