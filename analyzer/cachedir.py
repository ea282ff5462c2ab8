"""The user's cache directory, and signed entries in it.

Entries are JSON text with an HMAC under a per-user key kept beside them
(mode 0600), so a file planted in the cache cannot change what execgate
decides: an entry whose MAC does not verify is ignored and recomputed.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import posixpath
import sys
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``EXECGATE_CACHE_DIR``, else the user's cache folder (platformdirs' ``user_cache_dir``)."""
    env = os.environ if environ is None else environ
    configured = env.get("EXECGATE_CACHE_DIR")
    if configured:
        return Path(configured)
    if sys.platform == "linux" and not env.get("ANDROID_DATA"):
        # platformdirs' answer on Linux, without importing it (it costs more than reading the cache):
        # an absolute $XDG_CACHE_HOME, else an absolute $HOME/.cache.
        for base, below in ((env.get("XDG_CACHE_HOME", ""), ()), (env.get("HOME", ""), (".cache",))):
            if base and posixpath.isabs(base):
                return Path(os.path.join(base, *below, "execgate"))
    import platformdirs

    return Path(platformdirs.user_cache_dir("execgate", appauthor=False))


@lru_cache(maxsize=8)
def _secret(directory: str) -> bytes:
    path = Path(directory) / "cache.key"
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        Path(directory).mkdir(parents=True, exist_ok=True, mode=0o700)
        import secrets

        value = secrets.token_bytes(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(value.hex())
        return value


def secret() -> bytes:
    return _secret(str(cache_dir()))


def mac(key: str, body: str) -> str:
    return hmac.new(secret(), key.encode() + body.encode("utf-8"), hashlib.sha256).hexdigest()


def read_signed(path: Path, key: str) -> str | None:
    """The body stored at ``path`` for ``key``, or None when absent, unreadable or forged."""
    try:
        envelope = json.loads(path.read_text(encoding="utf-8"))
        body = envelope["body"]
        if hmac.compare_digest(mac(key, body), envelope["mac"]):
            return body
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def write_signed(path: Path, key: str, body: str) -> None:
    """Store ``body`` atomically; a cache that cannot be written is only slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"body": body, "mac": mac(key, body)}), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass
