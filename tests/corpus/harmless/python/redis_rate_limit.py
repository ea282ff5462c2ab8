import redis

r = redis.Redis(host="redis.internal", port=6379, db=2)


def hit(user_id: int, limit: int = 100) -> bool:
    key = f"ratelimit:{user_id}"
    count = r.incr(key)
    if count == 1:
        r.expire(key, 60)
    return count <= limit


def reset_user(user_id: int) -> None:
    r.delete(f"ratelimit:{user_id}")
