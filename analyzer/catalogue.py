"""The rule catalogue: what each rule means, loaded from the YAML files in ``rules/``.

Every rule entry has an id, a category, a severity, a title, a message and the
texts ``execgate explain`` prints (why, example, alternative). Language
sections (``python:``, ``shell:``, ``sql:``) hold the knowledge each front end
matches against: which APIs, commands or statements perform a rule's
operation. Front ends read their own section; nothing else is hard-coded.

A rule's why and alternative may name the finding's own values (``{target}``,
``{host}``, ``{source}``, ``{callee}``, ...): :func:`finding_texts` fills them for
one finding, and is what the text report, the agent hook and the IPython refusal
print, in one order (why, policy, instead). A field that cannot be filled reads
``<target>``, never raw braces (``execgate explain`` shows every field so).
"""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .model import CATEGORIES, SEVERITIES, Finding, Operation
from .records import Record


class CatalogueError(Exception):
    pass


class Rule(Record, frozen=True):
    """One rule of the catalogue: what it finds and the texts that explain it."""

    id: str
    category: str
    severity: str
    language: str
    title: str
    message: str
    why: str = ""
    example: str = ""
    alternative: str = ""
    source: str = ""       # the catalogue file the rule came from
    origin: str = "built-in"  # built-in | semgrep
    target_kind: str = ""  # what its targets are (model.TARGET_KINDS); "" for the language's default

    def format_message(self, **values: object) -> str:
        """The rule's message with ``{target}``-style fields filled; unknown fields stay literal."""
        return self.message.format_map(_Default({k: v for k, v in values.items() if v is not None}))


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return {"target": "the target", "host": "a host"}.get(key, "{" + key + "}")


class Catalogue(Record, frozen=True):
    """Every rule by id, and each language's section of knowledge."""

    rules: dict[str, Rule]
    sections: dict[str, dict[str, Any]]

    def get(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise CatalogueError(f"unknown rule {rule_id!r}") from None

    def section(self, language: str) -> dict[str, Any]:
        return self.sections.get(language, {})

    def target_kind(self, rule_id: str, language: str = "") -> str:
        """What the targets of ``rule_id`` are (path, table, host, ...): the rule's ``target_kind``,
        else its language file's ``default_target_kind``; "" when unknown."""
        rule = self.rules.get(rule_id)
        if rule is not None and rule.target_kind:
            return rule.target_kind
        return str(self.section(rule.language if rule is not None else language).get("default_target_kind") or "")

    def with_rules(self, extra: list[Rule]) -> Catalogue:
        rules = dict(self.rules)
        rules.update({rule.id: rule for rule in extra})
        return Catalogue(rules, self.sections)


# A field is ``{name}`` in lower case; other braces (``{"expired": True}``, ``${VAR:?}``) are text.
_FIELD = r"\{([a-z][a-z0-9_]*)\}"   # compiled by re on first use (and kept in its cache)
MAX_FIELD = 120   # characters of one filled value: a list of fifty targets is not advice


def fill(text: str, fields: Mapping[str, str]) -> str:
    """``text`` with each ``{name}`` replaced by its value, or by ``<name>`` when there is none."""
    def one(match: re.Match[str]) -> str:
        value = " ".join(str(fields.get(match.group(1)) or "").split())
        if not value:   # "data{source_text}" reads "data <source_text>"
            glued = match.start() > 0 and match.string[match.start() - 1].isalnum()
            return f"{' ' if glued else ''}<{match.group(1)}>"
        return value if len(value) <= MAX_FIELD else value[: MAX_FIELD - 1] + "\u2026"

    return re.sub(_FIELD, one, text)


def field_names(text: str) -> set[str]:
    return set(re.findall(_FIELD, text))


def operation_fields(op: Operation) -> dict[str, str]:
    """The values a rule's texts may name: the operation's details (host, source, sink, callee,
    ...), its targets and its verb."""
    fields = dict(op.details)
    if op.targets:
        fields["target"] = ", ".join(op.targets)
    if op.verb:
        fields["verb"] = op.verb
    return fields


class FindingTexts(Record, frozen=True):
    """What every gate prints under a finding, each a single line ("" when there is nothing)."""

    why: str = ""         # the rule's why: what could go wrong
    policy: str = ""      # the policy's decision: "<reason> (<policy rule>)"
    note: str = ""        # a suppression's reason, or that the finding is in the baseline
    instead: str = ""     # the rule's alternative, filled from the finding; only when it is not allowed

    def lines(self) -> list[str]:
        """``label: text`` lines in the one order the text report, the hook and the kernel share."""
        out = [f"why: {self.why}"] if self.why else []
        out.append(f"policy: {self.policy}")
        if self.note:
            out.append(self.note)
        if self.instead:
            out.append(f"instead: {self.instead}")
        return out


def finding_texts(finding: Finding, catalogue: Catalogue) -> FindingTexts:
    """The rule's why and alternative for this finding (its real target, host, ...), and the
    policy's decision. A team rule missing from ``catalogue`` still gets its policy line."""
    op = finding.operation
    rule = catalogue.rules.get(op.rule)
    fields = operation_fields(op)
    why = _one_line(fill(rule.why, fields)) if rule is not None else ""
    instead = ""
    if rule is not None and finding.action != "allow":
        instead = _one_line(fill(rule.alternative, fields))
    note = ""
    if finding.suppression is not None:
        note = f"suppressed: {_one_line(finding.suppression.justification)}"
    elif finding.baselined:
        note = "in the baseline: not gating"
    decision = finding.decision
    return FindingTexts(why=why, policy=f"{_one_line(decision.reason)} ({decision.policy_rule})", note=note,
                        instead=instead)


def _one_line(text: str) -> str:
    return " ".join(text.split())


@functools.lru_cache(maxsize=1)
def rules_dir() -> Path:
    """The catalogue's folder: the package ``analyzer.rules`` (``rules/`` of the repository)."""
    import importlib

    return Path(importlib.import_module("analyzer.rules").__path__[0])


_RULE_KEYS = {"id", "category", "severity", "title", "message", "why", "example", "alternative", "target_kind"}


def _load_file(path: Path, rules: dict[str, Rule], sections: dict[str, dict[str, Any]]) -> None:
    import yaml  # only when the cached catalogue is missing or stale

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path}: {exc}") from None
    language = data.get("language", path.stem)
    for entry in data.get("rules", []):
        unknown = set(entry) - _RULE_KEYS
        if unknown:
            raise CatalogueError(f"{path}: rule {entry.get('id')!r} has unknown keys {sorted(unknown)}")
        if entry.get("category") not in CATEGORIES or entry.get("severity") not in SEVERITIES:
            raise CatalogueError(f"{path}: rule {entry.get('id')!r} needs a category in {CATEGORIES} "
                                 f"and a severity in {SEVERITIES}")
        if entry["id"] in rules:
            raise CatalogueError(f"{path}: rule {entry['id']!r} is defined twice")
        rules[entry["id"]] = Rule(language=language, source=path.name, **{
            k: str(entry.get(k, "")).strip() for k in _RULE_KEYS if k not in ("category", "severity")
        } | {"category": entry["category"], "severity": entry["severity"]})
    for key, value in data.items():
        if key not in ("rules", "language"):
            sections.setdefault(language, {})[key] = value


