"""Generate the on-call runbook (docs/runbooks/*.md) from runbooks.yaml.

The runbooks *describe* dangerous commands for humans to run deliberately
(after a second pair of eyes); this script only renders text. It does not
execute anything it prints.
"""
from __future__ import annotations

import argparse
import datetime as dt
import textwrap
from pathlib import Path

import yaml

TEMPLATE = """\
# {title}

_Owner: {owner} · Last reviewed: {reviewed} · Severity: {severity}_

## When to use
{when}

## Before you start
- Announce in #incidents what you are about to do.
- Make sure a fresh backup exists (`backup-status {service}`).
- Get a second engineer to read the commands below with you.

## Steps
{steps}

## Rollback
{rollback}
"""

DANGER_NOTE = "> ⚠️ **Destructive.** This step deletes data. Double-check the target before running it."

BUILTIN = [
    {
        "slug": "reset-staging-db",
        "title": "Reset the staging database",
        "owner": "platform",
        "severity": "low",
        "service": "staging-db",
        "when": "Staging data is corrupted beyond repair.",
        "steps": [
            {"text": "Scale the staging app down", "cmd": "kubectl -n staging scale deploy/api --replicas=0"},
            {"text": "Drop and recreate the database", "cmd": "dropdb app_staging && createdb app_staging",
             "danger": True},
            {"text": "Restore last night's anonymised dump", "cmd": "pg_restore -d app_staging latest.dump"},
        ],
        "rollback": "Nothing to roll back; staging is disposable.",
    },
    {
        "slug": "purge-cdn-cache",
        "title": "Purge the CDN cache",
        "owner": "web",
        "severity": "medium",
        "service": "cdn",
        "when": "A bad asset was published and is cached at the edge.",
        "steps": [
            {"text": "Purge one path", "cmd": "cdnctl purge --path /assets/app.js"},
            {"text": "Only if that is not enough: purge everything", "cmd": "cdnctl purge --all --force",
             "danger": True},
        ],
        "rollback": "None; the cache refills on demand.",
    },
    {
        "slug": "remove-stuck-queue",
        "title": "Remove a stuck RabbitMQ queue",
        "owner": "platform",
        "severity": "high",
        "service": "rabbitmq",
        "when": "A queue has no consumers and blocks the vhost.",
        "steps": [
            {"text": "Inspect it", "cmd": "rabbitmqctl list_queues name messages consumers"},
            {"text": "Delete it", "cmd": "rabbitmqctl delete_queue stuck.queue.name", "danger": True},
        ],
        "rollback": "Redeploy the producer; it declares the queue again.",
    },
]


def render_steps(steps: list[dict]) -> str:
    out = []
    for n, step in enumerate(steps, 1):
        out.append(f"{n}. {step['text']}")
        if step.get("danger"):
            out.append(textwrap.indent(DANGER_NOTE, "   "))
        out.append(textwrap.indent(f"```bash\n{step['cmd']}\n```", "   "))
    return "\n".join(out)


def render(book: dict) -> str:
    return TEMPLATE.format(
        title=book["title"], owner=book["owner"], severity=book["severity"], service=book["service"],
        reviewed=book.get("reviewed", dt.date.today().isoformat()), when=book["when"],
        steps=render_steps(book["steps"]), rollback=book["rollback"],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, help="runbooks.yaml (defaults to the built-in examples)")
    parser.add_argument("--out", type=Path, default=Path("docs/runbooks/generated"))
    args = parser.parse_args(argv)
    books = yaml.safe_load(args.source.read_text()) if args.source else BUILTIN
    args.out.mkdir(parents=True, exist_ok=True)
    index = ["# Runbooks", ""]
    for book in books:
        path = args.out / f"{book['slug']}.md"
        path.write_text(render(book), encoding="utf-8")
        index.append(f"- [{book['title']}]({path.name}) — {book['severity']}")
        print("wrote", path)
    (args.out / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
