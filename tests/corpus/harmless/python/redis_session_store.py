"""Redis-backed session store for the web app."""
from __future__ import annotations

import json
import secrets
from typing import Any

import redis

TTL_SECONDS = 60 * 60 * 8


class SessionStore:
    def __init__(self, url: str = "redis://localhost:6379/1") -> None:
        self.r = redis.Redis.from_url(url, decode_responses=True)

    def create(self, user_id: int, data: dict[str, Any]) -> str:
        sid = secrets.token_urlsafe(32)
        pipe = self.r.pipeline()
        pipe.set(f"session:{sid}", json.dumps({"user_id": user_id, **data}), ex=TTL_SECONDS)
        pipe.sadd(f"user_sessions:{user_id}", sid)
        pipe.execute()
        return sid

    def get(self, sid: str) -> dict[str, Any] | None:
        raw = self.r.get(f"session:{sid}")
        if raw is None:
            return None
        self.r.expire(f"session:{sid}", TTL_SECONDS)
        return json.loads(raw)

    def destroy(self, sid: str) -> None:
        data = self.get(sid)
        self.r.delete(f"session:{sid}")
        if data:
            self.r.srem(f"user_sessions:{data['user_id']}", sid)

    def logout_everywhere(self, user_id: int) -> int:
        sids = self.r.smembers(f"user_sessions:{user_id}")
        if sids:
            self.r.unlink(*[f"session:{s}" for s in sids])
        self.r.delete(f"user_sessions:{user_id}")
        return len(sids)