def load_catalogue(directory: str | None = None) -> Catalogue:
    """Load every ``*.yaml`` file of the catalogue, once per process.

    Parsing the YAML costs more than a whole one-command check, so the parsed
    catalogue is kept as signed JSON in the cache directory, keyed by the
    files' names, sizes and modification times."""
    return _load_catalogue(directory or None)   # load_catalogue() and load_catalogue(None) share one entry


@functools.cache
def _load_catalogue(directory: str | None) -> Catalogue:
    base = Path(directory) if directory else rules_dir()
    try:   # one listing gives the names and the sizes and times the cache is keyed by
        with os.scandir(base) as entries:
            found = sorted((e.name, e.stat()) for e in entries
                           if e.name.endswith(".yaml") and not e.name.startswith("policy") and e.is_file())
        stamp: list[str] | None = [f"{name}:{st.st_size}:{st.st_mtime_ns}" for name, st in found]
    except OSError:
        found, stamp = [], None
    files = [base / name for name, _ in found]
    key, cached = _cached(stamp)
    if cached is not None:
        return cached
    rules: dict[str, Rule] = {}
    sections: dict[str, dict[str, Any]] = {}
    for path in files:
        _load_file(path, rules, sections)
    catalogue = Catalogue(rules, sections)
    if key is not None:
        _store(key, catalogue)
    return catalogue


def _cache_file(key: str) -> Path:
    from .cachedir import cache_dir

    return cache_dir() / f"catalogue-{key[:32]}.json"


def _cached(stamp: list[str] | None) -> tuple[str | None, Catalogue | None]:
    import hashlib
    import json

    from .cachedir import read_signed
    from .version import __version__

    if stamp is None:
        return None, None
    key = hashlib.sha256("|".join([__version__, *stamp]).encode()).hexdigest()
    body = read_signed(_cache_file(key), key)
    if body is None:
        return key, None
    try:
        data = json.loads(body)
        rules = {r["id"]: Rule(**r) for r in data["rules"]}
        return key, Catalogue(rules, data["sections"])
    except (ValueError, KeyError, TypeError):
        return key, None


def _store(key: str, catalogue: Catalogue) -> None:
    import json

    from .cachedir import write_signed
    from .records import asdict

    try:
        rules = [asdict(rule) for rule in catalogue.rules.values()]
        body = json.dumps({"rules": rules, "sections": catalogue.sections})
    except (TypeError, ValueError):
        return  # a section holding something JSON cannot carry: no cache, still correct
    try:
        write_signed(_cache_file(key), key, body)
    except OSError:
        pass
