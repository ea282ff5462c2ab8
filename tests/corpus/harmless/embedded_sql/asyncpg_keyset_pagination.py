"""Add pagination to the events API: keyset (cursor) pagination over (created_at, id)."""
from __future__ import annotations

import base64
import json
from datetime import datetime

import asyncpg

PAGE_SQL = """
SELECT id, kind, payload, created_at
FROM events
WHERE account_id = $1
  AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
ORDER BY created_at DESC, id DESC
LIMIT $4
"""


def encode_cursor(created_at: datetime, id_: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([created_at.isoformat(), id_]).encode()).decode()


def decode_cursor(cursor: str | None) -> tuple[datetime | None, int | None]:
    if not cursor:
        return None, None
    ts, id_ = json.loads(base64.urlsafe_b64decode(cursor))
    return datetime.fromisoformat(ts), id_


async def list_events(pool: asyncpg.Pool, account_id: int, cursor: str | None, limit: int = 50) -> dict:
    ts, last_id = decode_cursor(cursor)
    async with pool.acquire() as conn:
        rows = await conn.fetch(PAGE_SQL, account_id, ts, last_id, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1]["created_at"], rows[-1]["id"]) if more and rows else None
    return {"items": [dict(r) for r in rows], "next_cursor": next_cursor}
