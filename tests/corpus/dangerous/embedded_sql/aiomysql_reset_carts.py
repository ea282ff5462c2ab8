import asyncio

import aiomysql


async def reset_carts(loop):
    pool = await aiomysql.create_pool(host="mysql.internal", user="shop", password="x",
                                      db="shop", loop=loop)
    async with pool.acquire() as conn:
        async with conn.cursor() as cur:
            # expect: destructive
            await cur.execute("DELETE FROM cart_items WHERE 1=1")
            await conn.commit()
    pool.close()
    await pool.wait_closed()


loop = asyncio.get_event_loop()
loop.run_until_complete(reset_carts(loop))
