import asyncpg


class OrderRepository:
    def __init__(self, pool: asyncpg.Pool):
        self.pool = pool

    async def get(self, order_id: int):
        async with self.pool.acquire() as conn:
            return await conn.fetchrow("SELECT * FROM orders WHERE id = $1", order_id)

    async def recent(self, customer_id: int, limit: int = 20):
        async with self.pool.acquire() as conn:
            return await conn.fetch(
                "SELECT id, total, status FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2",
                customer_id, limit,
            )

    async def cancel(self, order_id: int) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute("UPDATE orders SET status = 'cancelled' WHERE id = $1 AND status = 'pending'", order_id)

    async def remove_line(self, order_id: int, line_no: int) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute("DELETE FROM order_lines WHERE order_id = $1 AND line_no = $2", order_id, line_no)
