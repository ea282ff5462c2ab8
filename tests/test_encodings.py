"""Files as editors really save them: BOMs, UTF-16, coding cookies, CR/CRLF/mixed newlines, NULs,
invalid UTF-8 and Unicode characters that some line splitters treat as newlines.

Each file is either decoded the way Python (and editors) would, with the
destructive operation found at the right line, or refused with exit 2 and one
line that names the file. Never a silent pass, never a wrong line (a wrong
line moves suppressions and baselines onto other code).
"""
from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz_strategies import HARMLESS, assert_clean_decision, budget, run_cli

DANGER = {"python": ("import shutil\nshutil.rmtree('/srv')\n", "py.fs-delete-tree", ".py"),
          "sql": ("SELECT 1;\nDROP TABLE t;\n", "sql.drop-table", ".sql"),
          "shell": ("echo start\nrm -rf /srv\n", "shell.rm-recursive", ".sh")}
HEADER = {"python": "# é ünïcode\n\n", "sql": "-- é ünïcode\n\n", "shell": "# é ünïcode\n\n"}


def check(path: Path) -> tuple[int, dict]:
    result = run_cli(["check", "--no-cache", "--format", "json", str(path)])
    assert_clean_decision(result)
    return result.code, json.loads(result.out)


def found_at(report: dict, rule: str) -> list[int]:
    return [f["line"] for f in report["findings"] if f["rule"] == rule]


def assert_refused_clearly(code: int, report: dict, path: Path) -> None:
    assert code == 2, report
    assert report["errors"], report
    for error in report["errors"]:
        assert Path(error["path"]).name == path.name
        assert error["message"] and "\n" not in error["message"]
        assert "internal error" not in error["message"]


ENCODED = {
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le-bom": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda text: text.replace("\n", "\r").encode("utf-8"),
    "utf-8-bom-crlf": lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"),
    "utf-16-le-bom-crlf": lambda text: codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"),
}


@pytest.mark.parametrize("language", sorted(DANGER))
@pytest.mark.parametrize("encoding", sorted(ENCODED))
def test_decoded_as_editors_do_with_the_right_line(language: str, encoding: str, tmp_path: Path) -> None:
    snippet, rule, suffix = DANGER[language]
    path = tmp_path / f"x{suffix}"
    path.write_bytes(ENCODED[encoding](HEADER[language] + snippet))
    code, report = check(path)
    assert code == 1 and found_at(report, rule) == [4], report


