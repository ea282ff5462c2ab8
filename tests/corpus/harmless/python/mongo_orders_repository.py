"""Repository for order documents in MongoDB (motor, async).

Single-document operations only; bulk operations always carry a filter.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, AsyncIterator

from bson import ObjectId
from motor.motor_asyncio import AsyncIOMotorClient, AsyncIOMotorCollection
from pymongo import ASCENDING, DESCENDING, ReturnDocument

log = logging.getLogger(__name__)


class OrderRepository:
    def __init__(self, client: AsyncIOMotorClient, db: str = "shop") -> None:
        self.orders: AsyncIOMotorCollection = client[db]["orders"]
        self.archive: AsyncIOMotorCollection = client[db]["orders_archive"]

    async def ensure_indexes(self) -> None:
        await self.orders.create_index([("customer_id", ASCENDING), ("created_at", DESCENDING)])
        await self.orders.create_index([("status", ASCENDING)])
        await self.orders.create_index([("deleted_at", ASCENDING)], sparse=True)

    async def create(self, customer_id: str, lines: list[dict[str, Any]]) -> str:
        now = dt.datetime.now(dt.timezone.utc)
        doc = {"customer_id": customer_id, "lines": lines, "status": "pending",
               "total_cents": sum(l["unit_cents"] * l["qty"] for l in lines),
               "created_at": now, "updated_at": now, "deleted_at": None}
        result = await self.orders.insert_one(doc)
        return str(result.inserted_id)

    async def get(self, order_id: str) -> dict[str, Any] | None:
        return await self.orders.find_one({"_id": ObjectId(order_id), "deleted_at": None})

    async def for_customer(self, customer_id: str, limit: int = 20) -> AsyncIterator[dict[str, Any]]:
        cursor = self.orders.find({"customer_id": customer_id, "deleted_at": None}).sort("created_at", -1).limit(limit)
        async for doc in cursor:
            yield doc

    async def set_status(self, order_id: str, status: str) -> dict[str, Any] | None:
        return await self.orders.find_one_and_update(
            {"_id": ObjectId(order_id)},
            {"$set": {"status": status, "updated_at": dt.datetime.now(dt.timezone.utc)}},
            return_document=ReturnDocument.AFTER,
        )

    async def delete(self, order_id: str) -> bool:
        """Soft-delete one order."""
        result = await self.orders.update_one(
            {"_id": ObjectId(order_id), "deleted_at": None},
            {"$set": {"deleted_at": dt.datetime.now(dt.timezone.utc)}},
        )
        return result.modified_count == 1

    async def hard_delete(self, order_id: str) -> bool:
        """Remove one order document (only used for test orders created by QA)."""
        result = await self.orders.delete_one({"_id": ObjectId(order_id), "is_test": True})
        return result.deleted_count == 1

    async def cancel_stale_pending(self, older_than: dt.timedelta) -> int:
        cutoff = dt.datetime.now(dt.timezone.utc) - older_than
        result = await self.orders.update_many(
            {"status": "pending", "created_at": {"$lt": cutoff}},
            {"$set": {"status": "cancelled", "updated_at": dt.datetime.now(dt.timezone.utc)}},
        )
        log.info("cancelled %d stale pending orders", result.modified_count)
        return result.modified_count

    async def archive_delivered(self, before: dt.datetime, batch: int = 1000) -> int:
        """Move delivered orders older than `before` to orders_archive."""
        moved = 0
        while True:
            docs = await self.orders.find({"status": "delivered", "updated_at": {"$lt": before}}).limit(batch).to_list(batch)
            if not docs:
                return moved
            await self.archive.insert_many(docs, ordered=False)
            ids = [d["_id"] for d in docs]
            result = await self.orders.delete_many({"_id": {"$in": ids}})
            moved += result.deleted_count
            log.info("archived %d orders so far", moved)
