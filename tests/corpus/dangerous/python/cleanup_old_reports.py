"""Keep only the 30 most recent report runs in reports/ (they pile up on the shared drive)."""
import os
import shutil
from pathlib import Path

REPORTS = Path("/mnt/shared/finance/reports")
KEEP = 30


def main() -> None:
    runs = sorted((p for p in REPORTS.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for run in runs[:-KEEP]:
        print("removing", run)
        # expect: destructive
        shutil.rmtree(run)
    for stray in REPORTS.glob("*.xlsx"):
        # expect: destructive
        os.remove(stray)


if __name__ == "__main__":
    main()
