"""Show what would be cleaned from the working tree (dry run) and the size of ignored build dirs."""
import subprocess
from pathlib import Path


def main() -> None:
    preview = subprocess.run(["git", "clean", "-n", "-d", "-X"], capture_output=True, text=True, check=True).stdout
    paths = [line.removeprefix("Would remove ").strip() for line in preview.splitlines()]
    total = 0
    for p in paths:
        path = Path(p)
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size
        total += size
        print(f"{size / 1e6:9.1f} MB  {p}")
    print(f"{total / 1e9:.2f} GB would be freed by `git clean -fdX` (not run)")


if __name__ == "__main__":
    main()
