import asyncpg


class UserRepo:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def get(self, user_id: int):
        return await self.pool.fetchrow("SELECT id, email FROM users WHERE id = $1", user_id)

    async def rename(self, user_id: int, name: str) -> None:
        await self.pool.execute("UPDATE users SET display_name = $2 WHERE id = $1", user_id, name)

    async def remove(self, user_id: int) -> None:
        await self.pool.execute("DELETE FROM users WHERE id = $1", user_id)
