"""Rebuild the release branch from develop and publish it."""
import sys

from git import Repo

REPO_PATH = "."
TARGET = "release"


def publish(repo: Repo, force: bool) -> None:
    origin = repo.remote("origin")
    origin.fetch()
    repo.git.checkout("-B", TARGET, "origin/develop")
    flags = ["--force"] if force else []
    # expect: destructive
    repo.git.push("origin", TARGET, *flags)


if __name__ == "__main__":
    publish(Repo(REPO_PATH), force=True)
    print("published", TARGET, file=sys.stderr)
