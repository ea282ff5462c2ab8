"""Clean up old data: remove guest carts that have not been touched for 30 days."""
import os
from datetime import datetime, timedelta, timezone

from pymongo import MongoClient


def main(dry_run: bool = True) -> None:
    db = MongoClient(os.environ["MONGO_URI"])["shop"]
    cutoff = datetime.now(timezone.utc) - timedelta(days=30)
    query = {"customer_id": None, "updated_at": {"$lt": cutoff}, "status": {"$in": ["open", "abandoned"]}}
    n = db.carts.count_documents(query)
    print(f"{n} guest carts older than {cutoff:%Y-%m-%d}")
    if dry_run:
        print("dry run, pass --apply to delete")
        return
    result = db.carts.delete_many(query)
    print(f"deleted {result.deleted_count}")


if __name__ == "__main__":
    import sys
    main(dry_run="--apply" not in sys.argv)
