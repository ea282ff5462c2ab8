import json
import uuid

import redis

r = redis.Redis(host="cache.internal", port=6379, db=2)
TTL = 3600


def create_session(user_id: int) -> str:
    sid = uuid.uuid4().hex
    r.setex(f"session:{sid}", TTL, json.dumps({"user_id": user_id}))
    return sid


def end_session(sid: str) -> None:
    r.delete(f"session:{sid}")


def purge_user_sessions(user_id: int) -> int:
    n = 0
    for key in r.scan_iter(match="session:*", count=500):
        data = r.get(key)
        if data and json.loads(data).get("user_id") == user_id:
            r.delete(key)
            n += 1
    return n
