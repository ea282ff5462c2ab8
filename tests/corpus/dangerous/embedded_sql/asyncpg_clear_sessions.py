import asyncio
import os

import asyncpg


async def logout_everyone() -> None:
    conn = await asyncpg.connect(os.environ["AUTH_DB_DSN"])
    try:
        active = await conn.fetchval("SELECT count(*) FROM auth.sessions")
        print(f"ending {active} sessions")
        # expect: destructive
        await conn.execute("TRUNCATE TABLE auth.sessions RESTART IDENTITY")
    finally:
        await conn.close()


if __name__ == "__main__":
    asyncio.run(logout_everyone())
