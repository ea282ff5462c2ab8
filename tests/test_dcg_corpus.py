"""Conformance with destructive_command_guard's labelled command corpus.

Every ``[[case]]`` of ``<repo>/../shared/corpora/dcg/**/*.toml`` is run through
the shell front end and the built-in policy in a production context: the
command is "deny" when any operation blocks there (destructive, exfiltrating,
privilege and secret operations; evasion under fail_closed in prod) or when it
could not be analysed (fail closed), else "allow".

Where execgate deliberately decides otherwise, the case is listed in
DELIBERATE_DIFFERENCES with the reason, and the opposite outcome is asserted
so that the list stays true.
"""
from __future__ import annotations

from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from analyzer.frontends import Options, analyze
from analyzer.model import Location
from analyzer.policy.load import load_policy
from analyzer.model import Context

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "dcg"

DELIBERATE_DIFFERENCES: dict[tuple[str, str], str] = {
    ("edge_cases/future_packs.toml", "kubectl delete namespace (future: kubernetes.kubectl)"):
        "execgate already covers kubectl: deleting a namespace deletes everything in it",
    ("edge_cases/future_packs.toml", "kubectl delete all (future: kubernetes.kubectl)"):
        "execgate already covers kubectl: `delete all --all` empties the namespace",
    ("edge_cases/quoting.toml", "find with quoted expression is safe"):
        "`find -exec rm {} ;` deletes every match under the tree, exactly like `find -delete`",
    ("false_positives/heredoc_data.toml", "curl -d heredoc is DATA"):
        "a request body sent to a host that is not in allowed_hosts is exfiltration, whatever its content",
    ("canonical.toml", "heredoc.inline.python"):
        "/tmp/** is scratch in execgate's default policy in every language, as `rm -rf /tmp/build` is",
    ("canonical.toml", "heredoc.inline.python.mixed-quotes"):
        "/tmp/** is scratch in execgate's default policy in every language, as `rm -rf /tmp/build` is",
}


def _cases() -> list[object]:
    params = []
    for path in sorted(CORPUS.rglob("*.toml")):
        relative = path.relative_to(CORPUS).as_posix()
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for number, case in enumerate(data.get("case", [])):
            if "command" not in case:
                continue  # hook-protocol cases (raw JSON input) belong to the agent hook's tests
            label = str(case.get("description") or case.get("id") or number)
            expected = str(case.get("expected") or case.get("expected_decision"))
            params.append(pytest.param(relative, label, case["command"], expected, id=f"{relative}:{label}"))
    return params


CASES = _cases()
POLICY = load_policy()
PROD = Context(environment="prod")


def decide(command: str) -> str:
    analysis = analyze("shell", command, Location("<command>"), Options())
    if analysis.errors:
        return "deny"
    blocked = [op for op in analysis.operations if POLICY.decide(op, PROD).action == "block"]
    return "deny" if blocked else "allow"


def test_corpus_is_present() -> None:
    assert len(CASES) > 300, f"expected the dcg corpus at {CORPUS}"


def test_deliberate_differences_name_real_cases() -> None:
    known = {(file, label) for file, label, _, _ in (c.values for c in CASES)}
    assert set(DELIBERATE_DIFFERENCES) <= known


@pytest.mark.parametrize("file,label,command,expected", CASES)
def test_case(file: str, label: str, command: str, expected: str) -> None:
    want = expected
    if (file, label) in DELIBERATE_DIFFERENCES:
        want = "allow" if expected == "deny" else "deny"
    assert decide(command) == want, f"{command!r}: expected {want}"
