"""Dev helper: rebuild the database schema from the SQLAlchemy models.

    python -m app.scripts.reset_db
"""
import asyncio
import os

from sqlalchemy.ext.asyncio import create_async_engine

from app.models import Base

DATABASE_URL = os.getenv("DATABASE_URL", "postgresql+asyncpg://app:app@db:5432/app")


async def reset() -> None:
    engine = create_async_engine(DATABASE_URL, echo=True)
    async with engine.begin() as conn:
        # expect: destructive
        await conn.run_sync(Base.metadata.drop_all)
        await conn.run_sync(Base.metadata.create_all)
    await engine.dispose()
    print("schema recreated")


if __name__ == "__main__":
    asyncio.run(reset())
