"""Free disk space used by the local HTTP cache: drop expired entries and VACUUM."""
import os
import sqlite3
import time

DB = os.path.expanduser("~/.cache/acme-cli/http.sqlite3")


def main() -> None:
    before = os.path.getsize(DB)
    conn = sqlite3.connect(DB)
    with conn:
        n = conn.execute("DELETE FROM responses WHERE expires_at < ?", (time.time(),)).rowcount
    conn.execute("VACUUM")
    conn.close()
    print(f"removed {n} expired entries, {(before - os.path.getsize(DB)) / 1e6:.1f} MB freed")


if __name__ == "__main__":
    main()
