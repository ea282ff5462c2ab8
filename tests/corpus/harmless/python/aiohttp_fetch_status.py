import asyncio

import aiohttp

STATUS_PAGES = [
    "https://www.githubstatus.com/api/v2/status.json",
    "https://status.slack.com/api/v2.0.0/current",
    "https://status.cloud.google.com/incidents.json",
]


async def fetch(session: aiohttp.ClientSession, url: str) -> tuple[str, int]:
    async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as resp:
        await resp.read()
        return url, resp.status


async def main() -> None:
    async with aiohttp.ClientSession() as session:
        results = await asyncio.gather(*(fetch(session, u) for u in STATUS_PAGES), return_exceptions=True)
    for r in results:
        print(r)


if __name__ == "__main__":
    asyncio.run(main())
