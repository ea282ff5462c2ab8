"""Clear the online feature cache after the feature schema changed (v7 -> v8)."""
import os

import redis


def main() -> None:
    r = redis.Redis.from_url(os.environ.get("FEATURE_CACHE_URL", "redis://feature-cache.prod:6379/2"))
    keys_before = r.dbsize()
    print(f"feature cache holds {keys_before} keys, wiping db")
    # expect: destructive
    r.flushdb()
    r.set("feature_schema_version", "8")
    print("feature cache cleared; repopulate with `make warm-features`")


if __name__ == "__main__":
    main()
