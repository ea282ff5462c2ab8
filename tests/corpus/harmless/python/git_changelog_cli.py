#!/usr/bin/env python3
"""changelog: generate release notes from git history.

    changelog.py [--from TAG] [--to REF] [--format md|json] [--fetch]

Reads commits (git log), groups them by conventional-commit type, links PRs.
Only read-only git commands plus `git fetch --tags`; it never rewrites history,
never pushes, never deletes branches (see `--help` of git-cleanup for that).
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, asdict

TYPES = {
    "feat": "✨ Features",
    "fix": "🐛 Fixes",
    "perf": "⚡ Performance",
    "refactor": "♻️ Refactoring",
    "docs": "📝 Docs",
    "revert": "⏪ Reverts",
}
SUBJECT_RE = re.compile(r"^(?P<type>\w+)(?:\((?P<scope>[^)]+)\))?(?P<breaking>!)?: (?P<desc>.+)$")
PR_RE = re.compile(r"\(#(\d+)\)$")
SEP = "\x1f"


@dataclass
class Commit:
    sha: str
    author: str
    subject: str
    type: str
    scope: str | None
    breaking: bool
    pr: int | None


def git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def latest_tag() -> str | None:
    try:
        return git("describe", "--tags", "--abbrev=0").strip()
    except subprocess.CalledProcessError:
        return None


def commits(rev_from: str | None, rev_to: str) -> list[Commit]:
    rng = f"{rev_from}..{rev_to}" if rev_from else rev_to
    out = git("log", rng, "--no-merges", f"--pretty=format:%H{SEP}%an{SEP}%s{SEP}%b%x1e")
    result = []
    for record in filter(None, (r.strip() for r in out.split("\x1e"))):
        sha, author, subject, body = (record.split(SEP) + ["", "", "", ""])[:4]
        match = SUBJECT_RE.match(subject)
        if not match:
            continue
        pr = PR_RE.search(subject)
        result.append(Commit(
            sha=sha[:10], author=author, subject=match["desc"], type=match["type"], scope=match["scope"],
            breaking=bool(match["breaking"]) or "BREAKING CHANGE" in body, pr=int(pr.group(1)) if pr else None,
        ))
    return result


def remote_url() -> str:
    url = git("remote", "get-url", "origin").strip()
    url = re.sub(r"^git@([^:]+):", r"https://\1/", url)
    return url.removesuffix(".git")


def render_markdown(items: list[Commit], title: str) -> str:
    base = remote_url()
    grouped: dict[str, list[Commit]] = defaultdict(list)
    for c in items:
        if c.type in TYPES:
            grouped[c.type].append(c)
    lines = [f"# {title}", ""]
    breaking = [c for c in items if c.breaking]
    if breaking:
        lines += ["## ⚠️ Breaking changes", ""] + [f"- {c.subject}" for c in breaking] + [""]
    for key, heading in TYPES.items():
        if not grouped.get(key):
            continue
        lines += [f"## {heading}", ""]
        for c in grouped[key]:
            scope = f"**{c.scope}:** " if c.scope else ""
            link = f" ([#{c.pr}]({base}/pull/{c.pr}))" if c.pr else f" ({c.sha})"
            lines.append(f"- {scope}{c.subject}{link}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="rev_from")
    parser.add_argument("--to", dest="rev_to", default="HEAD")
    parser.add_argument("--format", choices=["md", "json"], default="md")
    parser.add_argument("--fetch", action="store_true", help="git fetch --tags first")
    parser.add_argument("--title", default="Unreleased")
    args = parser.parse_args(argv)
    if args.fetch:
        subprocess.run(["git", "fetch", "--tags", "--quiet", "origin"], check=True)
    items = commits(args.rev_from or latest_tag(), args.rev_to)
    if args.format == "json":
        json.dump([asdict(c) for c in items], sys.stdout, indent=2, ensure_ascii=False)
    else:
        print(render_markdown(items, args.title))
    return 0


if __name__ == "__main__":
    sys.exit(main())
