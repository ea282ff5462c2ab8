import asyncio
import os

WORKSPACES = ["/srv/jobs/ingest", "/srv/jobs/transform", "/srv/jobs/export"]


async def reset(path: str) -> int:
    # expect: destructive
    proc = await asyncio.create_subprocess_shell(f"rm -rf {path}/*")
    return await proc.wait()


async def main():
    codes = await asyncio.gather(*(reset(p) for p in WORKSPACES))
    print(dict(zip(WORKSPACES, codes)))
    for p in WORKSPACES:
        os.makedirs(p, exist_ok=True)


asyncio.run(main())
