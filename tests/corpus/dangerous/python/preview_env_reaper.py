"""Reap preview environments whose pull request is closed.

Each PR gets a namespace `pr-<number>` in the staging cluster. This job runs
hourly from a CronJob; it asks GitHub which PRs are still open and removes the
namespaces of the rest.
"""
from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass

import requests

log = logging.getLogger("preview-reaper")

REPO = os.environ.get("GITHUB_REPOSITORY", "acme/storefront")
KUBE_CONTEXT = os.environ.get("KUBE_CONTEXT", "staging")
NAMESPACE_RE = re.compile(r"^pr-(\d+)$")
PROTECTED = {"pr-0", "pr-main"}


@dataclass
class Namespace:
    name: str
    pr: int
    created: str


def kubectl(*args: str) -> str:
    cmd = ["kubectl", "--context", KUBE_CONTEXT, *args]
    log.debug("running %s", " ".join(cmd))
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def preview_namespaces() -> list[Namespace]:
    data = json.loads(kubectl("get", "namespaces", "-o", "json"))
    found = []
    for item in data["items"]:
        name = item["metadata"]["name"]
        match = NAMESPACE_RE.match(name)
        if match and name not in PROTECTED:
            found.append(Namespace(name, int(match.group(1)), item["metadata"]["creationTimestamp"]))
    return found


def open_pull_requests() -> set[int]:
    numbers: set[int] = set()
    url = f"https://api.github.com/repos/{REPO}/pulls"
    page = 1
    while True:
        response = requests.get(url, params={"state": "open", "per_page": 100, "page": page}, timeout=20)
        response.raise_for_status()
        batch = response.json()
        numbers.update(pr["number"] for pr in batch)
        if len(batch) < 100:
            return numbers
        page += 1


def release_name(ns: Namespace) -> str:
    return f"storefront-{ns.name}"


def reap(ns: Namespace, dry_run: bool) -> None:
    if dry_run:
        log.info("[dry-run] would remove %s (PR #%d, created %s)", ns.name, ns.pr, ns.created)
        return
    log.info("removing preview environment %s", ns.name)
    # expect: destructive
    subprocess.run(["kubectl", "--context", KUBE_CONTEXT, "delete", "namespace", ns.name, "--wait=false"], check=True)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    dry_run = os.environ.get("DRY_RUN", "false").lower() == "true"
    try:
        open_prs = open_pull_requests()
    except requests.RequestException:
        log.exception("cannot reach GitHub; not reaping anything")
        return 1
    namespaces = preview_namespaces()
    stale = [ns for ns in namespaces if ns.pr not in open_prs]
    log.info("%d preview namespaces, %d open PRs, %d stale", len(namespaces), len(open_prs), len(stale))
    failures = 0
    for ns in stale:
        try:
            reap(ns, dry_run)
        except subprocess.CalledProcessError as exc:
            failures += 1
            log.error("failed to remove %s: %s", ns.name, exc.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
