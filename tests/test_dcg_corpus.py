"""bench/dcg_conformance.py: how execgate's decisions are compared with a labelled command corpus.

The real corpus (destructive_command_guard's) lives outside the repository and is given to the
script as an argument; these tests write small corpora of the same shape (TOML ``[[case]]``
tables) and check what the script counts, lists and exits with. What the shell front end finds
is tested on the annotated fixtures in tests/fixtures/shell/ (guard_*.sh and the others).
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "dcg_conformance.py"
_spec = importlib.util.spec_from_file_location("dcg_conformance", SCRIPT)
assert _spec and _spec.loader
conformance = importlib.util.module_from_spec(_spec)
sys.modules["dcg_conformance"] = conformance
_spec.loader.exec_module(conformance)


def write_corpus(root: Path, files: dict[str, list[dict[str, str]]]) -> Path:
    for name, cases in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join("[[case]]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in case.items()) + "\n"
                       for case in cases)
        path.write_text(text, encoding="utf-8")
    return root


def run(corpus: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = conformance.main([str(corpus), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_corpus_that_agrees_exits_0_and_counts_per_file(tmp_path: Path, capsys) -> None:
    corpus = write_corpus(tmp_path, {
        "true_positives/git.toml": [{"description": "reset", "command": "git reset --hard", "expected": "deny"},
                                    {"description": "force push", "command": "git push -f origin main",
                                     "expected": "deny"}],
        "false_positives/safe.toml": [{"description": "status", "command": "git status", "expected": "allow"},
                                      {"description": "echo", "command": "echo 'rm -rf /'", "expected": "allow"},
                                      {"description": "tmp", "command": "rm -rf /tmp/build", "expected": "allow"}],
    })
    code, out = run(corpus, capsys)
    assert code == 0, out
    assert "5 cases in 2 files" in out
    assert "agree:            5 of 5 (100.0%)" in out
    assert "misses:           0" in out and "false positives:  0" in out
    assert "Misses:" not in out and "False positives:" not in out


def test_a_miss_is_listed_with_the_command_and_exits_1(tmp_path: Path, capsys) -> None:
    corpus = write_corpus(tmp_path, {"a.toml": [
        {"description": "labelled deny, harmless", "command": "git status", "expected": "deny"},
        {"description": "agrees", "command": "git clean -fd", "expected": "deny"}]})
    code, out = run(corpus, capsys)
    assert code == 1
    assert "misses:           1" in out
    misses = out.split("Misses:")[1]
    assert "a.toml: labelled deny, harmless" in misses and "'git status'" in misses
    assert "guard: deny, execgate: allow" in misses


def test_a_false_positive_names_the_rule_that_blocked(tmp_path: Path, capsys) -> None:
    corpus = write_corpus(tmp_path, {"a.toml": [
        {"description": "labelled allow", "command": "rm -rf /srv/data", "expected": "allow"}]})
    code, out = run(corpus, capsys)
    assert code == 1
    assert "false positives:  1" in out
    assert "guard: allow, execgate: deny (shell.rm-recursive)" in out.split("False positives:")[1]


def test_a_listed_difference_is_reported_with_its_reason_and_passes(tmp_path: Path, capsys) -> None:
    (file, label), reason = next(iter(conformance.DELIBERATE_DIFFERENCES.items()))
    assert reason
    # A stand-in case under the listed name whose label disagrees with execgate.
    corpus = write_corpus(tmp_path, {file: [{"description": label, "command": "git reset --hard",
                                             "expected": "allow"}]})
    code, out = run(corpus, capsys)
    assert code == 0, out
    deliberate = out.split("Deliberate differences:")[1]
    assert label in deliberate and reason in deliberate
    assert "deliberate:       1" in out


def test_a_listed_difference_that_agrees_now_fails_so_the_list_stays_true(tmp_path: Path, capsys) -> None:
    (file, label), _ = next(iter(conformance.DELIBERATE_DIFFERENCES.items()))
    corpus = write_corpus(tmp_path, {file: [{"description": label, "command": "git reset --hard",
                                             "expected": "deny"}]})
    code, out = run(corpus, capsys)
    assert code == 1
    assert "agree now" in out and label in out.split("agreeing now")[1]


def test_canonical_cases_use_their_id_and_hook_inputs_are_skipped(tmp_path: Path, capsys) -> None:
    corpus = write_corpus(tmp_path, {"canonical.toml": [
        {"id": "git.safe.status", "command": "git status", "expected_decision": "allow"},
        {"id": "git.destructive.clean", "command": "git clean -fdx", "expected_decision": "allow"},
        {"id": "hook.empty", "raw_input": "", "expected_decision": "allow"}]})
    code, out = run(corpus, capsys)
    assert code == 1
    assert "2 cases in 1 files (1 without a command skipped)" in out
    assert "canonical.toml: git.destructive.clean" in out.split("False positives:")[1]


def test_an_unanalysable_command_is_a_deny(monkeypatch, tmp_path: Path, capsys) -> None:
    from analyzer.model import Analysis, AnalysisError

    monkeypatch.setattr(conformance, "analyze",
                        lambda *a, **k: Analysis(errors=[AnalysisError("<command>", "too deep")]))
    corpus = write_corpus(tmp_path, {"a.toml": [{"description": "x", "command": "ls", "expected": "allow"}]})
    code, out = run(corpus, capsys)
    assert code == 1
    assert "execgate: deny (could not analyse: too deep)" in out


def test_verbose_lists_the_agreements_too(tmp_path: Path, capsys) -> None:
    corpus = write_corpus(tmp_path, {"a.toml": [{"description": "status", "command": "git status",
                                                 "expected": "allow"}]})
    assert "Agreements:" not in run(corpus, capsys)[1]
    code, out = run(corpus, capsys, "--verbose")
    assert code == 0 and "a.toml: status" in out.split("Agreements:")[1]


@pytest.mark.parametrize("files", [{}, {"a.toml": [{"description": "hook", "raw_input": "{}", "expected": "allow"}]}])
def test_no_case_with_a_command_is_a_usage_error(tmp_path: Path, capsys, files) -> None:
    code, out = run(write_corpus(tmp_path, files), capsys)
    assert code == 2 and "no [[case]]" in out


def test_a_missing_folder_or_a_bad_label_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert run(tmp_path / "absent", capsys)[0] == 2
    corpus = write_corpus(tmp_path, {"a.toml": [{"description": "x", "command": "ls", "expected": "maybe"}]})
    code, out = run(corpus, capsys)
    assert code == 2 and "'maybe'" in out
