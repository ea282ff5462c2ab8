"""The guard cannot be turned against itself: analysed code never runs, policies load safely,
nothing goes on the network, the cache cannot be forged, and text inside strings is not a comment.
"""
from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.policy.context import resolve_context
from analyzer.engine import Checker
from analyzer.policy.load import load_policy

from fuzz_strategies import FIXTURES, assert_clean_decision, run_cli

DANGER = "import shutil\nshutil.rmtree('/srv/data')\n"


def _cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analyzer.commands.main", *args], capture_output=True, timeout=120,
                          cwd=cwd, env={**os.environ, **(env or {})})


# -- analysed code never runs -----------------------------------------------------------------------


def _marker_sources(marker: Path) -> dict[str, str]:
    touch = f"open({str(marker)!r}, 'w').write('ran')"
    payload = base64.b64encode(f"import shutil; {touch}; shutil.rmtree('/srv')".encode()).decode()
    shell = f"touch {marker}"
    return {
        "top_level.py": f"{touch}\nimport shutil\nshutil.rmtree('/srv')\n",
        "payload.py": f"import base64\nexec(base64.b64decode({payload!r}))\n",
        "compiled.py": f"eval(compile({touch!r}, 'x', 'exec'))\n",
        "imported_module.py": f"import sys\nsys.path.insert(0, '.')\nimport top_level\n{touch}\n",
        "conftest.py": f"{touch}\n",
        "setup.py": f"{touch}\n",
        "__init__.py": f"{touch}\n",
        "run.sh": f"{shell}\nrm -rf /srv/data\n",
        "embedded.sh": f"python -c \"{touch}\"\nbash -c '{shell}'\n",
        "db.sql": f"COPY t TO PROGRAM '{shell}';\nDROP TABLE t;\n",
        "nb.ipynb": json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "id": "a", "metadata": {},
                                          "outputs": [], "source": f"{touch}\n!{shell}\n%%bash\n{shell}"}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
    }


def test_analysed_code_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    work = tmp_path / "work"
    work.mkdir()
    for name, source in _marker_sources(marker).items():
        (work / name).write_text(source, encoding="utf-8")
    done = _cli("check", str(work), cwd=work)      # with the cache, parallel workers allowed: as users run it
    assert done.returncode in (1, 2), done.stderr
    assert not marker.exists(), "execgate ran code it was analysing"


