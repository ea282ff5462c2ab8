"""The run: find files, hand them to front ends, apply suppressions and the policy.

Analysis code never prints; the engine returns a :class:`Report` that the
reporters turn into text and the gates into exit codes and refusals.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from . import frontends, suppress
from .catalogue import Catalogue, load_catalogue
from .frontends import Options
from .model import Analysis, AnalysisError, Context, Finding, Location, Operation, Report, Touch
from .policy.rules import Policy, with_kind
from .records import replace
from .sourcefile import MAX_FILE_BYTES, MAX_NOTEBOOK_BYTES, SourceError, decode

if TYPE_CHECKING:
    import pathspec

SKIPPED_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
                ".mypy_cache", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints", "site-packages"}


def iter_files(paths: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """Yield (path, error) for every analysable file below ``paths``, honouring .gitignore files."""
    import pathspec

    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            yield raw, "no such file or directory"
            continue
        if not path.is_dir():
            yield raw, None
            continue
        seen: set[tuple[int, int]] = set()
        ignores: list[tuple[Path, pathspec.PathSpec]] = []
        for directory, dirnames, filenames in os.walk(path, followlinks=False, onerror=None):
            folder = Path(directory)
            try:
                identity = folder.stat()
            except OSError:
                continue
            if (identity.st_dev, identity.st_ino) in seen:
                dirnames[:] = []
                continue
            seen.add((identity.st_dev, identity.st_ino))
            gitignore = folder / ".gitignore"
            if gitignore.is_file():
                try:
                    lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
                    ignores.append((folder, pathspec.PathSpec.from_lines("gitwildmatch", lines)))
                except OSError:
                    pass

            dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.endswith(".egg-info")
                                 and not (folder / d).is_symlink() and not is_ignored(folder / d, True, ignores))
            for name in sorted(filenames):
                candidate = folder / name
                if candidate.is_symlink() or is_ignored(candidate, False, ignores):
                    continue
                try:
                    if not stat.S_ISREG(candidate.stat().st_mode):
                        continue   # pipes, sockets, devices in a tree are not source files
                except OSError:
                    yield str(candidate), "vanished or unreadable while scanning"
                    continue
                if frontends.language_for_path(name) is not None:
                    yield str(candidate), None
                elif "." not in name:
                    head = file_head(candidate)
                    if frontends.language_for_path(name, head):
                        yield str(candidate), None


def is_ignored(candidate: Path, is_dir: bool, ignores: list[tuple[Path, pathspec.PathSpec]]) -> bool:
    """Whether a .gitignore of a folder above ``candidate`` ignores it."""
    for base, spec in ignores:
        try:
            rel = candidate.relative_to(base).as_posix()
        except ValueError:
            continue
        if spec.match_file(rel + ("/" if is_dir else "")):
            return True
    return False


def file_head(path: str | Path) -> str:
    """The first bytes of a file as text, for shebang detection ("" when unreadable)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(128).decode("utf-8", "replace")
    except OSError:
        return ""


