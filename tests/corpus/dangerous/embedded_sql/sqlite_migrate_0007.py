"""App migration 0007 for the desktop client's SQLite database."""
import sqlite3
import sys
from pathlib import Path

DB = Path.home() / ".local/share/notely/notely.db"

MIGRATION = """
BEGIN;
ALTER TABLE notes ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notes DROP COLUMN legacy_html;
CREATE INDEX IF NOT EXISTS idx_notes_pinned ON notes(pinned, updated_at);
PRAGMA user_version = 7;
COMMIT;
"""


def main() -> int:
    con = sqlite3.connect(DB)
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version >= 7:
        print("already at", version)
        return 0
    # expect: destructive
    con.executescript(MIGRATION)
    con.close()
    print("migrated to 7")
    return 0


if __name__ == "__main__":
    sys.exit(main())
