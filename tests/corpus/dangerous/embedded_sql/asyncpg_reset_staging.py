import asyncio
import os

import asyncpg

TABLES = ["staging.orders", "staging.order_items"]


async def reset(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        async with conn.transaction():
            # expect: destructive
            await conn.execute("TRUNCATE TABLE staging.orders, staging.order_items RESTART IDENTITY CASCADE")
            await conn.execute("INSERT INTO staging.load_log(event) VALUES ('reset')")


async def main() -> None:
    pool = await asyncpg.create_pool(dsn=os.environ["PG_DSN"], min_size=1, max_size=2)
    try:
        await reset(pool)
    finally:
        await pool.close()


if __name__ == "__main__":
    asyncio.run(main())
