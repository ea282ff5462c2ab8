"""``execgate hook install|uninstall AGENT``: the execgate hook, merged into (or taken out of)
the agent's settings file.

Where each agent reads hooks, which events and matchers execgate hooks, and how the agent nests
them is data (the ``install`` entry of each agent in ``rules/agents.yaml``); there are two
nestings, both JSON:

* ``grouped`` (Claude Code, Codex, Gemini CLI): ``{"hooks": {EVENT: [{"matcher": "...",
  "hooks": [{"type": "command", "command": "..."}]}]}}``;
* ``flat`` (Cursor, GitHub Copilot): ``{"version": 1, "hooks": {EVENT: [{"command": "..."}]}}``.

The command written is the *absolute* path of the execgate running now, quoted: a hook command
the agent cannot launch (``execgate`` not on the PATH of the shell it starts) is a failed hook,
and most agents then run the tool unguarded.

Install never clobbers: an execgate hook already there gets the new path (its other options
kept), anything else is left as it is, and a second run changes nothing. Uninstall removes the
execgate hooks of that agent and the groups, lists and files that held only them; nothing else.
A settings file that is not a JSON object, or whose hooks are not shaped as the agent reads
them, is not written.
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

from .calls import knowledge
from .core import HookError

SCOPES = ("project", "local", "user")


class InstallError(Exception):
    """The settings cannot be written: one line naming the file, nothing changed."""


def spec_of(agent: str) -> dict[str, Any]:
    try:
        entry = knowledge(agent)
    except HookError as exc:
        raise InstallError(str(exc)) from None
    return {"title": entry.get("title", agent), **(entry.get("install") or {})}


def project_root(cwd: Path) -> Path:
    """The repository holding ``cwd`` (where agents look for their project settings), else ``cwd``."""
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists():
            return folder
    return cwd


def settings_path(agent: str, scope: str, cwd: Path, environ: Mapping[str, str]) -> Path:
    """The settings file of ``agent`` for ``scope`` (project, local or user)."""
    spec = spec_of(agent)
    scopes = spec.get("scopes") or {}
    if scope not in scopes:
        given = ", ".join(f"--{s}" for s in SCOPES if s in scopes)
        raise InstallError(f"{spec['title']} has no {scope} settings; use {given}, or --settings FILE")
    if scope == "user":
        home = spec.get("home") or {}
        base = environ.get(home["variable"]) if home.get("variable") else None
        folder = Path(base).expanduser() if base else Path(os.path.expanduser(home.get("default", "~")))
        return folder / scopes["user"]
    return project_root(cwd) / scopes[scope]


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


def hook_command(agent: str, executable: str) -> str:
    return shlex.join([executable, "hook", agent, *spec_of(agent).get("arguments", [])])


def _words(command: object) -> list[str] | None:
    if not isinstance(command, str):
        return None
    try:
        return shlex.split(command)
    except ValueError:
        return command.split()


def _is_ours(entry: object, agent: str, key: str) -> bool:
    words = _words(entry.get(key)) if isinstance(entry, dict) else None
    return (words is not None and len(words) >= 3 and Path(words[0]).name.lower().startswith("execgate")
            and words[1:3] == ["hook", agent])


def _event_list(hooks: dict[str, Any], event: str, where: str, create: bool) -> list[Any] | None:
    if event not in hooks and not create:
        return None
    entries = hooks.setdefault(event, []) if create else hooks[event]
    if not isinstance(entries, list):
        raise InstallError(f"{where}: \"hooks.{event}\" is not a list; not changed")
    return entries


def _hooks(settings: Any, where: str, create: bool) -> dict[str, Any] | None:
    if not isinstance(settings, dict):
        raise InstallError(f"{where}: the settings are not a JSON object; not changed")
    if "hooks" not in settings and not create:
        return None
    hooks = settings.setdefault("hooks", {}) if create else settings["hooks"]
    if not isinstance(hooks, dict):
        raise InstallError(f"{where}: \"hooks\" is not an object; not changed")
    return hooks


def _entries(entries: list[Any], grouped: bool) -> list[tuple[dict[str, Any] | None, list[Any]]]:
    """(group, the list holding hook entries) for each place an entry can be."""
    if not grouped:
        return [(None, entries)]
    return [(group, group["hooks"]) for group in entries
            if isinstance(group, dict) and isinstance(group.get("hooks"), list)]


def merge(settings: Any, agent: str, executable: str, where: str = "the settings") -> str:
    """Put the hook into ``settings`` (changed in place); "added", "updated" or "unchanged"."""
    spec = spec_of(agent)
    grouped, key = spec.get("layout") == "grouped", spec.get("command_key", "command")
    hooks = _hooks(settings, where, create=True)
    assert hooks is not None
    if spec.get("version") is not None:
        settings.setdefault("version", spec["version"])
    required = list(spec.get("arguments", []))
    outcomes = []
    for event, matcher in (spec.get("events") or {}).items():
        entries = _event_list(hooks, event, where, create=True)
        assert entries is not None
        outcome = None
        for group, held in _entries(entries, grouped):
            for entry in held:
                if not _is_ours(entry, agent, key):
                    continue
                words = _words(entry[key]) or []
                new = shlex.join([executable, *words[1:], *[a for a in required if a not in words]])
                if entry[key] != new:
                    entry[key], outcome = new, "updated"
                if group is not None and matcher and group.get("matcher") in spec.get("older_matchers", []):
                    group["matcher"], outcome = matcher, "updated"
                outcome = outcome or "unchanged"
        if outcome is None:
            entries.append(_new_entry(spec, hook_command(agent, executable), matcher, grouped, key))
            outcome = "added"
        outcomes.append(outcome)
    return next((o for o in ("added", "updated") if o in outcomes), "unchanged")


def _new_entry(spec: Mapping[str, Any], command: str, matcher: str | None, grouped: bool, key: str) -> dict:
    fields = dict(spec.get("entry") or {})
    entry = {k: fields.pop(k) for k in ("name", "type") if k in fields}
    entry[key] = command
    if grouped:
        entry.update(fields)
        return {**({"matcher": matcher} if matcher else {}), "hooks": [entry]}
    if matcher:
        entry["matcher"] = matcher
    entry.update(fields)
    return entry


def remove(settings: Any, agent: str, where: str = "the settings") -> int:
    """Take the agent's execgate hooks out of ``settings`` (changed in place), with the groups,
    event lists and hooks object left empty by that; how many hooks were removed."""
    spec = spec_of(agent)
    grouped, key = spec.get("layout") == "grouped", spec.get("command_key", "command")
    hooks = _hooks(settings, where, create=False)
    if hooks is None:
        return 0
    removed = 0
    for event in list(hooks):
        entries = _event_list(hooks, event, where, create=False)
        if entries is None:
            continue
        before = removed
        emptied: list[int] = []
        for group, held in _entries(entries, grouped):
            kept = [entry for entry in held if not _is_ours(entry, agent, key)]
            if len(kept) == len(held):
                continue
            removed += len(held) - len(kept)
            held[:] = kept
            if group is not None and not kept:
                emptied.append(id(group))
        entries[:] = [group for group in entries if id(group) not in emptied]
        if removed > before and not entries:
            del hooks[event]
    if removed and not hooks:
        del settings["hooks"]
        if spec.get("version") is not None and settings == {"version": spec["version"]}:
            del settings["version"]
    return removed


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


def install(path: Path, agent: str, executable: str) -> str:
    """Merge the hook into the settings file at ``path``; the one line to show the user."""
    settings = read_settings(path)
    outcome = merge(settings, agent, executable, str(path))
    if outcome != "unchanged":
        write_settings(path, settings)
    said = {"added": "added to", "updated": "updated in", "unchanged": "already in"}[outcome]
    return f"execgate: the {spec_of(agent)['title']} hook ({hook_command(agent, executable)}) is {said} {path}"


def uninstall(path: Path, agent: str) -> str:
    """Take the hook out of the settings file at ``path``; the one line to show the user."""
    title = spec_of(agent)["title"]
    if not path.exists() and not path.is_symlink():
        return f"execgate: no {title} hook to remove: there is no {path}"
    settings = read_settings(path)
    removed = remove(settings, agent, str(path))
    if not removed:
        return f"execgate: no execgate {title} hook in {path}; not changed"
    if settings == {} and spec_of(agent).get("own_file"):
        try:
            path.unlink()
        except OSError as exc:
            raise InstallError(f"{path}: cannot remove: {exc.strerror or exc}; not changed") from None
        return f"execgate: the {title} hook is removed, and with it {path}, which held nothing else"
    write_settings(path, settings)
    return f"execgate: the {title} hook is removed from {path}"
