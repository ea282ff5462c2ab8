"""``execgate hook install claude-code``: the PreToolUse hook, merged into Claude Code's settings JSON.

Claude Code reads hooks from ``~/.claude/settings.json`` (user; ``$CLAUDE_CONFIG_DIR`` when set),
``.claude/settings.json`` (the project's, shared through git) and ``.claude/settings.local.json``
(the project's, this machine only). The command written is the *absolute* path of the execgate
running now, quoted, with ``--json``:

* a hook command that cannot be launched (``execgate`` not on the PATH of the shell Claude Code
  starts, exit 127) is a non-blocking error: the tool call runs unguarded and nobody is told;
* without ``--json`` a warning is exit 0 with a notice on stderr, which neither the person nor
  the model sees; with it a warning asks the person (``permissionDecision: "ask"``).

Merging never clobbers: an execgate hook already there gets the new path (its other options
kept), anything else is left as it is, and a second run changes nothing. A settings file that is
not a JSON object, or whose ``hooks`` are not shaped as Claude Code reads them, is not written.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MATCHER = "Bash|Write|Edit|MultiEdit|NotebookEdit"
SCOPES = ("project", "local", "user")


class InstallError(Exception):
    """The settings cannot be written: one line naming the file, nothing changed."""


def project_root(cwd: Path) -> Path:
    """The repository holding ``cwd`` (where Claude Code looks for ``.claude/``), else ``cwd``."""
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists():
            return folder
    return cwd


def settings_path(scope: str, cwd: Path, environ: Mapping[str, str]) -> Path:
    if scope == "user":
        base = environ.get("CLAUDE_CONFIG_DIR")
        return (Path(base).expanduser() if base else Path.home() / ".claude") / "settings.json"
    name = "settings.local.json" if scope == "local" else "settings.json"
    return project_root(cwd) / ".claude" / name


def execgate_path(argv0: str | None = None, executable: str | None = None) -> str:
    """The absolute path of the execgate command running now: the script that was run, else the
    one installed beside this interpreter, else the one on PATH."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    executable = sys.executable if executable is None else executable
    candidates = []
    if Path(argv0).name.lower().startswith("execgate"):
        candidates.append(Path(argv0))
    if executable:
        folder = Path(executable).parent
        candidates += [folder / "execgate", folder / "execgate.exe"]
    found = shutil.which("execgate")
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    raise InstallError("cannot find the execgate command to point the hook at; install execgate "
                       "(pip install execgate) and run this from that installation")


def hook_command(executable: str) -> str:
    return shlex.join([executable, "hook", "claude-code", "--json"])


def _words(command: object) -> list[str] | None:
    if not isinstance(command, str):
        return None
    try:
        return shlex.split(command)
    except ValueError:
        return command.split()


def _is_ours(words: list[str] | None) -> bool:
    return (words is not None and len(words) >= 3 and Path(words[0]).name.lower().startswith("execgate")
            and words[1:3] == ["hook", "claude-code"])


def merge(settings: Any, executable: str, where: str = "the settings") -> str:
    """Put the hook into ``settings`` (changed in place); "added", "updated" or "unchanged"."""
    if not isinstance(settings, dict):
        raise InstallError(f"{where}: the settings are not a JSON object; not changed")
    hooks = settings.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise InstallError(f"{where}: \"hooks\" is not an object; not changed")
    groups = hooks.setdefault("PreToolUse", [])
    if not isinstance(groups, list):
        raise InstallError(f"{where}: \"hooks.PreToolUse\" is not a list; not changed")
    outcome = None
    for group in groups:
        entries = group.get("hooks") if isinstance(group, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            words = _words(entry.get("command")) if isinstance(entry, dict) else None
            if words is None or not _is_ours(words):
                continue
            new = shlex.join([executable, *words[1:], *([] if "--json" in words else ["--json"])])
            if entry["command"] == new:
                outcome = outcome or "unchanged"
            else:
                entry["command"], outcome = new, "updated"
    if outcome is None:
        groups.append({"matcher": MATCHER, "hooks": [{"type": "command", "command": hook_command(executable)}]})
        outcome = "added"
    return outcome


def read_settings(path: Path) -> Any:
    """The settings in ``path`` ({} when there is no file or it is empty); InstallError when unreadable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise InstallError(f"{path}: cannot read: {exc.strerror or exc}; not changed") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InstallError(f"{path}: not UTF-8 text; not changed") from None
    if not text.strip():
        return {}
    try:
        return json.loads(text)
    except ValueError as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise InstallError(f"{path}: not valid JSON{where}: {message}; not changed") from None


def write_settings(path: Path, settings: Any) -> None:
    """Replace the file in one step (a crash never leaves half a settings file); a symlinked
    settings file (a dotfiles checkout) is written where the link points."""
    target = path.resolve() if path.is_symlink() else path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = target.stat().st_mode & 0o777 if target.exists() else None
        handle, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(json.dumps(settings, indent=2, ensure_ascii=False) + "\n")
            if mode is not None:
                os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        raise InstallError(f"{path}: cannot write: {exc.strerror or exc}; not changed") from None


def install(path: Path, executable: str) -> str:
    """Merge the hook into the settings file at ``path``; the one line to show the user."""
    settings = read_settings(path)
    outcome = merge(settings, executable, str(path))
    if outcome != "unchanged":
        write_settings(path, settings)
    said = {"added": "added to", "updated": "updated in", "unchanged": "already in"}[outcome]
    return f"execgate: the Claude Code PreToolUse hook ({executable} ... --json) is {said} {path}"