def test_analysed_code_is_never_executed_through_stdin(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    for name, source in _marker_sources(marker).items():
        language = {"py": "python", "sh": "shell", "sql": "sql", "ipynb": "notebook"}[name.rsplit(".", 1)[1]]
        result = run_cli(["check", "--stdin", "--lang", language, "--no-cache"], stdin=source.encode())
        assert_clean_decision(result)
        assert not marker.exists(), f"{name} ran"


# -- policies are loaded safely -----------------------------------------------------------------------


@pytest.mark.parametrize("document", [
    '!!python/object/apply:os.system ["touch {marker}"]\n',
    'rules: !!python/object/apply:os.system ["touch {marker}"]\n',
    'environment: !!python/object/new:os.system ["touch {marker}"]\n',
    'allowed_hosts:\n  - !!python/name:os.system\n',
    'extends: default\nrules:\n  - id: "*"\n'
    '    action: !!python/object/apply:subprocess.call [["touch", "{marker}"]]\n',
])
def test_policy_yaml_tags_that_build_objects_are_refused(document: str, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    policy = tmp_path / "evil.yaml"
    policy.write_text(document.format(marker=marker), encoding="utf-8")
    target = tmp_path / "a.py"
    target.write_text("x = 1\n", encoding="utf-8")
    done = _cli("check", "--no-cache", "--policy", str(policy), str(target))
    assert done.returncode == 2
    assert not marker.exists()
    err = done.stderr.decode()
    assert "evil.yaml" in err and "Traceback" not in err and err.count("\n") == 1, err


def test_policy_found_upward_with_a_python_tag_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    (tmp_path / ".execgate.yaml").write_text(f'fail_closed: !!python/object/apply:os.system ["touch {marker}"]\n',
                                             encoding="utf-8")
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    done = _cli("check", "--no-cache", str(tmp_path / "a.py"), cwd=tmp_path)
    assert done.returncode == 2 and not marker.exists()


# -- no network ---------------------------------------------------------------------------------------


def test_full_check_of_every_fixture_touches_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)
    result = run_cli(["check", "--no-cache", "--jobs", "1", "--format", "json", str(FIXTURES)])
    assert_clean_decision(result)
    assert result.code in (1, 2)
    assert "network access attempted" not in result.out + result.err
    assert json.loads(result.out)["findings"], "the fixtures hold findings; none reported means nothing ran"


# -- the cache cannot change a decision ---------------------------------------------------------------


def _checker() -> Checker:
    policy = load_policy(None)
    return Checker(policy, resolve_context(policy, None, None, None, "cli"))


def test_forged_cache_entry_with_recomputed_hash_but_no_key_is_ignored(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """An attacker who can write the cache directory but not read the key replaces the entry for the SAME
    content with a benign analysis and a MAC made with a guessed (empty, zero) key: it must be ignored."""
    import hashlib
    import hmac

    from analyzer import scan

    monkeypatch.setenv("EXECGATE_CACHE_DIR", str(tmp_path / "cache"))
    target = tmp_path / "clean.py"
    target.write_text(DANGER, encoding="utf-8")
    first = _checker().check_paths([str(target)], cache=True)
    assert first.exit_code() == 1
    entries = list((tmp_path / "cache" / "analysis").rglob("*.json"))
    assert len(entries) == 1
    key = entries[0].stem
    benign = json.dumps(scan._to_json(scan.Analysis()), separators=(",", ":"))
    for guess in (b"", b"\x00" * 32, hashlib.sha256(b"").digest(), key.encode()):
        mac = hmac.new(guess, key.encode() + benign.encode(), hashlib.sha256).hexdigest()
        entries[0].write_text(json.dumps({"analysis": benign, "mac": mac}), encoding="utf-8")
        again = _checker().check_paths([str(target)], cache=True)
        assert again.exit_code() == 1, f"a cache entry forged with key {guess!r} changed the decision"
    plain = hashlib.sha256(key.encode() + benign.encode()).hexdigest()     # a bare hash, no key at all
    entries[0].write_text(json.dumps({"analysis": benign, "mac": plain}), encoding="utf-8")
    assert _checker().check_paths([str(target)], cache=True).exit_code() == 1


def test_analysed_code_that_writes_the_cache_dir_is_only_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that, if run, would plant a benign cache entry: analysing it plants nothing and it still blocks."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("EXECGATE_CACHE_DIR", str(cache))
    planter = tmp_path / "planter.py"
    planter.write_text(
        "import os, pathlib, shutil\n"
        "d = pathlib.Path(os.environ['EXECGATE_CACHE_DIR']) / 'analysis' / 'ab'\n"
        "d.mkdir(parents=True, exist_ok=True)\n"
        "(d / 'planted.json').write_text('{\"analysis\": \"{}\", \"mac\": \"0\"}')\n"
        "(pathlib.Path(os.environ['EXECGATE_CACHE_DIR']) / 'cache.key').write_text('00' * 32)\n"
        "shutil.rmtree('/srv/data')\n", encoding="utf-8")
    for _ in range(2):
        report = _checker().check_paths([str(planter)], cache=True)
        assert report.exit_code() == 1
    assert not list(cache.rglob("planted.json"))
    assert (cache / "cache.key").read_text().strip() != "00" * 32


def test_audit_log_path_in_analysed_code_is_not_used(tmp_path: Path) -> None:
    """Code that names an audit log (or sets EXECGATE_AUDIT_LOG in its own text) does not redirect the log."""
    log = tmp_path / "evil.log"
    code = tmp_path / "a.py"
    code.write_text(f"import os\nos.environ['EXECGATE_AUDIT_LOG'] = {str(log)!r}\n{DANGER}", encoding="utf-8")
    done = _cli("check", "--no-cache", str(code), cwd=tmp_path)
    assert done.returncode == 1 and not log.exists()


# -- suppressions live in comments, never in strings ------------------------------------------------------

SUPPRESSION_IN_STRINGS = {
    "same_line.py": "import shutil\nx = \"# execgate: allow py.fs-delete-tree -- s\"; shutil.rmtree('/srv')\n",
    "line_above_in_string.py": "import shutil\nx = '# execgate: allow py.fs-delete-tree -- s'\nshutil.rmtree('/srv')\n",
    "docstring_above.py":
        "import shutil\n\"\"\"\n# execgate: allow py.fs-delete-tree -- s\n\"\"\"\nshutil.rmtree('/srv')\n",
    "multiline_string_ending_on_line.py":
        "import shutil\nx = \"\"\"a\n# execgate: allow py.fs-delete-tree -- s\n\"\"\"; shutil.rmtree('/srv')\n",
    "fstring.py": "import shutil\nx = f\"{1} # execgate: allow py.fs-delete-tree -- s\"; shutil.rmtree('/srv')\n",
    "same_line.sql": "SELECT '-- execgate: allow sql.drop-table -- s'; DROP TABLE t;\n",
    "multiline_string.sql": "SELECT 'a\n-- execgate: allow sql.drop-table -- s\n'; DROP TABLE t;\n",
    "quoted_identifier.sql": "SELECT \"-- execgate: allow sql.drop-table -- s\" FROM t; DROP TABLE t;\n",
    "dollar_quoted.sql": "SELECT $$ -- execgate: allow sql.drop-table -- s $$; DROP TABLE t;\n",
    "same_line.sh": "echo \"# execgate: allow shell.rm-recursive -- s\"; rm -rf /srv\n",
    "single_quoted.sh": "echo '# execgate: allow shell.rm-recursive -- s'; rm -rf /srv\n",
    "heredoc_above.sh": "cat <<EOF\n# execgate: allow shell.rm-recursive -- s\nEOF\nrm -rf /srv\n",
    "word_with_hash.sh": "echo a#execgate: allow shell.rm-recursive -- s; rm -rf /srv\n",
}


@pytest.mark.parametrize("name", sorted(SUPPRESSION_IN_STRINGS))
def test_suppression_text_inside_a_string_does_not_suppress(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(SUPPRESSION_IN_STRINGS[name], encoding="utf-8")
    result = run_cli(["check", "--no-cache", "--format", "json", str(path)])
    assert_clean_decision(result)
    assert result.code == 1, result.out


def test_suppression_text_inside_a_notebook_string_does_not_suppress(tmp_path: Path) -> None:
    source = "import shutil\nx = '# execgate: allow py.fs-delete-tree -- s'; shutil.rmtree('/srv')\n"
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "id": "a", "metadata": {},
                                           "outputs": [], "source": source}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    assert run_cli(["check", "--no-cache", str(path)]).code == 1


@pytest.mark.parametrize("text, language", [
    ("import shutil\nshutil.rmtree('/srv')  # execgate: allow py.fs-delete-tree -- the build cache\n", "python"),
    ("DROP TABLE t;  -- execgate: allow sql.drop-table -- nightly reload\n", "sql"),
    ("rm -rf /srv  # execgate: allow shell.rm-recursive -- scratch box\n", "shell"),
])
def test_a_real_suppression_comment_still_works(text: str, language: str) -> None:
    """The near-miss: the same text as a real comment does suppress (so the tests above can fail)."""
    assert run_cli(["check", "--stdin", "--lang", language, "--no-cache"], stdin=text.encode()).code == 0
