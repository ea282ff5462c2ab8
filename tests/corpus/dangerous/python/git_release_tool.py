"""release.py - cut a release of the monorepo.

Steps: verify the tree is clean, bump the version in pyproject.toml, write the
changelog section from conventional commits, tag, and publish. When the
release branch was rebased during review, `publish` has to rewrite the remote.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
CHANGELOG = ROOT / "CHANGELOG.md"
MAIN = "main"
SECTIONS = {"feat": "Features", "fix": "Bug fixes", "perf": "Performance", "docs": "Documentation"}


class ReleaseError(RuntimeError):
    pass


def _git(*args: str, capture: bool = False) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, check=True, text=True,
                            stdout=subprocess.PIPE if capture else None)
    return (result.stdout or "").strip()


def current_version() -> str:
    match = re.search(r'^version\s*=\s*"([^"]+)"', PYPROJECT.read_text(), re.M)
    if not match:
        raise ReleaseError("no version in pyproject.toml")
    return match.group(1)


def bump(version: str, part: str) -> str:
    major, minor, patch = (int(x) for x in version.split("."))
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def ensure_clean() -> None:
    status = _git("status", "--porcelain", capture=True)
    if status:
        raise ReleaseError("working tree is not clean:\n" + status)
    branch = _git("rev-parse", "--abbrev-ref", "HEAD", capture=True)
    if branch != MAIN:
        raise ReleaseError(f"releases are cut from {MAIN}, not {branch}")


def commits_since(tag: str | None) -> list[str]:
    rng = f"{tag}..HEAD" if tag else "HEAD"
    out = _git("log", rng, "--pretty=format:%s", capture=True)
    return [line for line in out.splitlines() if line]


def last_tag() -> str | None:
    try:
        return _git("describe", "--tags", "--abbrev=0", capture=True)
    except subprocess.CalledProcessError:
        return None


def changelog_section(version: str, subjects: list[str]) -> str:
    grouped: dict[str, list[str]] = {}
    for subject in subjects:
        match = re.match(r"(\w+)(\([^)]*\))?!?:\s*(.+)", subject)
        if not match or match.group(1) not in SECTIONS:
            continue
        grouped.setdefault(SECTIONS[match.group(1)], []).append(match.group(3))
    lines = [f"## {version} ({dt.date.today().isoformat()})", ""]
    for title in SECTIONS.values():
        if title in grouped:
            lines += [f"### {title}", ""] + [f"- {item}" for item in grouped[title]] + [""]
    return "\n".join(lines)


def write_files(new_version: str, section: str) -> None:
    text = PYPROJECT.read_text()
    PYPROJECT.write_text(re.sub(r'^version\s*=\s*"[^"]+"', f'version = "{new_version}"', text, count=1, flags=re.M))
    previous = CHANGELOG.read_text() if CHANGELOG.exists() else "# Changelog\n\n"
    head, _, rest = previous.partition("\n\n")
    CHANGELOG.write_text(f"{head}\n\n{section}\n{rest}")


def prepare(part: str, dry_run: bool) -> str:
    ensure_clean()
    old = current_version()
    new = bump(old, part)
    section = changelog_section(new, commits_since(last_tag()))
    print(section)
    if dry_run:
        print(f"(dry run) would release {old} -> {new}")
        return new
    write_files(new, section)
    _git("add", str(PYPROJECT), str(CHANGELOG))
    _git("commit", "-m", f"chore(release): {new}")
    _git("tag", "-a", f"v{new}", "-m", f"Release {new}")
    return new


def publish(version: str, rewritten: bool) -> None:
    if rewritten:
        # review rebased the release commits; the remote main has the old ones
        # expect: destructive
        _git("push", "--force", "origin", MAIN)
    else:
        _git("push", "origin", MAIN)
    _git("push", "origin", f"v{version}")
    print(f"published v{version}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("part", choices=["major", "minor", "patch"], nargs="?", default="patch")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--publish", action="store_true", help="push the commit and the tag")
    parser.add_argument("--rewritten", action="store_true", help="the release branch was rebased")
    args = parser.parse_args(argv)
    try:
        version = prepare(args.part, args.dry_run)
        if args.publish and not args.dry_run:
            publish(version, args.rewritten)
    except (ReleaseError, subprocess.CalledProcessError) as exc:
        print(f"release failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