def test_latin1_with_coding_cookie(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes("#!/usr/bin/env python\n# -*- coding: latin-1 -*-\nname = 'café'\nimport shutil\n"
                     "shutil.rmtree('/srv')\n".encode("latin-1"))
    code, report = check(path)
    assert code == 1 and found_at(report, "py.fs-delete-tree") == [5], report


@pytest.mark.parametrize("name, data", [
    ("latin_no_cookie.py", "x = 'café'\nimport shutil\nshutil.rmtree('/srv')\n".encode("latin-1")),
    ("latin.sql", "SELECT 'café';\nDROP TABLE t;\n".encode("latin-1")),
    ("latin.sh", "echo 'café'\nrm -rf /srv\n".encode("latin-1")),
    ("unknown_cookie.py", b"# -*- coding: nosuch -*-\nimport shutil\nshutil.rmtree('/srv')\n"),
    ("bom_and_latin_cookie.py", codecs.BOM_UTF8 + b"# coding: latin-1\nimport shutil\nshutil.rmtree('/srv')\n"),
    ("utf16_without_bom.py", "import shutil\nshutil.rmtree('/srv')\n".encode("utf-16-le")),
    ("utf32.sql", "DROP TABLE t;\n".encode("utf-32")),
    ("nul_first.py", b"\x00import shutil\nshutil.rmtree('/srv')\n"),
    ("nul_middle.sql", b"SELECT 1;\n" * 2000 + b"SELECT '\x00';\n" + b"SELECT 1;\n" * 2000 + b"DROP TABLE t;\n"),
    ("nul_string.sh", b"echo '\x00'\nrm -rf /srv\n"),
    ("truncated_utf8.py", b"import shutil\nshutil.rmtree('/srv')\n# \xe2\x82"),
    ("bad_utf16.sql", codecs.BOM_UTF16_LE + "DROP TABLE t;\n".encode("utf-16-le") + b"\x00\xd8"),
])
def test_undecodable_files_are_refused_in_one_line(name: str, data: bytes, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    code, report = check(path)
    assert_refused_clearly(code, report, path)


@pytest.mark.parametrize("character", ["\u2028", "\u2029", "\x0c", "\x0b", "\x85", "\x1c", "\x1d", "\x1e"],
                         ids=["LS", "PS", "FF", "VT", "NEL", "FS", "GS", "RS"])
@pytest.mark.parametrize("language", sorted(DANGER))
def test_characters_that_splitlines_breaks_on_do_not_move_lines(language: str, character: str,
                                                                 tmp_path: Path) -> None:
    """str.splitlines() splits on these but Python, SQL and shell do not: line numbers must not shift."""
    snippet, rule, suffix = DANGER[language]
    marker = "#" if language != "sql" else "--"
    quoted = {"python": f"x = 'a{character}b'\n", "sql": f"SELECT 'a{character}b';\n",
              "shell": f"echo 'a{character}b'\n"}[language]
    path = tmp_path / f"x{suffix}"
    path.write_text(f"{marker} a{character}b\n{quoted}{snippet}", encoding="utf-8", newline="")
    code, report = check(path)
    assert code == 1 and found_at(report, rule) == [4], report


def _notebook(source: str) -> str:
    cell = {"cell_type": "code", "execution_count": None, "id": "a", "metadata": {}, "outputs": [],
            "source": source.splitlines(keepends=True)}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1,
                      ensure_ascii=False)


@pytest.mark.parametrize("how", ["utf-8", "bom", "crlf"])
def test_notebook_encodings_decoded(how: str, tmp_path: Path) -> None:
    text = _notebook("x = 'é\u2028'\nimport shutil\nshutil.rmtree('/srv')\n")
    data = {"utf-8": text.encode(), "bom": codecs.BOM_UTF8 + text.encode(),
            "crlf": text.replace("\n", "\r\n").encode()}[how]
    path = tmp_path / "n.ipynb"
    path.write_bytes(data)
    code, report = check(path)
    assert code == 1 and found_at(report, "py.fs-delete-tree") == [3], report


def test_utf16_notebook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "n.ipynb"
    path.write_bytes(_notebook("import shutil\nshutil.rmtree('/srv')\n").encode("utf-16"))
    code, report = check(path)
    assert_refused_clearly(code, report, path)


def test_latin1_notebook_is_refused_saying_so(tmp_path: Path) -> None:
    """A notebook is UTF-8 JSON; one that is not says so (not 'cannot parse: UnicodeEncodeError')."""
    path = tmp_path / "n.ipynb"
    path.write_bytes(_notebook("name = 'café'\nimport shutil\nshutil.rmtree('/srv')\n").encode("latin-1"))
    code, report = check(path)
    assert_refused_clearly(code, report, path)
    message = " ".join(e["message"] for e in report["errors"]).lower()
    assert "utf-8" in message or "utf8" in message or "encoding" in message, report


def test_stdin_bom_and_invalid_utf8() -> None:
    ok = run_cli(["check", "--stdin", "--lang", "python", "--no-cache"],
                 stdin=codecs.BOM_UTF8 + b"import shutil\nshutil.rmtree('/srv')\n")
    assert ok.code == 1
    bad = run_cli(["check", "--stdin", "--lang", "sql", "--no-cache"], stdin=b"SELECT '\xff';\nDROP TABLE t;\n")
    assert_clean_decision(bad)
    assert bad.code == 2 and "UTF-8" in bad.err and bad.err.count("\n") == 1, bad.err


_NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])


@pytest.mark.parametrize("language", sorted(DANGER))
@budget(30)
@given(data=st.data())
def test_mixed_newlines_keep_line_numbers(language: str, data: st.DataObject, tmp_path_factory) -> None:
    """Harmless lines before the operation, each ended by \\n, \\r\\n or \\r at random: the line is right."""
    # Blank lines are left out: a "\r" ending one line and an empty "\n" line after it make one CRLF.
    fillers = [line for line in HARMLESS[language] if line.count("\n") == 1 and line.strip()]
    before = data.draw(st.lists(st.sampled_from(fillers), max_size=8))
    snippet, rule, suffix = DANGER[language]
    lines = "".join(before).splitlines() + snippet.splitlines()
    text = "".join(line + data.draw(_NEWLINES) for line in lines)
    path = tmp_path_factory.mktemp("nl") / f"x{suffix}"
    path.write_bytes(text.encode("utf-8"))
    code, report = check(path)
    assert code == 1 and found_at(report, rule) == [len(lines)], (text, report)
