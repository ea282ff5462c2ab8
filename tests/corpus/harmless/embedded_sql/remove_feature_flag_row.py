"""Remove the `new_checkout` feature flag row and its per-account overrides."""
import os
import sqlite3
import sys

FLAG = sys.argv[1] if len(sys.argv) > 1 else "new_checkout"

conn = sqlite3.connect(os.environ.get("FLAGS_DB", "var/flags.sqlite3"))
with conn:
    cur = conn.execute("SELECT id, enabled, rollout FROM feature_flags WHERE name = ?", (FLAG,))
    row = cur.fetchone()
    if row is None:
        sys.exit(f"flag {FLAG!r} not found")
    conn.execute("DELETE FROM flag_overrides WHERE flag_id = ?", (row[0],))
    conn.execute("DELETE FROM feature_flags WHERE id = ?", (row[0],))
print(f"removed flag {FLAG} (was enabled={row[1]}, rollout={row[2]}%)")
