"""Poll the public status endpoints of our upstream providers and print a summary.

    python status_poller.py [--watch 60] [--json]

Only GET requests to fixed, public status URLs; nothing is sent anywhere.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import time
from dataclasses import asdict, dataclass

import httpx

PROVIDERS = {
    "github": "https://www.githubstatus.com/api/v2/status.json",
    "stripe": "https://status.stripe.com/current",
    "cloudflare": "https://www.cloudflarestatus.com/api/v2/status.json",
    "atlassian": "https://status.atlassian.com/api/v2/status.json",
    "datadog": "https://status.datadoghq.com/api/v2/status.json",
}
INDICATOR_RANK = {"none": 0, "minor": 1, "major": 2, "critical": 3}


@dataclass
class Result:
    provider: str
    ok: bool
    indicator: str
    description: str
    latency_ms: int
    checked_at: str


async def check(client: httpx.AsyncClient, name: str, url: str) -> Result:
    started = time.perf_counter()
    try:
        response = await client.get(url)
        latency = int((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        data = response.json()
        status = data.get("status", {}) if isinstance(data, dict) else {}
        indicator = status.get("indicator", "none")
        description = status.get("description", "ok")
        ok = INDICATOR_RANK.get(indicator, 3) == 0
    except (httpx.HTTPError, ValueError) as exc:
        latency = int((time.perf_counter() - started) * 1000)
        indicator, description, ok = "unknown", f"{type(exc).__name__}: {exc}", False
    return Result(name, ok, indicator, description, latency, dt.datetime.now(dt.timezone.utc).isoformat())


async def check_all() -> list[Result]:
    limits = httpx.Limits(max_connections=10)
    async with httpx.AsyncClient(timeout=10, limits=limits, headers={"User-Agent": "acme-status-poller/1.2"},
                                 follow_redirects=True) as client:
        return await asyncio.gather(*(check(client, n, u) for n, u in PROVIDERS.items()))


def render(results: list[Result]) -> str:
    lines = []
    for r in sorted(results, key=lambda r: (r.ok, r.provider)):
        mark = "✅" if r.ok else "❌"
        lines.append(f"{mark} {r.provider:<11} {r.indicator:<8} {r.latency_ms:>5} ms  {r.description}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--watch", type=int, default=0, help="repeat every N seconds")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    while True:
        results = asyncio.run(check_all())
        if args.json:
            print(json.dumps([asdict(r) for r in results], indent=2))
        else:
            print(render(results))
        if not args.watch:
            return 0 if all(r.ok for r in results) else 1
        time.sleep(args.watch)
        print()


if __name__ == "__main__":
    sys.exit(main())
