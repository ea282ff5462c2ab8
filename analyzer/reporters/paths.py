"""Where a finding is, as the code-hosting side names it: a path relative to the repository root.

SARIF (``artifactLocation.uri`` under ``%SRCROOT%``), GitHub annotations (``file=``) and the
job summary's links all need the path relative to the checkout, whatever form the path had
on the command line (absolute, ``./x``, relative to a subfolder the check ran in).
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

STDIN = "<stdin>"


def default_root(cwd: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The repository root: ``$GITHUB_WORKSPACE`` in Actions, else git's top level, else ``cwd``
    (``cwd`` and ``environ`` are the caller's; None: this process's)."""
    base = cwd or os.getcwd()
    workspace = (os.environ if environ is None else environ).get("GITHUB_WORKSPACE")
    if workspace and _inside(base, workspace):
        return os.path.realpath(workspace)
    try:
        result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=base, capture_output=True,
                                text=True, timeout=5, check=False)
        if result.returncode == 0 and result.stdout.strip():
            return os.path.realpath(result.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return os.path.realpath(base)


def _inside(path: str, root: str) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
        return True
    except ValueError:
        return False


def relative_path(path: str, root: str, cwd: str | None = None) -> str | None:
    """``path`` (absolute or relative to ``cwd``) as a POSIX path relative to ``root``;
    None for standard input and for files outside the root."""
    if path == STDIN or not path:
        return None
    absolute = os.path.normpath(os.path.join(cwd or os.getcwd(), path))
    rel = _relative(absolute, root)
    if rel is None:  # symlinked checkouts (/tmp -> /private/tmp): compare resolved paths
        rel = _relative(os.path.realpath(absolute), os.path.realpath(root))
    return rel


def _relative(path: str, root: str) -> str | None:
    try:
        return PurePosixPath(Path(path).relative_to(root).as_posix()).as_posix()
    except ValueError:
        return None


def display_path(path: str, root: str, cwd: str | None = None) -> str:
    """The repository-relative path when there is one, else the path as given."""
    return relative_path(path, root, cwd) or path
