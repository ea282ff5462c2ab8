"""execgate: a pre-execution guard for code that AI agents write.

``%load_ext analyzer`` in IPython installs the kernel gate; the rest of the
package is imported lazily by the command line so that a check costs only what
it uses.
"""
from __future__ import annotations

from .version import __version__

__all__ = ["__version__", "load_ipython_extension", "unload_ipython_extension"]


def load_ipython_extension(ipython):  # pragma: no cover - exercised through IPython
    from .gates.ipython.extension import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython):  # pragma: no cover - exercised through IPython
    from .gates.ipython.extension import unload_ipython_extension as unload

    unload(ipython)
