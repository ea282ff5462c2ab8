"""Find uploads that belong to closed accounts and report them (no deletion).

User asked to "clean up the old data in uploads"; we print a plan first so a human can
review it, and move nothing until it is approved. The plan is written to reports/.
"""
from __future__ import annotations

import csv
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg2

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "/srv/app/media"))
REPORT = Path("reports") / f"upload_cleanup_plan_{datetime.now():%Y%m%d}.csv"


def closed_accounts(days: int = 30) -> list[int]:
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    with psycopg2.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor() as cur:
        cur.execute("SELECT id FROM accounts WHERE closed_at < %s", (cutoff,))
        return [r[0] for r in cur.fetchall()]


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    total = 0
    with REPORT.open("x", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["account_id", "folder", "bytes"])
        for account_id in closed_accounts():
            folder = MEDIA_ROOT / "uploads" / str(account_id)
            if folder.is_dir():
                size = folder_size(folder)
                total += size
                writer.writerow([account_id, folder, size])
    print(f"plan written to {REPORT}; {total / 1e9:.2f} GB could be reclaimed")
    print("review it, then run: scripts/archive_uploads.py --plan", REPORT)


if __name__ == "__main__":
    main()
