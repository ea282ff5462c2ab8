import sqlite3
import time

conn = sqlite3.connect("cache.db")
conn.executescript("""
CREATE TABLE IF NOT EXISTS http_cache (
    url TEXT PRIMARY KEY,
    body BLOB,
    fetched_at REAL
);
CREATE INDEX IF NOT EXISTS http_cache_fetched ON http_cache(fetched_at);
""")


def put(url: str, body: bytes) -> None:
    conn.execute("INSERT OR REPLACE INTO http_cache(url, body, fetched_at) VALUES (?, ?, ?)", (url, body, time.time()))
    conn.commit()


def evict_older_than(seconds: float) -> int:
    cur = conn.execute("DELETE FROM http_cache WHERE fetched_at < ?", (time.time() - seconds,))
    conn.commit()
    return cur.rowcount
