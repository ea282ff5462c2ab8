"""Scratch and data patterns matched from the regexes kept in the signed cache (analyzer/policy/paths.py).

A warm run must decide exactly what ``pathspec.GitIgnoreSpec`` decides, without importing pathspec;
a cache entry that is missing, forged or garbled only makes the run slower.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pathspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.cachedir import write_signed
from analyzer.policy import paths
from analyzer.policy.load import builtin_policy_path, load_policy_file

ROOT = Path(__file__).resolve().parent.parent

# Pattern sets the way policies write them: negations, folders, anchors, globs, escapes, comments.
PATTERN_SETS: list[tuple[str, ...]] = [
    ("build/**", "dist/**", "node_modules", "*.pyc"),
    ("build/", "!build/keep.txt"),
    ("build/**", "!build/keep/"),
    ("/dist", "dist/sub"),
    ("**/x", "a/**/b", "**/cache/**"),
    ("*.log", "!important.log", "logs/*.log"),
    ("[ab]", "[!c]d", "x[0-9]", "f?.txt"),
    ("\\!bang", "\\#hash", "# a comment", "", "   "),
    ("trailing  ", "spaces\\ ", "x/ "),
    ("a/", "!a/b", "a/b/c"),
    ("!x", "x", "x/", "!x/y"),
    ("/tmp/**", "/var/tmp/**", "!/tmp/keep/**"),
    ("~/.cache/**", "~/tmp/", "!~/.cache/keep"),
    ("*", "!*.py", "!*/"),
    ("**", "!src/**"),
    ("a/**", "!a/**/b", "a/**/b/c"),
    ("/a/b/", "b/**/"),
    ("build/**/out", "**/build/**/*.o"),
    tuple(load_policy_file(builtin_policy_path(), builtin=True).scratch_paths),
    tuple(load_policy_file(builtin_policy_path("strict"), builtin=True).scratch_paths),
]
NAMES = ["a", "b", "c", "d", "x", "y", "build", "dist", "src", "keep", "keep.txt", "out", "cache", "tmp",
         "logs", "important.log", "f.log", "fa.txt", "x1", "cd", "!bang", "#hash", "trailing", "spaces ",
         "a.pyc", "node_modules", ".cache", "sub", "m.o", "_"]
PATHS = sorted({
    *NAMES,
    *(f"{first}/{second}" for first in NAMES[:16] for second in NAMES[:16]),
    "a/b/c", "a/x/b", "a/x/y/b/c", "build/keep/x", "build/keep.txt/_", "dist/sub/_", "x/y/z/x",
    "/tmp", "/tmp/", "/tmp/x", "/tmp/keep/x", "/var/tmp/y/z", "/etc/passwd", "/a/b/", "/a/b/c",
    "~/.cache", "~/.cache/pip/x", "~/.cache/keep", "~/tmp", "~/tmp/_", "./build/x", "./a", "",
    "logs/f.log", "logs/x/f.log", "trailing  ", "spaces \\", "build/x/out", "q/build/r/m.o",
})


def from_pathspec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def warm(patterns: tuple[str, ...]) -> paths.GitIgnoreMatcher:
    """The matcher a fresh process builds from the cache entry a first run left."""
    paths.compiled.cache_clear()
    paths.compiled(patterns)
    paths.compiled.cache_clear()
    matcher = paths.compiled(patterns)
    assert isinstance(matcher, paths.GitIgnoreMatcher)
    return matcher


def with_probes(path: str) -> list[str]:
    """The path as is_scratch_path asks it: itself, and something under it."""
    return [path, path + "/_", path.rstrip("/") + "/_"]


@pytest.mark.parametrize("patterns", PATTERN_SETS, ids=range(len(PATTERN_SETS)))
def test_the_cached_regexes_decide_what_pathspec_decides(patterns):
    spec, matcher = from_pathspec(patterns), warm(patterns)
    disagree = [path for path in PATHS for probe in with_probes(path)
                if matcher.match_file(probe) != spec.match_file(probe)]
    assert disagree == []


def test_the_grid_has_both_answers():
    """The equivalence above compares something: each answer occurs for every pattern set with one."""
    answers = {spec.match_file(probe) for spec in map(from_pathspec, PATTERN_SETS[:18])
               for path in PATHS for probe in with_probes(path)}
    assert answers == {True, False}


SEGMENTS = st.sampled_from(["a", "b", "x", "build", "keep", "*", "?", "**", "*.log", "[ab]", "[!a]", "a*",
                            "\\!y", "\\#c", "\\*", "f?", ".cache", "~", "tmp"])
PATTERN = st.builds(
    lambda negate, anchor, segments, folder, spaces: (
        ("!" if negate else "") + anchor + "/".join(segments) + ("/" if folder else "") + " " * spaces),
    st.booleans(), st.sampled_from(["", "/", "~/", "/tmp/", "**/"]),
    st.lists(SEGMENTS, min_size=1, max_size=4), st.booleans(), st.integers(0, 2),
) | st.sampled_from(["", "# comment", "!", "/", "\\ ", "#", "   ", "***", "[", "[]", "//"])
PATH = st.builds(
    lambda prefix, parts, end: prefix + "/".join(parts) + end,
    st.sampled_from(["", "/", "./", "~/", "/tmp/"]),
    st.lists(st.sampled_from(["a", "b", "x", "y", "build", "keep", "f.log", "!y", "#c", "*", "tmp", ".cache",
                              "ab", "~", " ", "a "]), min_size=0, max_size=5),
    st.sampled_from(["", "/", "/_"]),
)


@settings(max_examples=400, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PATTERN, max_size=6), st.lists(PATH, min_size=1, max_size=12))
def test_generated_patterns_decide_alike(patterns, candidates):
    try:
        spec = from_pathspec(tuple(patterns))
    except ValueError:   # a pattern pathspec refuses (a lone "!"): compiled() raises it as before
        paths.compiled.cache_clear()
        with pytest.raises(ValueError):
            paths.compiled(tuple(patterns))
        return
    body = paths._regexes_json(spec)
    assert body is not None
    matcher = paths.GitIgnoreMatcher.from_json(body, tuple(patterns))
    assert matcher is not None
    for candidate in candidates:
        assert matcher.match_file(candidate) == spec.match_file(candidate), (patterns, candidate)


@pytest.mark.parametrize("patterns", PATTERN_SETS, ids=range(len(PATTERN_SETS)))
def test_the_forward_order_is_the_simple_backends_too(patterns):
    """GitIgnoreSpec checks its patterns last to first; were that to change, the order stored with the
    regexes would be forward, and the matcher decides as pathspec's forward branch does."""
    from pathspec._backends.simple.gitignore import SimpleGiBackend
    from pathspec.util import normalize_file

    spec = from_pathspec(patterns)
    forward_backend = SimpleGiBackend(spec.patterns, no_reverse=True)
    stored = json.loads(paths._regexes_json(spec) or "null")
    assert stored["reversed"] is True
    forward = paths.GitIgnoreMatcher.from_json(json.dumps(dict(stored, reversed=False)), patterns)
    assert forward is not None
    disagree = [probe for path in PATHS for probe in with_probes(path)
                if forward.match_file(probe) != bool(forward_backend.match_file(normalize_file(probe))[0])]
    assert disagree == []


