"""The rule catalogue: what each rule means, loaded from the YAML files in ``rules/``.

Every rule entry has an id, a category, a severity, a title, a message and the
texts ``execgate explain`` prints (why, example, alternative). Language
sections (``python:``, ``shell:``, ``sql:``) hold the knowledge each front end
matches against: which APIs, commands or statements perform a rule's
operation. Front ends read their own section; nothing else is hard-coded.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import CATEGORIES, SEVERITIES


class CatalogueError(Exception):
    pass


@dataclass(frozen=True)
class Rule:
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

    def format_message(self, **values: object) -> str:
        """The rule's message with ``{target}``-style fields filled; unknown fields stay literal."""
        return self.message.format_map(_Default({k: v for k, v in values.items() if v is not None}))


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return {"target": "the target", "host": "a host"}.get(key, "{" + key + "}")


@dataclass(frozen=True)
class Catalogue:
    rules: dict[str, Rule]
    sections: dict[str, dict[str, Any]]

    def get(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise CatalogueError(f"unknown rule {rule_id!r}") from None

    def section(self, language: str) -> dict[str, Any]:
        return self.sections.get(language, {})

    def with_rules(self, extra: list[Rule]) -> Catalogue:
        rules = dict(self.rules)
        rules.update({rule.id: rule for rule in extra})
        return Catalogue(rules, self.sections)


@functools.lru_cache(maxsize=1)
def rules_dir() -> Path:
    """The catalogue's folder: the package ``analyzer.rules`` (``rules/`` of the repository)."""
    import importlib

    return Path(importlib.import_module("analyzer.rules").__path__[0])


_RULE_KEYS = {"id", "category", "severity", "title", "message", "why", "example", "alternative"}


def _load_file(path: Path, rules: dict[str, Rule], sections: dict[str, dict[str, Any]]) -> None:
    import yaml   # only when the cached catalogue is missing or stale

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


@functools.cache
def load_catalogue(directory: str | None = None) -> Catalogue:
    """Load every ``*.yaml`` file of the catalogue, once per process.

    Parsing the YAML costs more than a whole one-command check, so the parsed
    catalogue is kept as signed JSON in the cache directory, keyed by the
    files' names, sizes and modification times."""
    base = Path(directory) if directory else rules_dir()
    files = [p for p in sorted(base.glob("*.yaml")) if not p.name.startswith("policy")]
    key, cached = _cached(files)
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


def _cached(files: list[Path]) -> tuple[str | None, Catalogue | None]:
    import hashlib
    import json

    from .version import __version__
    from .cachedir import read_signed

    try:
        stamp = [__version__] + [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files]
    except OSError:
        return None, None
    key = hashlib.sha256("|".join(stamp).encode()).hexdigest()
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
    from dataclasses import asdict

    from .cachedir import write_signed

    try:
        body = json.dumps({"rules": [asdict(r) for r in catalogue.rules.values()], "sections": catalogue.sections})
    except (TypeError, ValueError):
        return  # a section holding something JSON cannot carry: no cache, still correct
    try:
        write_signed(_cache_file(key), key, body)
    except OSError:
        pass
