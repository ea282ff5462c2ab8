"""A small Redis cache layer for the catalogue API.

    cache = Cache.from_env()
    product = cache.get_or_set(f"product:{sku}", lambda: load_product(sku), ttl=300)
    cache.delete(f"product:{sku}")            # after an edit: drop ONE key
    cache.invalidate_prefix("category:42:")   # drop the keys of one category

There is intentionally no "flush everything" helper: the Redis instance is
shared with the session store. If you need a clean cache in dev, restart the
local container instead.
"""
from __future__ import annotations

import functools
import json
import logging
import os
import time
from typing import Any, Callable, TypeVar

import redis

log = logging.getLogger(__name__)
T = TypeVar("T")


class Cache:
    def __init__(self, client: redis.Redis, namespace: str = "catalog", default_ttl: int = 600) -> None:
        self.r = client
        self.ns = namespace
        self.default_ttl = default_ttl
        self.hits = 0
        self.misses = 0

    @classmethod
    def from_env(cls) -> "Cache":
        url = os.environ.get("CACHE_REDIS_URL", "redis://localhost:6379/0")
        return cls(redis.Redis.from_url(url, socket_timeout=0.5, health_check_interval=30))

    def _k(self, key: str) -> str:
        return f"{self.ns}:{key}"

    def get(self, key: str) -> Any | None:
        try:
            raw = self.r.get(self._k(key))
        except redis.RedisError:
            log.warning("cache get failed for %s", key, exc_info=True)
            return None
        if raw is None:
            self.misses += 1
            return None
        self.hits += 1
        return json.loads(raw)

    def set(self, key: str, value: Any, ttl: int | None = None) -> None:
        try:
            self.r.set(self._k(key), json.dumps(value, default=str), ex=ttl or self.default_ttl)
        except redis.RedisError:
            log.warning("cache set failed for %s", key, exc_info=True)

    def get_or_set(self, key: str, loader: Callable[[], T], ttl: int | None = None) -> T:
        cached = self.get(key)
        if cached is not None:
            return cached
        lock = self.r.lock(self._k(f"lock:{key}"), timeout=10, blocking_timeout=2)
        with lock:
            cached = self.get(key)
            if cached is not None:
                return cached
            value = loader()
            self.set(key, value, ttl)
            return value

    def delete(self, key: str) -> bool:
        """Remove one cached entry."""
        return bool(self.r.delete(self._k(key)))

    def invalidate_prefix(self, prefix: str, batch: int = 500) -> int:
        """Remove the keys under one prefix (e.g. one category), in batches with UNLINK."""
        removed = 0
        pipe = self.r.pipeline(transaction=False)
        pending = 0
        for key in self.r.scan_iter(match=self._k(prefix) + "*", count=batch):
            pipe.unlink(key)
            pending += 1
            if pending >= batch:
                removed += sum(pipe.execute())
                pending = 0
        if pending:
            removed += sum(pipe.execute())
        log.info("invalidated %d keys under %s", removed, prefix)
        return removed

    def stats(self) -> dict[str, float]:
        total = self.hits + self.misses
        return {"hits": self.hits, "misses": self.misses, "hit_rate": self.hits / total if total else 0.0}


def cached(cache: Cache, key_fn: Callable[..., str], ttl: int | None = None):
    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            return cache.get_or_set(key_fn(*args, **kwargs), lambda: fn(*args, **kwargs), ttl)
        return wrapper
    return decorate


if __name__ == "__main__":
    c = Cache.from_env()
    started = time.perf_counter()
    for i in range(1000):
        c.get_or_set(f"bench:{i % 50}", lambda: {"i": i})
    print(c.stats(), f"{time.perf_counter() - started:.3f}s")
    c.invalidate_prefix("bench:")