def test_the_two_orders_differ():
    """So each test of one order could fail for the other: ``x/`` then ``!x/y`` on ``x/y/z/x``."""
    patterns = ("!x", "x", "x/", "!x/y")
    stored = json.loads(paths._regexes_json(from_pathspec(patterns)) or "null")
    answers = {order: paths.GitIgnoreMatcher.from_json(json.dumps(dict(stored, reversed=order)), patterns)
               for order in (True, False)}
    assert {order: matcher.match_file("x/y/z/x") for order, matcher in answers.items() if matcher} == {
        True: from_pathspec(patterns).match_file("x/y/z/x"), False: False}
    assert from_pathspec(patterns).match_file("x/y/z/x") is True


def test_the_cache_holds_one_entry_per_pattern_tuple(tmp_path, monkeypatch):
    monkeypatch.setenv("EXECGATE_CACHE_DIR", str(tmp_path))
    for patterns in PATTERN_SETS[:5] + PATTERN_SETS[:5]:
        warm(patterns)
    assert len(list(tmp_path.glob("path-regexes-*.json"))) == 5


def test_the_key_changes_with_the_patterns_and_pathspecs_version(monkeypatch):
    base = paths._regexes_cache_entry(("build/**",))
    assert paths._regexes_cache_entry(("build/**", "dist/**")) != base
    assert paths._regexes_cache_entry(("build/**",)) == base
    assert paths._pathspec_version() == pathspec.__version__
    monkeypatch.setattr(paths, "_pathspec_version", lambda: "0.0.0")
    assert paths._regexes_cache_entry(("build/**",))[1] != base[1]


# -- a damaged cache only costs time ---------------------------------------------------------------

PATTERNS = ("build/**", "!build/keep.txt", "*.log", "node_modules")
QUESTIONS = ["build", "build/x", "build/keep.txt", "a/b.log", "src", "src/_", "node_modules/x", "x/node_modules"]


