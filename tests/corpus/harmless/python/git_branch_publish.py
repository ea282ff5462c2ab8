import subprocess
import sys


def sh(*args: str) -> str:
    return subprocess.run(list(args), check=True, capture_output=True, text=True).stdout.strip()


def main() -> int:
    branch = sh("git", "rev-parse", "--abbrev-ref", "HEAD")
    if branch in ("main", "master"):
        print("refusing to publish from", branch)
        return 1
    dirty = sh("git", "status", "--porcelain")
    if dirty:
        print("commit your changes first")
        return 1
    subprocess.run(["git", "fetch", "origin"], check=True)
    subprocess.run(["git", "rebase", f"origin/main"], check=True)
    subprocess.run(["git", "push", "--set-upstream", "origin", branch], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
