import aiomysql


async def expire_pending(pool: aiomysql.Pool, cutoff) -> int:
    async with pool.acquire() as conn:
        async with conn.cursor() as cur:
            await cur.execute(
                "UPDATE orders SET status = 'expired' WHERE status = 'pending' AND created_at < %s",
                (cutoff,),
            )
            await conn.commit()
            return cur.rowcount
