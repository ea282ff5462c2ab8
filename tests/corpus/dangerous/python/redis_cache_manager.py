import redis


class CacheManager:
    """Wraps the shared session/cache Redis used by all web nodes."""

    def __init__(self, url: str = "redis://cache-primary.internal:6379/0"):
        self.r = redis.Redis.from_url(url, decode_responses=True)

    def get(self, key):
        return self.r.get(key)

    def invalidate(self, key):
        self.r.delete(key)

    def reset(self):
        # expect: destructive
        self.r.flushdb()


if __name__ == "__main__":
    CacheManager().reset()
