"""Loading a policy: finding the file, safe YAML, JSON Schema validation, errors with file, line and key.

Everything that makes a policy unusable is a :class:`PolicyError`: every problem
found, each one line starting ``<file>:<line>:`` and naming the key (the message
is the first, with how many more; ``policy validate`` prints them all). The CLI
exits 2. Nothing here ever falls back to a more permissive policy. A rule id glob
that matches no rule of the catalogue or of the team rules is such a problem (a
misspelt id would silently never apply). Problems that leave the policy usable but
probably not what its author meant (a host glob that also matches look-alike
hosts, a rule repeated or shadowed) are returned as ``Policy.warnings`` for
``policy validate`` and ``check`` to print.

Two rules with the same id and the same ``when`` but different actions are an
**error**: first match wins, so the later one can never fire, and the file says
two different things about the same case; the reader cannot tell which was meant.
The same rule written twice with the same action is only a warning.

``extends`` names a built-in profile in ``rules/``: ``default`` (``policy.yaml``),
``strict`` (``policy-strict.yaml``; named ``policy*`` so the catalogue, which reads
every other ``rules/*.yaml``, leaves it alone), or ``none``.
"""
from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..catalogue import rules_dir
from .hosts import parse_host
from .rules import Policy, PolicyError, PolicyRule

POLICY_FILENAMES = (".execgate.yaml", ".execgate.yml")
# extends: NAME -> the built-in policy file in rules/ (none is no file: a blank slate).
PROFILES = {"default": "policy.yaml", "strict": "policy-strict.yaml"}

LineIndex = dict[tuple, int]


def find_policy_file(start: Path) -> Path | None:
    """``.execgate.yaml`` in ``start`` (or its folder) or the nearest parent folder."""
    try:
        start = Path(start).resolve()
    except (OSError, RuntimeError):   # a symlink loop: look from the folder that holds it
        start = Path(os.path.abspath(start))
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in POLICY_FILENAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def builtin_policy_path(profile: str = "default") -> Path:
    """A shipped policy: ``rules/policy.yaml`` (what ``extends: default`` brings in, and what
    applies when there is no policy file) or another profile's file."""
    return rules_dir() / PROFILES[profile]


def _builtin_name(path: Path) -> str:
    """How decisions name a built-in profile's rules: ``built-in`` or ``built-in:<profile>``."""
    profile = next((name for name, file in PROFILES.items() if file == path.name), "default")
    return "built-in" if profile == "default" else f"built-in:{profile}"


