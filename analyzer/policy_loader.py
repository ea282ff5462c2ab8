"""Reading a policy file: safe YAML, JSON Schema validation, errors with file, line and key."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .policy import Policy, PolicyError, PolicyRule, builtin_policy_path, file_sha256


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return json.loads((Path(__file__).parent / "policy.schema.json").read_text(encoding="utf-8"))


def _line_index(node: yaml.Node, path: tuple = (), index: dict | None = None) -> dict[tuple, int]:
    """Map each key path of the YAML document to its 1-based line."""
    index = {} if index is None else index
    index[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            index[path + (key,)] = key_node.start_mark.line + 1
            _line_index(value_node, path + (key,), index)
            index[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, path + (i,), index)
    return index


def _parse(text: str, name: str) -> tuple[Any, dict[tuple, int]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        raise PolicyError(f"{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    return data, (_line_index(node) if node is not None else {})


def _validate(data: Any, lines: dict[tuple, int], name: str) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if not errors:
        return
    error = errors[0]
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        key = extra[0] if extra else "?"
        line = lines.get(path + (key,), lines.get(path, 1))
        where = ".".join(map(str, path + (key,)))
        raise PolicyError(f"{name}:{line}: unknown key {where!r}")
    line = lines.get(path, 1)
    where = ".".join(map(str, path)) or "(top level)"
    raise PolicyError(f"{name}:{line}: {where}: {error.message}")


def _as_tuple(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _rules(data: dict, lines: dict[tuple, int], name: str) -> list[PolicyRule]:
    result = []
    for i, entry in enumerate(data.get("rules") or []):
        when = tuple((k, _as_tuple(v)) for k, v in (entry.get("when") or {}).items())
        origin = f"{name}:{lines.get(('rules', i), 0)}"
        result.append(PolicyRule(entry["id"], entry["action"], when, origin, entry.get("reason", "")))
    return result


def load_policy_file(path: Path, builtin: bool = False) -> Policy:
    name = "built-in" if builtin else str(path)
    try:
        raw_bytes = path.read_bytes()
        text = raw_bytes.decode("utf-8-sig")
    except OSError as exc:
        raise PolicyError(f"{name}: cannot read the policy: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{name}: the policy is not UTF-8 (byte {exc.start})") from None
    data, lines = _parse(text, name)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError(f"{name}:1: a policy is a mapping of keys, not {type(data).__name__}")
    _validate(data, lines, name)

    if builtin or data.get("extends", "default") == "none":
        policy = Policy()
    else:
        policy = load_policy_file(builtin_policy_path(), builtin=True)
    policy.source = "built-in" if builtin else str(path)
    policy.sha256 = file_sha256(raw_bytes)
    policy.path = None if builtin else path.resolve()
    policy.raw = data
    if "environment" in data:
        policy.environment = data["environment"]
    if "fail_closed" in data:
        policy.fail_closed = data["fail_closed"]
    policy.allowed_hosts = policy.allowed_hosts + list(data.get("allowed_hosts") or [])
    policy.sensitive_tables = policy.sensitive_tables + list(data.get("sensitive_tables") or [])
    scratch = data.get("scratch") or {}
    policy.scratch_tables = policy.scratch_tables + list(scratch.get("tables") or [])
    policy.scratch_paths = policy.scratch_paths + list(scratch.get("paths") or [])
    policy.dialect = (data.get("sql") or {}).get("dialect", policy.dialect)
    policy.semgrep_rules = policy.semgrep_rules + [
        str((path.parent / p)) if not builtin else p for p in (data.get("semgrep") or {}).get("rules") or []]
    policy.audit_log = (data.get("audit") or {}).get("log", policy.audit_log)
    # The project's rules come before the ones it extends: first match wins.
    policy.rules = _rules(data, lines, name) + policy.rules
    return policy
