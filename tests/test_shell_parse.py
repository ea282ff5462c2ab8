"""Valid bash that tree-sitter-bash 0.25 misreads parses clean (frontends/shell/parse.py rewrites
it to a reading of the same length); each has a near miss that is a real syntax error and is still
reported. Fixtures: tests/fixtures/shell/parse/, copies of what harmless shipped scripts write."""
from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.frontends import Options, analyze
from analyzer.frontends.shell.parse import encode, first_bad, parse
from analyzer.model import Analysis, Location

FIXTURES = Path(__file__).parent / "fixtures" / "shell" / "parse"
VALID = ["heredoc_then_or.sh", "heredoc_then_pipe.sh", "negated_assignments.sh", "eval_built_function.sh",
         "test_operator_in_variable.sh"]


def run(text: str, path: str = "t.sh") -> Analysis:
    return analyze("shell", text, Location(path), Options())


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", VALID)
def test_valid_bash_parses_without_an_error(name: str) -> None:
    assert run(_fixture(name), name).errors == []


@pytest.mark.parametrize("text", [
    "cat >f <<EOF ||\nhi\nEOF\ndie x\n",
    "cat >f <<-'EOF' &&\n\thi\n\tEOF\necho ok\n",
    "if ! IFS=$'\\n' A=($(ls)); then :; fi\n",
    '[ "$OP" "$L" ] || continue\n',
    "[ $OP /srv ]\n",
])
def test_the_tree_has_no_error(text: str) -> None:
    tree, _ = parse(encode(text))
    assert first_bad(tree.root_node) is None


@pytest.mark.parametrize("text", [
    "cat >f <<EOF ||\nhi\n",                       # no terminator: the heredoc never ends
    "cat >f <<EOF || ||\nhi\nEOF\ndie x\n",          # two operators
    "if ! A=1 B=(x; then :; fi\n",                  # unclosed array
    '[ "$OP" "$L" || continue\n',                   # unclosed test
    "eval 'f () {'\n",                              # constant eval text that does not parse
])
def test_near_misses_are_still_syntax_errors(text: str) -> None:
    analysis = run(text)
    assert [e.message for e in analysis.errors if "syntax error" in e.message]


def test_rewrites_keep_lines_and_columns() -> None:
    text = _fixture("heredoc_then_or.sh")
    _, source = parse(encode(text))
    assert len(source) == len(encode(text)) and source.count(b"\n") == text.count("\n")


def test_the_command_after_a_continued_heredoc_is_read_and_its_body_is_not() -> None:
    ops = run(_fixture("heredoc_then_or.sh")).operations
    removals = [(op.location.line, op.targets) for op in ops if op.rule == "shell.rm-recursive"]
    assert removals == [(23, ("/srv/cache",))]   # not the note's text on line 16


def test_a_heredoc_piped_on_the_next_line_feeds_the_command_after_its_terminator() -> None:
    analysis = run(_fixture("heredoc_then_pipe.sh"))
    assert analysis.errors == []
    # sh runs the first body; grep and jq only read theirs
    assert [(op.rule, op.location.line, op.targets) for op in analysis.operations] == \
        [("shell.rm-recursive", 6, ("/srv/data",))]


def test_a_negated_assignment_still_reads_its_command_substitutions() -> None:
    text = "if ! A=1 B=($(rm -rf /srv/data)); then :; fi\n"
    assert "shell.rm-recursive" in [op.rule for op in run(text).operations]


def test_eval_of_built_code_that_does_not_parse_is_evasion_not_a_syntax_error() -> None:
    analysis = run(_fixture("eval_built_function.sh"))
    assert analysis.errors == []
    assert "shell.evasion-eval" in [op.rule for op in analysis.operations]


def test_eval_of_built_code_that_parses_is_read_as_code() -> None:
    analysis = run('d=/srv/data\neval "rm -rf \\"$d\\""\n')
    assert [(op.rule, op.targets) for op in analysis.operations] == [("shell.rm-recursive", ("/srv/data",))]


def test_zsh_is_reported_as_zsh_not_as_a_broken_bash_script() -> None:
    analysis = run(_fixture("zsh_completion.sh"), "aws_zsh_completer.sh")
    assert len(analysis.errors) == 1   # fail closed: unread code never passes silently
    message = analysis.errors[0].message
    assert "zsh" in message and "syntax error" not in message


@pytest.mark.parametrize("text,path", [
    ("#!/bin/zsh\nx=${(j. .)words}\n", "t"),
    ("#compdef aws\nx=${(f)\"$(ls)\"}\n", "_aws"),
    ("x=${(j. .)words}\n", "t.zsh"),
])
def test_zsh_is_known_by_its_shebang_compdef_name_or_syntax(text: str, path: str) -> None:
    assert ["zsh" in e.message for e in run(text, path).errors] == [True]


def test_a_bash_syntax_error_is_not_called_zsh() -> None:
    assert ["zsh" in e.message for e in run("echo zsh ${\nls\n").errors] == [False]
