"""Feature flags backed by Redis.

Flags are hashes under `ff:<name>` with fields `enabled`, `rollout` (0-100)
and `allow` (comma-separated user ids). Reads are cached in-process for a few
seconds so hot paths do not hit Redis on every request.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field

import redis

log = logging.getLogger(__name__)

REDIS_URL = os.environ.get("FLAGS_REDIS_URL", "redis://flags.cache.internal:6379/3")
LOCAL_TTL = 5.0


@dataclass
class Flag:
    name: str
    enabled: bool = False
    rollout: int = 0
    allow: set[str] = field(default_factory=set)

    def is_on_for(self, user_id: str | None) -> bool:
        if not self.enabled:
            return False
        if user_id and user_id in self.allow:
            return True
        if self.rollout >= 100:
            return True
        if not user_id or self.rollout <= 0:
            return False
        bucket = int(hashlib.sha1(f"{self.name}:{user_id}".encode()).hexdigest(), 16) % 100
        return bucket < self.rollout


class FlagStore:
    def __init__(self, url: str = REDIS_URL) -> None:
        self.r = redis.Redis.from_url(url, decode_responses=True)
        self._cache: dict[str, tuple[float, Flag]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(name: str) -> str:
        return f"ff:{name}"

    def get(self, name: str) -> Flag:
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(name)
            if cached and now - cached[0] < LOCAL_TTL:
                return cached[1]
        raw = self.r.hgetall(self._key(name))
        flag = Flag(
            name=name,
            enabled=raw.get("enabled") == "1",
            rollout=int(raw.get("rollout", 0)),
            allow={u for u in raw.get("allow", "").split(",") if u},
        )
        with self._lock:
            self._cache[name] = (now, flag)
        return flag

    def set(self, flag: Flag) -> None:
        self.r.hset(self._key(flag.name), mapping={
            "enabled": "1" if flag.enabled else "0",
            "rollout": str(flag.rollout),
            "allow": ",".join(sorted(flag.allow)),
        })
        self.r.publish("ff:changed", flag.name)
        with self._lock:
            self._cache.pop(flag.name, None)

    def delete(self, name: str) -> None:
        """Remove one flag (when the feature is fully launched)."""
        self.r.delete(self._key(name))
        with self._lock:
            self._cache.pop(name, None)

    def names(self) -> list[str]:
        return sorted(key[3:] for key in self.r.scan_iter("ff:*") if key != "ff:changed")

    def export(self) -> str:
        return json.dumps({n: vars(self.get(n)) | {"allow": sorted(self.get(n).allow)} for n in self.names()}, indent=2)

    def reset(self) -> None:
        """Start from a clean slate (used by the staging refresh job)."""
        log.warning("resetting all feature flags at %s", REDIS_URL)
        # expect: destructive
        self.r.flushdb()
        with self._lock:
            self._cache.clear()


def is_enabled(name: str, user_id: str | None = None, store: FlagStore | None = None) -> bool:
    store = store or _default_store()
    try:
        return store.get(name).is_on_for(user_id)
    except redis.RedisError:
        log.exception("flag lookup failed for %s; defaulting to off", name)
        return False


_store: FlagStore | None = None


def _default_store() -> FlagStore:
    global _store
    if _store is None:
        _store = FlagStore()
    return _store


if __name__ == "__main__":
    import sys

    logging.basicConfig(level=logging.INFO)
    s = _default_store()
    if sys.argv[1:] == ["reset"]:
        s.reset()
    else:
        print(s.export())
