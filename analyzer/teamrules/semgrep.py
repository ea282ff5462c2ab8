"""Running the policy's team rules: semgrep over the checked files, offline, its results as Operations.

:func:`apply_team_rules` is what a check calls: it reads the rule files
(:mod:`analyzer.teamrules.rules`), runs semgrep once and adds the operations to
each file's analysis, dropping those a built-in rule of their family already reported.

semgrep is a separate program (it pins narrow versions of click and others, so it
lives in its own environment): ``EXECGATE_SEMGREP`` names the binary, else ``semgrep``
on PATH. Each run is offline and leaves the user's home alone: ``--metrics=off
--disable-version-check`` plus ``SEMGREP_ENABLE_VERSION_CHECK=0`` (without it an
offline run waits ~97 s on the version check), no ``SEMGREP_*`` variable of the
caller (no app token: nothing to log in with), HOME, XDG folders and TMPDIR in a
temporary folder removed afterwards, and ``--config`` only the local rule files.

Files semgrep can read by their name are given as they are, so a rule's own
``paths:`` filters see the real path. Notebooks become one Python (or shell, SQL)
file in the temporary folder, cells in file order, each through IPython's input
transformation like the notebook front end (``!cmd`` is
``get_ipython().system('cmd')``), with a map from each line back to (cell,
line in the cell); scripts known by a shebang or an extension semgrep does not
know (``.pyw``, ``.zsh``) are copied there with one it does.
"""
from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import frontends
from ..model import Analysis, AnalysisError, Location, Operation, make_details
from ..records import Record
from ..sourcefile import MAX_FILE_BYTES
from .rules import TeamRule, TeamRuleError, catalogue_entries, load_team_rules

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..policy.rules import Policy

ENV_BINARY = "EXECGATE_SEMGREP"
DEFAULT_TIMEOUT = 300.0     # seconds for the whole semgrep run (policy key semgrep.timeout)
FILE_TIMEOUT = 30           # semgrep's own limit per rule and file
# Extensions semgrep reads as the language execgate reads them; SQL has no semgrep parser
# (only ``generic``/``regex`` rules match it), so SQL files are given as they are.
NATIVE = {"python": (".py", ".pyi"), "shell": (".sh", ".bash"), "sql": None}
STAGED_SUFFIX = {"python": ".py", "shell": ".sh", "sql": ".sql"}
# Target problems the front ends already report (a syntax error fails the file closed there).
_PARSE_ERRORS = ("syntax", "parse", "parsing", "lexical")


class SemgrepUnavailable(Exception):
    """No usable semgrep binary; the message says what to do."""


class Place(Record, frozen=True):
    """Where a line of a staged file is in the real one."""

    line: int
    text: str
    cell: int | None = None
    cell_id: str | None = None
    file_line: int | None = None


class Target(Record):
    path: str                       # the path execgate reports
    scan: str                       # the path semgrep is given
    language: str
    places: list[Place] | None = None   # staged files: line k of ``scan`` is places[k - 1]

    def place(self, line: int) -> Place:
        if self.places is not None:
            return self.places[min(max(line, 1), len(self.places)) - 1] if self.places else Place(line, "")
        return Place(line, _line_of(self.path, line))


def apply_team_rules(policy: Policy, catalogue: Catalogue, files: list[str], analyses: list[Analysis],
                     jobs: int = 0) -> tuple[Catalogue, list[AnalysisError]]:
    """Run the policy's team rules over ``files`` and add their operations to each file's analysis.

    Returns the catalogue with the team rules (so suppressions and reporters can name them)
    and the errors: semgrep missing, a bad rule file, a crash or a timeout is one error
    (the run then fails closed under ``fail_closed``), never a silent pass."""
    try:
        teams = load_team_rules(policy.semgrep_rules, catalogue)
    except TeamRuleError as exc:
        return catalogue, [_rule_file_error(str(exc))]
    catalogue = catalogue.with_rules(catalogue_entries(teams))
    if not teams or not files:
        return catalogue, []
    timeout = (policy.raw.get("semgrep") or {}).get("timeout") if isinstance(policy.raw, dict) else None
    operations, errors = run_semgrep(teams, files, timeout=timeout, jobs=jobs)
    index = {path: i for i, path in enumerate(files)}
    for path, ops in operations.items():
        analysis = analyses[index[path]]
        analysis.operations.extend(dedupe(ops, analysis.operations, teams))
    return catalogue, errors


def _rule_file_error(text: str) -> AnalysisError:
    """``file:line: message`` as an error on the rule file, saying what it means for the run."""
    match = re.match(r"^(.+?):(\d+): (.*)$", text) or re.match(r"^(.+?)(): (.*)$", text)
    path, line, message = match.groups() if match else ("semgrep", "", text)
    return AnalysisError(path, f"team rules not applied: {message}", int(line) if line else None)


def dedupe(team_ops: list[Operation], builtin_ops: list[Operation], teams: list[TeamRule]) -> list[Operation]:
    """Team operations without those a built-in rule of their family already reported on the same line."""
    families: dict[str, set[str]] = {}
    for team in teams:
        families.setdefault(team.rule.id, set()).update(team.family)
    here: dict[tuple, list[str]] = {}
    for op in builtin_ops:
        here.setdefault(_line_key(op), []).append(op.rule)
    kept = []
    for op in team_ops:
        patterns = families.get(op.rule, set())
        if any(fnmatch.fnmatchcase(rule, pattern) for rule in here.get(_line_key(op), ()) for pattern in patterns):
            continue
        kept.append(op)
    return kept


def _line_key(op: Operation) -> tuple:
    return op.location.path, op.location.cell, op.location.line


def find_semgrep() -> str:
    """``EXECGATE_SEMGREP``, else ``semgrep`` on PATH."""
    named = os.environ.get(ENV_BINARY)
    if named:
        if os.path.isfile(named) and os.access(named, os.X_OK):
            return named
        raise SemgrepUnavailable(f"{ENV_BINARY}={named} is not an executable file")
    found = shutil.which("semgrep")
    if found:
        return found
    raise SemgrepUnavailable(f"semgrep is not installed: install it in its own environment "
                             f"(hooks/install-semgrep.sh) and set {ENV_BINARY} or put it on PATH")


def run_semgrep(teams: list[TeamRule], files: list[str], timeout: float | None = None,
                jobs: int = 0) -> tuple[dict[str, list[Operation]], list[AnalysisError]]:
    """Operations per execgate path, and errors (at most one for the run as a whole)."""
    try:
        binary = find_semgrep()
    except SemgrepUnavailable as exc:
        return {}, [AnalysisError("semgrep", f"team rules not applied: {exc}")]
    timeout = float(timeout or DEFAULT_TIMEOUT)
    with tempfile.TemporaryDirectory(prefix="execgate-semgrep-") as work:
        targets = stage(files, Path(work))
        if not targets:
            return {}, []
        rule_files = list(dict.fromkeys(team.file for team in teams))
        command = [binary, "scan", "--json", "--metrics=off", "--disable-version-check", "--quiet",
                   "--no-git-ignore", "--no-rewrite-rule-ids", f"--timeout={min(FILE_TIMEOUT, max(1, int(timeout)))}",
                   f"--jobs={_jobs(jobs)}", f"--max-target-bytes={MAX_FILE_BYTES}"]
        for rule_file in rule_files:
            command += ["--config", rule_file]
        command += [_argument(t.scan) for t in targets]
        code, out, err = _execute(command, _environment(Path(work)), timeout)
        if code is None:
            return {}, [AnalysisError("semgrep", f"team rules not applied: semgrep did not finish within "
                                                 f"{timeout:g} s (policy key semgrep.timeout)")]
        if code < 0 and out is None:
            return {}, [AnalysisError("semgrep", f"team rules not applied: cannot run {binary}: {err}")]
        try:
            data = json.loads(out or "")
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            return {}, [AnalysisError("semgrep", f"team rules not applied: semgrep failed (exit {code}): "
                                                 f"{_last_line(err) or 'no output'}")]
        by_scan = {_key(t.scan): t for t in targets}
        errors = _errors(data.get("errors") or [], by_scan, teams, code)
        return _operations(data.get("results") or [], by_scan, teams), errors


