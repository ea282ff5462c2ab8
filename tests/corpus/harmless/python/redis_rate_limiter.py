import time

import redis

r = redis.Redis(host="cache.internal", port=6379, db=2)


def allow(user_id: str, limit: int = 100, window: int = 60) -> bool:
    key = f"ratelimit:{user_id}:{int(time.time() // window)}"
    n = r.incr(key)
    if n == 1:
        r.expire(key, window)
    return n <= limit


def reset_user(user_id: str) -> None:
    for key in r.scan_iter(f"ratelimit:{user_id}:*"):
        r.delete(key)


if __name__ == "__main__":
    print(allow("u1"))
    reset_user("u1")
