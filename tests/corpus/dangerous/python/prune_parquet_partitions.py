import logging
from datetime import date, timedelta
from pathlib import Path

from settings import DATA_LAKE_ROOT, RETENTION_DAYS

logger = logging.getLogger("prune")


def partition_date(p: Path):
    # folders look like dt=2024-03-01
    try:
        return date.fromisoformat(p.name.split("=", 1)[1])
    except (IndexError, ValueError):
        return None


def prune(table: str) -> None:
    cutoff = date.today() - timedelta(days=RETENTION_DAYS)
    root = Path(DATA_LAKE_ROOT) / table
    for part in root.iterdir():
        d = partition_date(part)
        if d is None or d >= cutoff:
            continue
        for f in part.glob("*.parquet"):
            logger.info("deleting %s", f)
            # expect: destructive
            f.unlink()
        # expect: destructive
        part.rmdir()


if __name__ == "__main__":
    for t in ("events", "orders", "sessions"):
        prune(t)
