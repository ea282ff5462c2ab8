"""Commit the generated client and push it on a new feature branch, then open a PR with gh."""
import subprocess
import sys
from datetime import date

BRANCH = f"chore/regen-api-client-{date.today():%Y%m%d}"


def git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout.strip()


def main() -> int:
    if git("status", "--porcelain", "clients/"):
        git("checkout", "-b", BRANCH)
        git("add", "clients/")
        git("commit", "-m", "chore: regenerate API client from openapi.yaml")
        git("push", "--set-upstream", "origin", BRANCH)
        subprocess.run(["gh", "pr", "create", "--fill", "--base", "main"], check=True)
    else:
        print("client already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
