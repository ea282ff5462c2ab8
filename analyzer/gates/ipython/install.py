"""``execgate ipython install|uninstall [--profile P]``: guard every kernel of an IPython profile.

The gate is put in the profile's ``startup/00-execgate.py`` rather than in
``ipython_config.py`` (``c.InteractiveShellApp.extensions``) because a startup
file can fail closed: when the extension cannot be loaded (execgate not
installed in the kernel's environment, a broken upgrade), IPython would only
warn about a configured extension and run every cell unguarded, while our
startup file then installs a transformer that refuses every cell and says why.
The file is ours only if it carries :data:`MARKER`; uninstall never removes
anything else. Startup files run in Jupyter kernels (ipykernel) as well.
"""
from __future__ import annotations

from pathlib import Path

STARTUP_NAME = "00-execgate.py"
MARKER = "# execgate: written by `execgate ipython install`"

STARTUP_SCRIPT = MARKER + '''; remove with `execgate ipython uninstall`.
# Every IPython kernel of this profile loads the execgate guard; if it cannot,
# every cell is refused (fail closed) instead of running unguarded.


def _execgate_load():
    shell = get_ipython()  # noqa: F821 - IPython runs startup files with get_ipython defined
    try:
        result = shell.extension_manager.load_extension("analyzer")
        if result in (None, "already loaded"):
            return
        problem = str(result)
    except BaseException as exc:  # noqa: BLE001 - whatever went wrong, do not run unguarded
        problem = f"{type(exc).__name__}: {exc}"

    import ast

    from IPython.core.error import InputRejected

    class ExecgateNotLoaded(ast.NodeTransformer):
        def visit(self, node):
            raise InputRejected(f"execgate could not be loaded in this kernel ({problem}); every cell is "
                                "refused. Install execgate in this environment or run `execgate ipython uninstall`.")

    shell.ast_transformers.append(ExecgateNotLoaded())


_execgate_load()
del _execgate_load
'''


class InstallError(Exception):
    """The startup file cannot be written or removed: one line for the user."""


def startup_file(profile: str, create: bool) -> Path:
    """The startup file path of ``profile`` in IPython's directory (``IPYTHONDIR`` or ~/.ipython)."""
    from IPython.core.profiledir import ProfileDir, ProfileDirError
    from IPython.paths import get_ipython_dir

    ipython_dir = get_ipython_dir()
    try:
        profile_dir = ProfileDir.find_profile_dir_by_name(ipython_dir, profile)
    except ProfileDirError:
        if not create:
            raise InstallError(f"no IPython profile {profile!r} in {ipython_dir}") from None
        profile_dir = ProfileDir.create_profile_dir_by_name(ipython_dir, profile)
    return Path(profile_dir.startup_dir) / STARTUP_NAME


def install(profile: str) -> tuple[Path, bool]:
    """Write the startup file; returns its path and whether it changed (idempotent)."""
    path = startup_file(profile, create=True)
    if path.exists():
        current = path.read_text(encoding="utf-8", errors="replace")
        if not current.startswith(MARKER):
            raise InstallError(f"{path} exists and was not written by execgate; not overwritten")
        if current == STARTUP_SCRIPT:
            return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTUP_SCRIPT, encoding="utf-8")
    return path, True


def uninstall(profile: str) -> tuple[Path, bool]:
    """Remove our startup file; returns its path and whether anything was removed."""
    path = startup_file(profile, create=False)
    if not path.exists():
        return path, False
    if not path.read_text(encoding="utf-8", errors="replace").startswith(MARKER):
        raise InstallError(f"{path} was not written by execgate; not removed")
    path.unlink()
    return path, True