# -- targets --------------------------------------------------------------------------------------


def stage(files: list[str], work: Path) -> list[Target]:
    """What semgrep is given for each file (staged copies and notebook conversions under ``work``)."""
    targets = []
    for path in files:
        try:
            with open(path, "rb") as handle:
                head = handle.read(128).decode("utf-8", "replace")
        except OSError:
            continue   # the front end reports unreadable files
        language = frontends.language_for_path(path, head)
        if language is None:
            continue
        if language == "notebook":
            target = _stage_notebook(path, work)
            if target is not None:
                targets.append(target)
            continue
        native = NATIVE.get(language)
        if native is None or Path(path).suffix.lower() in native:
            targets.append(Target(path, path, language))
            continue
        scan = _staged_path(work, path, STAGED_SUFFIX[language])
        try:
            shutil.copyfile(path, scan)
        except OSError:
            continue
        targets.append(Target(path, str(scan), language))
    return targets


def _stage_notebook(path: str, work: Path) -> Target | None:
    from ..frontends.notebook.cells import kernel_language, knowledge, leading_blank_lines, to_python
    from ..frontends.notebook.read import NotebookError, read

    k = knowledge()
    try:
        with open(path, "rb") as handle:
            notebook = read(handle.read(MAX_FILE_BYTES + 1).decode("utf-8", "replace"), k.max_cells)
    except (OSError, NotebookError):
        return None   # the notebook front end reports it
    language, _kernel, _dialect = kernel_language(notebook.metadata, k)
    if language not in STAGED_SUFFIX:
        return None   # a kernel execgate does not read: the front end reports it
    lines: list[str] = []
    places: list[Place] = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        code, skipped = leading_blank_lines(cell.source)
        original = code.split("\n")
        text = code
        if language == "python":
            try:
                text = to_python(code, k.transform_budget)
            except Exception:  # noqa: BLE001 - the front end reports cells IPython cannot transform
                text = code
        for offset, line in enumerate(text.rstrip("\n").split("\n")):
            number = skipped + min(offset, len(original) - 1) + 1
            lines.append(line)
            places.append(Place(number, original[min(offset, len(original) - 1)].strip(), cell.index, cell.cell_id,
                                None if cell.file_line is None else cell.file_line + number - 1))
    if not lines:
        return None
    scan = _staged_path(work, path, STAGED_SUFFIX[language])
    scan.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="replace")
    return Target(path, str(scan), language, places)


def _staged_path(work: Path, path: str, suffix: str) -> Path:
    """Under ``work``, the file's own relative path plus ``suffix``, so rules' ``paths:`` filters still apply."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    if relative.startswith(".."):
        relative = absolute.lstrip(os.sep)
    staged = work / "targets" / (relative + suffix)
    staged.parent.mkdir(parents=True, exist_ok=True)
    return staged


def _argument(path: str) -> str:
    return "./" + path if path.startswith("-") else path


def _key(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def _line_of(path: str, line: int) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, 1):
                if number == line:
                    return text.strip()
    except OSError:
        pass
    return ""


# -- running --------------------------------------------------------------------------------------


def _environment(work: Path) -> dict[str, str]:
    """The caller's environment without its SEMGREP_* settings, offline, with home in ``work``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEMGREP_")}
    home = work / "home"
    for folder in ("config", "cache", "data", "tmp"):
        (home / folder).mkdir(parents=True, exist_ok=True)
    env.update(SEMGREP_ENABLE_VERSION_CHECK="0", SEMGREP_SEND_METRICS="off", HOME=str(home),
               XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_DATA_HOME=str(home / "data"), TMPDIR=str(home / "tmp"), PYTHONIOENCODING="utf-8")
    return env


def _jobs(jobs: int) -> int:
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(jobs, available) if jobs > 0 else available)


