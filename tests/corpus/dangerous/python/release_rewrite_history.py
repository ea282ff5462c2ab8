"""Squash the release branch into one commit and publish it."""
import subprocess
import sys


def git(*args: str) -> str:
    out = subprocess.run(["git", *args], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def main(version: str) -> None:
    git("checkout", "main")
    base = git("merge-base", "main", "origin/main")
    git("reset", "--soft", base)
    git("commit", "-m", f"release {version}")
    # expect: destructive
    subprocess.run(["git", "push", "--force", "origin", "main"], check=True)


if __name__ == "__main__":
    main(sys.argv[1])
