import asyncio

from motor.motor_asyncio import AsyncIOMotorClient

MONGO_URI = "mongodb://mongo.internal:27017"


async def reset_events() -> None:
    client = AsyncIOMotorClient(MONGO_URI)
    db = client["telemetry"]
    count = await db.events.count_documents({})
    print(f"clearing {count} events")
    # expect: destructive
    result = await db.events.delete_many({})
    print("deleted", result.deleted_count)


asyncio.run(reset_events())
