"""Where the warm server listens: ``EXECGATE_SOCKET``, else a folder of the user's own.

``$XDG_RUNTIME_DIR/execgate/`` when the session has a runtime folder (private to the user and
emptied at logout), else ``serve/`` in execgate's cache folder (:func:`analyzer.cachedir.cache_dir`,
which needs no platformdirs on Linux). The server creates the folder 0700.
"""
from __future__ import annotations

import os
from collections.abc import Mapping

ENV_SOCKET = "EXECGATE_SOCKET"
ENV_NO_SERVER = "EXECGATE_NO_SERVER"
SOCKET_NAME = "execgate.sock"


def default_socket_path(environ: Mapping[str, str]) -> str:
    named = environ.get(ENV_SOCKET)
    if named:
        return os.path.abspath(os.path.expanduser(named))
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isabs(runtime):
        return os.path.join(runtime, "execgate", SOCKET_NAME)
    return os.path.join(_cache_dir(environ), "serve", SOCKET_NAME)


def _cache_dir(environ: Mapping[str, str]) -> str:
    from ...cachedir import cache_dir

    return os.path.abspath(cache_dir(environ))


def server_disabled(environ: Mapping[str, str]) -> bool:
    """``EXECGATE_NO_SERVER=1`` (or true/yes/on): never connect, always decide in-process."""
    return environ.get(ENV_NO_SERVER, "").strip().lower() in ("1", "true", "yes", "on")
