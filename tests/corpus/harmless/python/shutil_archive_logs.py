"""Pack yesterday's logs into a tarball next to them (the originals stay)."""
import datetime as dt
import shutil
from pathlib import Path

LOG_DIR = Path("/var/log/app")


def archive(day: dt.date) -> Path:
    stamp = day.strftime("%Y-%m-%d")
    staging = Path("/tmp") / f"logs-{stamp}"
    staging.mkdir(parents=True, exist_ok=True)
    for f in LOG_DIR.glob(f"*{stamp}*.log"):
        shutil.copy2(f, staging / f.name)
    out = shutil.make_archive(str(LOG_DIR / "archive" / stamp), "gztar", root_dir=staging)
    shutil.rmtree(staging)
    return Path(out)


if __name__ == "__main__":
    print(archive(dt.date.today() - dt.timedelta(days=1)))