def load_policy(path: str | Path | None = None, start: Path | None = None) -> Policy:
    """Load the policy named by ``path``, else found upward from ``start``, else the built-in one.

    Problems that do not stop the policy from working are in ``Policy.warnings``."""
    if path is None and start is not None:
        path = find_policy_file(start)
    if path is None:
        return load_policy_file(builtin_policy_path(), builtin=True)
    return load_policy_file(Path(path))


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return json.loads((Path(__file__).parent / "policy.schema.json").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _loader_class() -> type:
    """The safe loader, refusing anchors and aliases: a policy is read by people, and aliases
    make one line mean several places (and let a small file expand without bound). Made on
    first use: the built-in policy alone never needs YAML (see _builtin_data)."""
    import yaml

    class _Loader(yaml.SafeLoader):
        def compose_node(self, parent, index):
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise yaml.composer.ComposerError(
                    None, None, f"YAML anchors and aliases (&{event.anchor} / *{event.anchor}) are not allowed "
                    "in a policy file: write the values out", event.start_mark)
            return super().compose_node(parent, index)

    return _Loader


def _builtin_data(raw: bytes, text: str, name: str) -> tuple[Any, LineIndex]:
    """A shipped policy's document and lines, from the signed cache when it is there (parsing YAML
    and importing the parser cost more than a one-command check)."""
    from ..cachedir import cache_dir, read_signed, write_signed

    key = file_sha256(raw)
    path = cache_dir() / f"builtin-policy-{key[:32]}.json"
    body = read_signed(path, key)
    if body is not None:
        try:
            cached = json.loads(body)
            return cached["data"], {tuple(where): line for where, line in cached["lines"]}
        except (ValueError, KeyError, TypeError):
            pass
    data, lines = parse_yaml(text, name)
    try:
        write_signed(path, key, json.dumps({"data": data, "lines": [[list(k), v] for k, v in lines.items()]}))
    except (TypeError, ValueError):
        pass
    return data, lines


@functools.lru_cache(maxsize=1)
def _schema_sha256() -> str:
    return file_sha256((Path(__file__).parent / "policy.schema.json").read_bytes())


def _valid_key(raw: bytes) -> str:
    """What a project policy's validation depends on: its bytes, the schema and execgate's version."""
    from ..version import __version__

    return file_sha256(b"\0".join((__version__.encode(), _schema_sha256().encode(), raw)))


def _policy_data(raw: bytes, text: str, name: str) -> tuple[Any, LineIndex, bool]:
    """A project policy's document and lines, and whether the schema passed them already: from the
    signed cache when this content was read and validated before (importing the YAML parser and
    jsonschema costs more than a whole one-command check), else parsed now."""
    from ..cachedir import cache_dir, read_signed

    key = _valid_key(raw)
    body = read_signed(cache_dir() / f"policy-{key[:32]}.json", key)
    if body is not None:
        try:
            cached = json.loads(body)
            return cached["data"], {tuple(where): line for where, line in cached["lines"]}, True
        except (ValueError, KeyError, TypeError):
            pass
    data, lines = parse_yaml(text, name)
    return data, lines, False


def _remember_valid(raw: bytes, data: Any, lines: LineIndex) -> None:
    """Keep a policy the schema passed, when JSON gives back exactly what YAML read (no dates, no
    non-string keys): the next gate reads it without YAML or jsonschema."""
    from ..cachedir import cache_dir, write_signed

    try:
        body = json.dumps({"data": data, "lines": [[list(k), v] for k, v in lines.items()]})
        again = json.loads(body)
    except (TypeError, ValueError):
        return
    if again["data"] != data or {tuple(where): line for where, line in again["lines"]} != lines:
        return
    key = _valid_key(raw)
    write_signed(cache_dir() / f"policy-{key[:32]}.json", key, body)


def display_name(path: Path) -> str:
    """The policy file as decisions name it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def parse_yaml(text: str, name: str) -> tuple[Any, LineIndex]:
    """The document and the line of every key path; duplicate keys, aliases and python tags
    are errors (the safe loader refuses ``!!python/...``)."""
    import yaml

    loader = None
    try:
        loader = _loader_class()(text)   # the reader refuses control characters here
        node = loader.get_single_node()
        lines: LineIndex = {}
        if node is not None:
            _line_index(node, (), lines, name)
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        line = text[:exc.position].count("\n") + 1
        character = chr(exc.character) if isinstance(exc.character, int) else exc.character
        raise PolicyError(f"{name}:{line}: not valid YAML: character {character!r} is not allowed") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if "python/" in problem or "could not determine a constructor" in problem:
            problem = f"{problem} (only plain YAML is allowed: no tags that build objects)"
        raise PolicyError(f"{where}: not valid YAML: {problem}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines


def _line_index(node: Any, path: tuple, index: LineIndex, name: str) -> None:
    """Map each key path of the YAML document to its 1-based line; duplicate keys are errors
    (YAML would silently keep the last one, dropping e.g. a whole ``rules:`` list)."""
    import yaml

    index.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                where = ".".join(map(str, path + (key,)))
                raise PolicyError(f"{name}:{key_node.start_mark.line + 1}: duplicate key {where!r}")
            seen.add(key)
            _line_index(value_node, path + (key,), index, name)
            index[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, path + (i,), index, name)


def key_path(path: tuple) -> str:
    """A key path as a person writes it: ``rules[0].when.role``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def validate(data: Any, lines: LineIndex, name: str) -> None:
    """JSON Schema validation: every problem, in file order, as one line each with file, line and key."""
    problems = schema_problems(data, lines, name)
    if problems:
        raise PolicyError.of([message for _, message in problems])


def schema_problems(data: Any, lines: LineIndex, name: str) -> list[tuple[int, str]]:
    """(line, message) of every place the document breaks the schema, in file order."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(_schema())
    found: set[tuple[int, str]] = set()
    for error in validator.iter_errors(data):
        found.update(_described(error, lines, name))
    return sorted(found)


def _described(error: Any, lines: LineIndex, name: str) -> list[tuple[int, str]]:
    import jsonschema

    path = tuple(error.absolute_path)
    at = lines.get(path, 1)
    if error.validator == "additionalProperties":
        known = ", ".join(sorted(error.schema.get("properties", {})))
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})), key=str)
        return [(line, f"{name}:{line}: unknown key {key_path(path + (key,))!r} (known here: {known})")
                for key in extra for line in [lines.get(path + (key,), at)]]
    if error.instance == [] or error.instance == "":
        message = "an empty value never matches anything: give at least one value or remove the key"
    else:
        if error.context:  # anyOf: say what is wrong with the closest alternative
            deepest = max(error.context, key=lambda e: len(e.absolute_path))
            error = deepest if len(deepest.absolute_path) > len(path) else \
                jsonschema.exceptions.best_match(error.context)
            path = tuple(error.absolute_path)
        message = error.message
        if error.validator == "enum":
            message = f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    line = lines.get(path, at)
    return [(line, f"{name}:{line}: {key_path(path)}: {message}")]


def _as_tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, bool):
        return ("true" if value else "false",)
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _rules(data: dict, lines: LineIndex, name: str) -> list[PolicyRule]:
    """The rules of a policy; entries the schema refused (reported there) are left out."""
    result = []
    for i, entry in enumerate(_listed(data, "rules")):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"] \
                or entry.get("action") not in ("allow", "warn", "block"):
            continue
        when_data = entry.get("when") or {}
        if not isinstance(when_data, dict):
            continue
        when = tuple((k, _as_tuple(v)) for k, v in when_data.items() if isinstance(v, (str, bool, list)))
        origin = f"{name}:{lines.get(('rules', i), 0)}"
        result.append(PolicyRule(entry["id"], entry["action"], when, origin, str(entry.get("reason") or "")))
    return result


def _covers(earlier: PolicyRule, later: PolicyRule) -> bool:
    """Whether every operation ``later`` matches is matched by ``earlier`` (so ``later`` never
    fires): ``earlier``'s id glob (``*`` only) covers ``later``'s, and each of ``earlier``'s
    conditions is a key ``later`` also has, with a subset of its values."""
    if any(c in earlier.id for c in "?[") or not fnmatch.fnmatchcase(later.id, earlier.id):
        return False
    for key, values in earlier.when:
        mine = later.condition(key)
        if mine is None or not set(mine) <= set(values):
            return False
    return True


def _check_rules(rules: list[PolicyRule], name: str, team_rule_paths: list[str]
                 ) -> tuple[list[tuple[int, str]], list[str]]:
    """(problems, warnings): two rules that say different things about the same case, and id
    globs that match no rule of the catalogue or of the team rules, are problems; shadowed and
    repeated rules are warnings."""
    from ..catalogue import CatalogueError, load_catalogue

    problems: list[tuple[int, str]] = []
    warnings: list[str] = []
    for i, rule in enumerate(rules):
        for earlier in rules[:i]:
            same = earlier.id == rule.id and _canonical(earlier) == _canonical(rule)
            if not (same or _covers(earlier, rule)):
                continue
            line = earlier.origin.rsplit(":", 1)[1]
            if same and earlier.action != rule.action:
                problems.append((_line(rule), f"{rule.origin}: rules[].id {rule.id!r}: this rule ({rule.action}) "
                                              f"can never fire: the rule at line {line} has the same id and when "
                                              f"and says {earlier.action} (first match wins)"))
            else:
                what = "repeats" if same else "is shadowed by"
                warnings.append(f"{rule.origin}: rules[].id {rule.id!r}: {what} the rule at line {line} "
                                f"({earlier.action}); first match wins, so this one can never fire")
            break
    try:
        known = set(load_catalogue().rules)
    except CatalogueError as exc:
        return problems, warnings + [f"{name}: cannot check the rule ids against the catalogue: {exc}".splitlines()[0]]
    unknown = [rule for rule in rules if not any(fnmatch.fnmatchcase(rule_id, rule.id) for rule_id in known)]
    if unknown and team_rule_paths:
        team, why = _team_rule_ids(team_rule_paths)
        if team is None:
            return problems, warnings + [f"{name}: cannot check the rule ids against the team rules: {why}"]
        unknown = [rule for rule in unknown if not any(fnmatch.fnmatchcase(rule_id, rule.id) for rule_id in team)]
    for rule in unknown:
        where = "the catalogue or the team rules" if team_rule_paths else "the catalogue"
        problems.append((_line(rule), f"{rule.origin}: rules[].id {rule.id!r} matches no rule in {where} "
                                      "(see `execgate rules`): a misspelt id never applies"))
    return problems, warnings


def _team_rule_ids(paths: list[str]) -> tuple[set[str] | None, str]:
    """The execgate ids of the team rules in ``paths`` (semgrep.rules), or None and why not."""
    from ..teamrules.rules import load_team_rules

    try:
        return {team.rule.id for team in load_team_rules(paths)}, ""
    except PolicyError as exc:
        return None, str(exc)
    except (OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"


def _line(rule: PolicyRule) -> int:
    try:
        return int(rule.origin.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return 0


def _canonical(rule: PolicyRule) -> tuple:
    return tuple(sorted((k, tuple(sorted(set(v)))) for k, v in rule.when))


def _check_hosts(hosts: list[Any], lines: LineIndex, name: str) -> tuple[list[tuple[int, str]], list[str]]:
    """(problems, warnings) of allowed_hosts entries (other types are the schema's to report)."""
    problems: list[tuple[int, str]] = []
    warnings: list[str] = []
    for i, entry in enumerate(hosts):
        if not isinstance(entry, str) or not entry:
            continue
        line = lines.get(("allowed_hosts", i), 1)
        ref = parse_host(entry)
        if ref is None:
            problems.append((line, f"{name}:{line}: allowed_hosts[{i}]: {entry!r} is not a host, host:port or URL"))
        elif ref.host == "*" or ref.host.startswith("*") and not ref.host.startswith("*."):
            warnings.append(f"{name}:{line}: allowed_hosts[{i}]: {entry!r} also matches look-alike hosts "
                            f"(e.g. {'evil' + ref.host.lstrip('*') if ref.host != '*' else 'every host'}); "
                            "write '*.' before the domain")
    return problems, warnings


def load_policy_file(path: Path, builtin: bool = False) -> Policy:
    """Load one policy file (a built-in one when ``builtin``), on top of what it extends.

    Every call builds a new Policy, which its caller may change: a built-in one is built from the
    signed cache of its parsed document (~0.2 ms), less than importing ``copy`` to copy a kept one."""
    if builtin:
        return _load(path, read_bytes(path, _builtin_name(path)), builtin=True)
    return _load(path, read_bytes(path, display_name(path)), builtin=False)


def read_bytes(path: Path, name: str) -> bytes:
    """The file's bytes; a folder, a missing or an unreadable file is a PolicyError naming it."""
    if path.is_dir():
        raise PolicyError(f"{name}: is a directory, not a policy file")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PolicyError(f"{name}: no such policy file") from None
    except OSError as exc:
        raise PolicyError(f"{name}: cannot read the policy: {exc.strerror or exc}") from None


def _listed(data: dict, key: str) -> list[Any]:
    value = data.get(key)
    return list(value) if isinstance(value, list) else []


def _load(path: Path, raw_bytes: bytes, builtin: bool) -> Policy:
    name = _builtin_name(path) if builtin else display_name(path)
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{name}: the policy is not UTF-8 (byte {exc.start})") from None
    if builtin:
        data, lines = _builtin_data(raw_bytes, text, name)
        schema_passed = False
    else:
        data, lines, schema_passed = _policy_data(raw_bytes, text, name)
    parsed = data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError(f"{name}:1: a policy is a mapping of keys, not a {type(data).__name__}")

    # Every problem, in file order: the schema's, then what the schema cannot see.
    problems: list[tuple[int, str]] = []
    if (not builtin and not schema_passed) or (builtin and os.environ.get("EXECGATE_VALIDATE_BUILTIN")):
        # The built-in policies ship with execgate and are validated by its tests, and a project's
        # policy is validated once per content (_policy_data): importing jsonschema costs more than
        # a whole one-command check.
        schema = schema_problems(data, lines, name)
        problems += schema
        if not builtin and not schema:
            _remember_valid(raw_bytes, parsed, lines)
    base = path.parent
    host_problems, warnings = _check_hosts(_listed(data, "allowed_hosts"), lines, name)
    problems += host_problems
    own = _rules(data, lines, name)
    if not builtin:
        semgrep = data["semgrep"] if isinstance(data.get("semgrep"), dict) else {}
        team_paths = [str(base / p) for p in _listed(semgrep, "rules") if isinstance(p, str)]
        rule_problems, rule_warnings = _check_rules(own, name, team_paths)
        problems += rule_problems
        warnings += rule_warnings
    if problems:
        raise PolicyError.of([message for _, message in sorted(set(problems))])

    extends = data.get("extends", "default")
    policy = Policy() if builtin or extends == "none" else load_policy_file(builtin_policy_path(extends), True)
    policy.source = name if builtin else str(path)
    policy.sha256 = file_sha256(raw_bytes)
    policy.path = None if builtin else path.resolve()
    policy.raw = data
    if "environment" in data:
        policy.environment = data["environment"]
    if "fail_closed" in data:
        policy.fail_closed = data["fail_closed"]
    policy.allowed_hosts = policy.allowed_hosts + _listed(data, "allowed_hosts")
    policy.sensitive_tables = policy.sensitive_tables + _listed(data, "sensitive_tables")
    policy.data_paths = policy.data_paths + _listed(data, "data_paths")
    scratch = data.get("scratch") or {}
    policy.scratch_tables = policy.scratch_tables + list(scratch.get("tables") or [])
    policy.scratch_paths = policy.scratch_paths + list(scratch.get("paths") or [])
    policy.dialect = (data.get("sql") or {}).get("dialect", policy.dialect)
    policy.semgrep_rules = policy.semgrep_rules + [
        str(base / p) if not builtin else p for p in (data.get("semgrep") or {}).get("rules") or []]
    log = (data.get("audit") or {}).get("log")
    if log:
        # Relative to the policy file, so every gate writes the same log wherever it runs from.
        policy.audit_log = log if builtin or os.path.isabs(log) else str(base / log)
    for role, actors in (data.get("roles") or {}).items():
        policy.roles[role] = list(_as_tuple(actors))
    # The project's rules come before the ones it extends: first match wins.
    policy.rules = own + policy.rules
    policy.warnings = list(policy.warnings) + warnings
    return policy
