from datetime import datetime, timedelta, timezone

from pymongo import MongoClient

client = MongoClient("mongodb://mongo.internal:27017")
carts = client.shop.carts


def expire_abandoned(days: int = 30) -> int:
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    res = carts.delete_many({"status": "abandoned", "updated_at": {"$lt": cutoff}})
    return res.deleted_count


def remove_cart(cart_id) -> None:
    carts.delete_one({"_id": cart_id})


if __name__ == "__main__":
    print("expired", expire_abandoned())
