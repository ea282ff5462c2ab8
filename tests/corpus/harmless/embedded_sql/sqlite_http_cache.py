"""A persistent HTTP response cache in SQLite for the scraper CLI.

    cache = HttpCache("~/.cache/scraper/http.sqlite")
    body = cache.get(url) or cache.put(url, fetch(url))

Expired rows are removed by `prune()` (WHERE expires_at < now). The cache file
lives under the user's cache directory.
"""
from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key        TEXT PRIMARY KEY,
    url        TEXT NOT NULL,
    status     INTEGER NOT NULL,
    body       BLOB NOT NULL,
    fetched_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_expires ON responses (expires_at);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
"""


class HttpCache:
    def __init__(self, path: str | Path, ttl: float = 86400) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.ttl = ttl
        self.db = sqlite3.connect(self.path)
        self.db.executescript(SCHEMA)
        self.db.execute("PRAGMA journal_mode=WAL")

    @staticmethod
    def key(url: str) -> str:
        return hashlib.sha256(url.encode()).hexdigest()

    def get(self, url: str) -> bytes | None:
        row = self.db.execute("SELECT body FROM responses WHERE key = ? AND expires_at > ?",
                              (self.key(url), time.time())).fetchone()
        return row[0] if row else None

    def put(self, url: str, body: bytes, status: int = 200, ttl: float | None = None) -> bytes:
        now = time.time()
        self.db.execute(
            "INSERT INTO responses (key, url, status, body, fetched_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET body = excluded.body, status = excluded.status,"
            " fetched_at = excluded.fetched_at, expires_at = excluded.expires_at",
            (self.key(url), url, status, body, now, now + (ttl or self.ttl)),
        )
        self.db.commit()
        return body

    def invalidate(self, url: str) -> None:
        self.db.execute("DELETE FROM responses WHERE key = ?", (self.key(url),))
        self.db.commit()

    def prune(self) -> int:
        cur = self.db.execute("DELETE FROM responses WHERE expires_at < ?", (time.time(),))
        self.db.commit()
        self.db.execute("PRAGMA incremental_vacuum")
        return cur.rowcount

    def stats(self) -> dict[str, float]:
        n, size, oldest = self.db.execute(
            "SELECT count(*), coalesce(sum(length(body)), 0), min(fetched_at) FROM responses").fetchone()
        return {"entries": n, "bytes": size, "oldest_age_s": time.time() - oldest if oldest else 0}

    def close(self) -> None:
        self.db.close()


if __name__ == "__main__":
    import sys

    cache = HttpCache(sys.argv[1] if len(sys.argv) > 1 else "~/.cache/scraper/http.sqlite")
    print("pruned", cache.prune(), "expired responses")
    print(cache.stats())
    cache.close()
