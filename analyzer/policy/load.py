"""Loading a policy: finding the file, safe YAML, JSON Schema validation, errors with file, line and key.

Everything that makes a policy unusable is a :class:`PolicyError` whose one-line
message starts ``<file>:<line>:`` and names the key; the CLI prints it and exits 2.
Nothing here ever falls back to a more permissive policy. Problems that leave the
policy usable but probably not what its author meant (an id glob that matches no
rule, a host glob that also matches look-alike hosts, a rule repeated) are
returned as ``Policy.warnings`` for ``policy validate`` and ``check`` to print.

Two rules with the same id and the same ``when`` but different actions are an
**error**: first match wins, so the later one can never fire, and the file says
two different things about the same case; the reader cannot tell which was meant.
The same rule written twice with the same action is only a warning.
"""
from __future__ import annotations

import copy
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


def builtin_policy_path() -> Path:
    """The shipped policy, ``rules/policy.yaml`` (what ``extends: default`` brings in)."""
    return rules_dir() / "policy.yaml"


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


def _builtin_data(raw: bytes, text: str) -> tuple[Any, LineIndex]:
    """The shipped policy's document, from the signed cache when it is there (parsing YAML and
    importing the parser cost more than a one-command check); it has no rules whose lines matter."""
    from ..cachedir import cache_dir, read_signed, write_signed

    key = file_sha256(raw)
    path = cache_dir() / f"builtin-policy-{key[:32]}.json"
    body = read_signed(path, key)
    if body is not None:
        try:
            return json.loads(body), {}
        except ValueError:
            pass
    data, lines = parse_yaml(text, "built-in")
    try:
        write_signed(path, key, json.dumps(data))
    except (TypeError, ValueError):
        pass
    return data, lines


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
    """JSON Schema validation; the first error (in file order) as one line with file, line and key."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(_schema())
    errors = list(validator.iter_errors(data))
    if not errors:
        return

    def line_of(error) -> int:
        return lines.get(tuple(error.absolute_path), 1)

    errors.sort(key=lambda e: (line_of(e), len(e.absolute_path)))
    error = errors[0]
    path = tuple(error.absolute_path)
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})), key=str)
        key = extra[0] if extra else "?"
        line = lines.get(path + (key,), lines.get(path, 1))
        known = ", ".join(sorted(error.schema.get("properties", {})))
        raise PolicyError(f"{name}:{line}: unknown key {key_path(path + (key,))!r} (known here: {known}){more}")
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
    raise PolicyError(f"{name}:{lines.get(path, line_of(errors[0]))}: {key_path(path)}: {message}{more}")


def _as_tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, bool):
        return ("true" if value else "false",)
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _rules(data: dict, lines: LineIndex, name: str) -> list[PolicyRule]:
    result = []
    for i, entry in enumerate(data.get("rules") or []):
        when = tuple((k, _as_tuple(v)) for k, v in (entry.get("when") or {}).items())
        origin = f"{name}:{lines.get(('rules', i), 0)}"
        result.append(PolicyRule(entry["id"], entry["action"], when, origin, entry.get("reason", "")))
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


def _check_rules(rules: list[PolicyRule], name: str, has_team_rules: bool) -> list[str]:
    """Conflicts are errors; shadowed rules and rules that match nothing known are warnings."""
    from ..catalogue import CatalogueError, load_catalogue

    warnings: list[str] = []
    for i, rule in enumerate(rules):
        for earlier in rules[:i]:
            same = earlier.id == rule.id and _canonical(earlier) == _canonical(rule)
            if not (same or _covers(earlier, rule)):
                continue
            line = earlier.origin.rsplit(":", 1)[1]
            if same and earlier.action != rule.action:
                raise PolicyError(f"{rule.origin}: rules[].id {rule.id!r}: this rule ({rule.action}) can never "
                                  f"fire: the rule at line {line} has the same id and when and says "
                                  f"{earlier.action} (first match wins)")
            what = "repeats" if same else "is shadowed by"
            warnings.append(f"{rule.origin}: rules[].id {rule.id!r}: {what} the rule at line {line} "
                            f"({earlier.action}); first match wins, so this one can never fire")
            break
    try:
        known = load_catalogue().rules
    except CatalogueError as exc:
        return warnings + [f"{name}: cannot check the rule ids against the catalogue: {exc}".splitlines()[0]]
    for rule in rules:
        if rule.id.startswith("semgrep.") and has_team_rules:
            continue  # team rules are only known once semgrep has read them
        if not any(fnmatch.fnmatchcase(rule_id, rule.id) for rule_id in known):
            warnings.append(f"{rule.origin}: rules[].id {rule.id!r} matches no rule in the catalogue "
                            "(see `execgate rules`)")
    return warnings


def _canonical(rule: PolicyRule) -> tuple:
    return tuple(sorted((k, tuple(sorted(set(v)))) for k, v in rule.when))


def _check_hosts(hosts: list[str], lines: LineIndex, name: str) -> list[str]:
    warnings = []
    for i, entry in enumerate(hosts):
        line = lines.get(("allowed_hosts", i), 1)
        ref = parse_host(entry)
        if ref is None:
            raise PolicyError(f"{name}:{line}: allowed_hosts[{i}]: {entry!r} is not a host, host:port or URL")
        if ref.host == "*" or ref.host.startswith("*") and not ref.host.startswith("*."):
            warnings.append(f"{name}:{line}: allowed_hosts[{i}]: {entry!r} also matches look-alike hosts "
                            f"(e.g. {'evil' + ref.host.lstrip('*') if ref.host != '*' else 'every host'}); "
                            "write '*.' before the domain")
    return warnings


@functools.lru_cache(maxsize=1)
def _builtin(path: str, raw_bytes: bytes) -> Policy:
    """The built-in policy, made once per content of its file."""
    return _load(Path(path), raw_bytes, builtin=True)


def load_policy_file(path: Path, builtin: bool = False) -> Policy:
    """Load one policy file (the built-in one when ``builtin``), on top of what it extends."""
    if builtin:
        return copy.deepcopy(_builtin(str(path), read_bytes(path, "built-in")))
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


def _load(path: Path, raw_bytes: bytes, builtin: bool) -> Policy:
    name = "built-in" if builtin else display_name(path)
    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{name}: the policy is not UTF-8 (byte {exc.start})") from None
    data, lines = _builtin_data(raw_bytes, text) if builtin else parse_yaml(text, name)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError(f"{name}:1: a policy is a mapping of keys, not a {type(data).__name__}")
    if not builtin or os.environ.get("EXECGATE_VALIDATE_BUILTIN"):
        # The built-in policy ships with execgate and is validated by its tests; importing
        # jsonschema costs more than a whole one-command check.
        validate(data, lines, name)

    if builtin or data.get("extends", "default") == "none":
        policy = Policy()
    else:
        policy = load_policy_file(builtin_policy_path(), builtin=True)
    policy.source = "built-in" if builtin else str(path)
    policy.sha256 = file_sha256(raw_bytes)
    policy.path = None if builtin else path.resolve()
    policy.raw = data
    base = path.parent
    if "environment" in data:
        policy.environment = data["environment"]
    if "fail_closed" in data:
        policy.fail_closed = data["fail_closed"]
    hosts = list(data.get("allowed_hosts") or [])
    warnings = list(policy.warnings) + _check_hosts(hosts, lines, name)
    policy.allowed_hosts = policy.allowed_hosts + hosts
    policy.sensitive_tables = policy.sensitive_tables + list(data.get("sensitive_tables") or [])
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
    own = _rules(data, lines, name)
    policy.rules = own + policy.rules
    if not builtin:
        warnings += _check_rules(own, name, bool(policy.semgrep_rules))
    policy.warnings = warnings
    return policy