def _execute(command: list[str], env: dict[str, str], timeout: float) -> tuple[int | None, str | None, str]:
    """(exit code, stdout, stderr); (None, None, "") on timeout; (-1, None, reason) when it cannot start.

    semgrep starts semgrep-core: both run in their own process group, killed whole on timeout."""
    try:
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        return -1, None, exc.strerror or str(exc)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass
        process.communicate()
        return None, None, ""
    return process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


# -- results --------------------------------------------------------------------------------------


def _operations(results: list[dict[str, Any]], by_scan: dict[str, Target],
                teams: list[TeamRule]) -> dict[str, list[Operation]]:
    by_id: dict[str, list[TeamRule]] = {}
    for team in teams:
        by_id.setdefault(team.semgrep_id, []).append(team)
    operations: dict[str, list[Operation]] = {}
    for result in results:
        target = by_scan.get(_key(str(result.get("path", ""))))
        candidates = by_id.get(str(result.get("check_id", "")))
        if target is None or not candidates:
            continue
        extra = result.get("extra") or {}
        named = (extra.get("metadata") or {}).get("execgate-id")
        team = next((t for t in candidates if t.rule.id == named), candidates[0])
        start = result.get("start") or {}
        line = int(start.get("line") or 1)
        place = target.place(line)
        column = int(start.get("col") or 1) if target.places is None else 1
        location = Location(target.path, place.line, column, place.cell, place.cell_id, place.file_line)
        message = " ".join(str(extra.get("message") or team.rule.message).split())
        operations.setdefault(target.path, []).append(Operation(
            rule=team.rule.id, category=team.rule.category, severity=team.rule.severity, language=target.language,
            location=location, message=message, targets=team.targets, verb=team.verb, evidence=place.text,
            details=make_details(semgrep=team.semgrep_id)))
    return operations


def _errors(errors: list[dict[str, Any]], by_scan: dict[str, Target], teams: list[TeamRule],
            code: int) -> list[AnalysisError]:
    """One error for rule problems (the team rules did not run), one per file semgrep gave up on."""
    rule_problems: list[AnalysisError] = []
    result: list[AnalysisError] = []
    for error in errors:
        kind = json.dumps(error.get("type", "")).lower()
        message = " ".join(str(error.get("message") or error.get("long_msg") or error.get("short_msg") or kind).split())
        target = by_scan.get(_key(str(error["path"]))) if error.get("path") else None
        if target is not None:
            if not any(word in kind for word in _PARSE_ERRORS):
                result.append(AnalysisError(target.path, f"team rules not applied to this file: semgrep: "
                                                         f"{_cut(message)}"))
            continue
        if error.get("level") != "error":
            continue
        rule_problems.append(_rule_problem(error, message, teams))
    if rule_problems:
        first = rule_problems[0]
        more = f" (and {len(rule_problems) - 1} more)" if len(rule_problems) > 1 else ""
        rule_problems = [AnalysisError(first.path, f"team rules not applied: semgrep: {_cut(first.message)}{more}",
                                       first.line)]
    elif code not in (0, 1) and not result:
        rule_problems = [AnalysisError("semgrep", f"team rules not applied: semgrep exited {code}")]
    return rule_problems + result


def _rule_problem(error: dict[str, Any], message: str, teams: list[TeamRule]) -> AnalysisError:
    """The rule file (and line) a semgrep error is about, when it says."""
    spans = error.get("spans") or []
    if spans and isinstance(spans[0], dict) and spans[0].get("file"):
        line = (spans[0].get("start") or {}).get("line")
        return AnalysisError(str(spans[0]["file"]), message, int(line) if line else None)
    rule_id = error.get("rule_id")
    for team in teams:
        if rule_id and team.semgrep_id == rule_id:
            return AnalysisError(team.file, message)
    for file in dict.fromkeys(team.file for team in teams):
        if file in message or Path(file).name in message:
            return AnalysisError(file, message)
    return AnalysisError("semgrep", message)


def _cut(text: str, limit: int = 240) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit - 3] + "..."