class Checker:
    """Analyses sources and decides their operations under one policy and context."""

    def __init__(self, policy: Policy, context: Context, options: Options | None = None,
                 catalogue: Catalogue | None = None, baseline=None) -> None:
        self.policy = policy
        self.context = context
        self.options = options or Options(dialect=policy.dialect)
        self.catalogue = catalogue or load_catalogue()
        self.baseline = baseline

    # -- analysis ------------------------------------------------------------------

    def analyze_file(self, path: str, language: str | None = None) -> Analysis:
        """Analyse one file; any failure is an error for that file only (the run goes on, failing closed)."""
        try:
            return self._analyze_file(path, language)
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            return _error(path, f"internal error: {type(exc).__name__}: {exc}")

    def _analyze_file(self, path: str, language: str | None = None) -> Analysis:
        try:
            limit = MAX_NOTEBOOK_BYTES if path.lower().endswith(".ipynb") else MAX_FILE_BYTES
            status = os.stat(path)
            if not stat.S_ISREG(status.st_mode):
                # FIFOs, sockets and devices would block or never end: never opened.
                return _error(path, "not a regular file (a pipe, socket or device is not read)")
            size = status.st_size
            if size > limit:
                return _error(path, f"file too large to analyse ({size:,} bytes; the limit is {limit:,})")
            with open(path, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            return _error(path, f"cannot read: {exc.strerror or exc}")
        language = language or frontends.language_for_path(path, data[:128].decode("utf-8", "replace"))
        if language is None:
            return _error(path, "unknown kind of file (not Python, SQL, shell or a notebook)")
        return self.analyze_bytes(data, path, language)

    def analyze_bytes(self, data: bytes, path: str, language: str) -> Analysis:
        if language == "notebook":
            try:   # Jupyter writes notebooks as UTF-8 JSON; the notebook front end checks the JSON
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count(b"\n") + 1
                return _error(path, f"not a notebook: not valid UTF-8 (line {line}, byte {exc.start})")
        else:
            try:
                text = decode(data, language)
            except SourceError as exc:
                return _error(path, str(exc))
        return self.analyze_text(text, path, language)

    def analyze_text(self, text: str, path: str, language: str) -> Analysis:
        return frontends.analyze(language, text, Location(path), self.options)

    # -- decisions -----------------------------------------------------------------

    def decide(self, analysis: Analysis) -> tuple[list[Finding], list[AnalysisError], list[Touch]]:
        findings = [Finding(op, self.policy.decide(op, self.context))
                    for op in map(self.with_target_kind, _unique(analysis.operations))]
        parsed = suppress.parse(analysis.comments, next_code_line=_next_code_line(analysis))
        findings, problems = suppress.apply(findings, parsed, self.catalogue)
        findings += [Finding(op, self.policy.decide(op, self.context)) for op in map(self.with_target_kind, problems)]
        if self.baseline is not None:
            findings = self.baseline.mark(findings)
        return sorted(findings, key=_order), sorted(set(analysis.errors)), sorted(set(analysis.touches))

    def with_target_kind(self, op: Operation) -> Operation:
        """``op`` with what its targets are (path, table, host, ...) from the catalogue, unless the
        front end said; the policy applies scratch patterns by kind and the JSON report shows it."""
        return with_kind(op, self.catalogue)

    def check_paths(self, paths: list[str], jobs: int = 1, cache: bool = False) -> Report:
        """Check files and folders; ``jobs`` > 1 (0: all cores) analyses files in parallel and
        ``cache`` reuses analyses of unchanged files (analyzer.scan)."""
        errors = []
        files = []
        for path, problem in iter_files(paths):
            if problem:
                errors.append(AnalysisError(path, problem))
            else:
                files.append(path)
        from .scan import analyze_files

        # A Python file of the set may import another: its analysis reads the other's functions
        # and constants (frontends/python/summaries.py). One file alone is read as before.
        modules = frozenset(os.path.abspath(f) for f in files if f.endswith(".py"))
        saved = self.options
        if len(modules) > 1 or (modules and len(files) > 1):
            self.options = replace(self.options, modules=modules)
        # A script run by its path (bash scripts/reset.sh) is read when it lies below a checked path.
        self.options = replace(self.options, roots=tuple(sorted({
            os.path.realpath(p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p))) for p in paths})))
        try:
            analyses = analyze_files(self, files, jobs=jobs, cache=cache)
        finally:
            self.options = saved
        if self.policy.semgrep_rules:  # team rules (analyzer/teamrules/): the file gates only, not stdin or IPython
            from .teamrules.semgrep import apply_team_rules

            self.catalogue, team_errors = apply_team_rules(self.policy, self.catalogue, files, analyses, jobs)
            errors += team_errors
        return self._report(analyses, errors, files)

    def check_text(self, text: str, language: str, path: str = "<stdin>") -> Report:
        return self._report([self.analyze_text(text, path, language)], [], [path])

    def _report(self, analyses: list[Analysis], errors: list[AnalysisError], files: list[str]) -> Report:
        findings: list[Finding] = []
        touches: list[Touch] = []
        for analysis in analyses:
            f, e, t = self.decide(analysis)
            findings += f
            errors += e
            touches += t
        report = self.report(findings, errors, touches, files)
        report.notes = sorted({note for analysis in analyses for note in analysis.notes})
        return report

    def report(self, findings: list[Finding], errors: list[AnalysisError], touches: list[Touch],
               paths: list[str]) -> Report:
        """The report of decisions made here, with the policy, context and catalogue behind them."""
        return Report(findings, errors, touches, self.policy, self.context, paths)


def _error(path: str, message: str) -> Analysis:
    return Analysis(errors=[AnalysisError(path, message)])


def _unique(operations: list) -> list:
    seen = set()
    result = []
    for op in operations:
        key = (op.rule, op.location.path, op.location.cell, op.location.line, op.location.column, op.targets)
        if key not in seen:
            seen.add(key)
            result.append(op)
    return result


def _order(finding: Finding):
    loc = finding.operation.location
    return (loc.path, -1 if loc.cell is None else loc.cell, loc.line, loc.column, finding.operation.rule)


def _next_code_line(analysis: Analysis):
    """A standalone suppression comment applies to the next line that is not itself a comment."""
    comment_lines = {(c.location.path, c.location.cell, c.location.line) for c in analysis.comments}

    def following(location: Location) -> int | None:
        line = location.line + 1
        while (location.path, location.cell, line) in comment_lines:
            line += 1
        return line

    return following