def _envelope(body: str, mac: str) -> str:
    return json.dumps({"body": body, "mac": mac})


def _signed(body: str):
    def plant(path: Path, key: str) -> None:
        write_signed(path, key, body)
    return plant


def _raw(text: str):
    def plant(path: Path, key: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return plant


GOOD_BODY = json.dumps({"dir_mark": "ps_d", "reversed": True,
                        "rules": [["^(?:.+/)?src(?:(?P<ps_d>/)|$)", 32, True, "src"]]})


def _body(**fields: object) -> str:
    return json.dumps({"dir_mark": "ps_d", "reversed": True, "rules": [["^a", 32, True, "a"]], **fields})


DAMAGE = {
    "bad mac": _raw(_envelope(GOOD_BODY, "0" * 64)),
    "no mac": _raw(json.dumps({"body": GOOD_BODY})),
    "not json": _raw("{not json"),
    "empty file": _raw(""),
    "body not json": _signed("{not json"),
    "body a list": _signed("[]"),
    "no dir_mark": _signed(json.dumps({"reversed": True, "rules": []})),
    "no order": _signed(json.dumps({"dir_mark": "ps_d", "rules": []})),
    "no rules": _signed(json.dumps({"dir_mark": "ps_d", "reversed": True})),
    "dir_mark not text": _signed(_body(dir_mark=1)),
    "empty dir_mark": _signed(_body(dir_mark="")),
    "order not a bool": _signed(_body(reversed=1)),
    "rules not a list": _signed(_body(rules={"a": 1})),
    "rule too short": _signed(_body(rules=[["^a", 32, True]])),
    "rule too long": _signed(_body(rules=[["^a", 32, True, "a", 1]])),
    "include not a bool": _signed(_body(rules=[["^a", 32, 1, "a"]])),
    "flags not an int": _signed(_body(rules=[["^a", True, True, "a"]])),
    "regex not text": _signed(_body(rules=[[1, 32, True, "a"]])),
    "required text not text": _signed(_body(rules=[["^a", 32, True, None]])),
}
# Well-formed but not compiling: found when the regex is first needed.
BROKEN_REGEXES = {
    "regex broken": _signed(_body(rules=[["(", 32, True, ""]])),
    "flags invalid": _signed(_body(rules=[["^a", 2**70, True, ""]])),
    "flags not re's": _signed(_body(rules=[["^a", 32 | 256, True, ""]])),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_entry_falls_back_to_pathspec(damage, tmp_path, monkeypatch):
    monkeypatch.setenv("EXECGATE_CACHE_DIR", str(tmp_path))
    path, key = paths._regexes_cache_entry(PATTERNS)
    DAMAGE[damage](path, key)
    paths.compiled.cache_clear()
    spec = paths.compiled(PATTERNS)
    assert isinstance(spec, pathspec.GitIgnoreSpec)
    expected = from_pathspec(PATTERNS)
    assert [spec.match_file(q) for q in QUESTIONS] == [expected.match_file(q) for q in QUESTIONS]
    # and the entry is written again, right
    matcher = warm(PATTERNS)
    assert [matcher.match_file(q) for q in QUESTIONS] == [expected.match_file(q) for q in QUESTIONS]


@pytest.mark.parametrize("damage", BROKEN_REGEXES)
def test_a_regex_that_does_not_compile_hands_over_to_pathspec(damage, tmp_path, monkeypatch):
    monkeypatch.setenv("EXECGATE_CACHE_DIR", str(tmp_path))
    path, key = paths._regexes_cache_entry(PATTERNS)
    BROKEN_REGEXES[damage](path, key)
    paths.compiled.cache_clear()
    matcher = paths.compiled(PATTERNS)
    assert isinstance(matcher, paths.GitIgnoreMatcher)
    expected = from_pathspec(PATTERNS)
    questions = ["build/x", *QUESTIONS]   # the first answer, given while handing over, is True
    assert [matcher.match_file(q) for q in questions] == [expected.match_file(q) for q in questions]
    assert expected.match_file("build/x")


def test_a_regex_is_compiled_only_for_a_path_holding_its_text():
    patterns = ("node_modules", "build/**", "*.pyc")
    matcher = paths.GitIgnoreMatcher.from_json(paths._regexes_json(from_pathspec(patterns)) or "", patterns)
    assert matcher is not None
    assert not matcher.match_file("src/main.py")
    assert matcher._regexes == [None, None, None]
    assert matcher.match_file("build/x")
    assert [regex is not None for regex in matcher._regexes] == [False, True, False]


@pytest.mark.parametrize(("regex", "required"), [
    ("^(?:.+/)?node_modules(?:(?P<ps_d>/)|$)", "node_modules"),
    ("^a(?:/.+)?/b(?:(?P<ps_d>/)|$)", "/b"),
    ("^(?:.+/)?[^/]*\\.egg\\-info(?:(?P<ps_d>/)|$)", ".egg-info"),
    ("^tmp/", "tmp/"),
    ("^ab|cd", ""),          # an alternation at the top: no text every match holds
    ("(?i)^abc", ""),        # case folded
    ("^(?:abc)?d", "d"),
])
def test_the_required_text_is_what_every_match_holds(regex, required):
    assert paths._required_text(re.compile(regex)) == required


def test_the_signed_shape_is_what_is_read(tmp_path, monkeypatch):
    """The damage above is refused for its shape, not for another reason: a well-formed signed body
    is taken as it stands (so it is what decides)."""
    monkeypatch.setenv("EXECGATE_CACHE_DIR", str(tmp_path))
    path, key = paths._regexes_cache_entry(PATTERNS)
    _signed(GOOD_BODY)(path, key)
    paths.compiled.cache_clear()
    planted = paths.compiled(PATTERNS)
    assert isinstance(planted, paths.GitIgnoreMatcher)
    assert planted.match_file("src") and not planted.match_file("build/x")


def test_a_cache_that_cannot_be_written_is_only_slower(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("EXECGATE_CACHE_DIR", str(blocker))
    expected = from_pathspec(PATTERNS)
    for _ in range(2):
        paths.compiled.cache_clear()
        spec = paths.compiled(PATTERNS)
        assert isinstance(spec, pathspec.GitIgnoreSpec)
        assert [spec.match_file(q) for q in QUESTIONS] == [expected.match_file(q) for q in QUESTIONS]


# -- a warm process does not import pathspec ---------------------------------------------------------

MATCH_SCRIPT = """
import json, sys
from analyzer.policy import paths
patterns, questions = json.loads(sys.argv[1]), json.loads(sys.argv[2])
answers = [paths.compiled(tuple(patterns)).match_file(q) for q in questions]
answers += [paths.compiled(tuple(patterns)).match_file(q) for q in questions]
print(json.dumps({"answers": answers, "pathspec": "pathspec" in sys.modules}))
"""


def _environment(cache: Path) -> dict[str, str]:
    env = dict(os.environ, EXECGATE_CACHE_DIR=str(cache), EXECGATE_NO_SERVER="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def test_a_warm_process_matches_without_pathspec(tmp_path):
    env = _environment(tmp_path / "cache")
    argv = [sys.executable, "-c", MATCH_SCRIPT, json.dumps(PATTERNS), json.dumps(QUESTIONS)]
    cold, warm_run = (json.loads(subprocess.run(argv, env=env, cwd=tmp_path, capture_output=True, text=True,
                                                check=True).stdout) for _ in range(2))
    expected = from_pathspec(PATTERNS)
    assert cold["answers"] == [expected.match_file(q) for q in QUESTIONS] * 2
    assert warm_run["answers"] == cold["answers"]
    assert cold["pathspec"] is True        # the check below can see pathspec when it is there
    assert warm_run["pathspec"] is False


CLI_SCRIPT = """
import sys
from analyzer.commands.main import main
code = main(["check", "--stdin", "--lang", "shell"])
sys.stderr.write("\\npathspec imported: %s\\n" % ("pathspec" in sys.modules))
sys.exit(code)
"""


@pytest.mark.parametrize(("command", "code", "verdict"), [
    ("rm -rf build/x\n", 0, "0 blocked"),   # build/** is scratch: removing it is allowed
    ("rm -rf src\n", 1, "1 blocked"),       # sources are not
])
def test_the_command_line_says_the_same_warm_without_pathspec(command, code, verdict, tmp_path):
    env = _environment(tmp_path / "cache")
    runs = [subprocess.run([sys.executable, "-c", CLI_SCRIPT], input=command, env=env, cwd=tmp_path,
                           capture_output=True, text=True) for _ in range(2)]
    cold, warm_run = runs
    assert cold.returncode == warm_run.returncode == code
    assert verdict in cold.stdout + cold.stderr
    assert cold.stdout == warm_run.stdout
    cold_err, cold_import = cold.stderr.rsplit("\npathspec imported: ", 1)
    warm_err, warm_import = warm_run.stderr.rsplit("\npathspec imported: ", 1)
    assert cold_err == warm_err
    assert (cold_import.strip(), warm_import.strip()) == ("True", "False")
