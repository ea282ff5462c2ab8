"""Re-import the product catalog from the supplier feed.

The old collection has stale SKUs, so drop it and load the feed again.
"""
import json
import os

from pymongo import MongoClient, UpdateOne

client = MongoClient(os.environ["MONGO_URI"])
db = client["shop"]


def load_feed(path="feeds/catalog.jsonl"):
    with open(path) as fh:
        return [json.loads(line) for line in fh]


def main():
    products = load_feed()
    # expect: destructive
    db.drop_collection("products")
    db.products.create_index("sku", unique=True)
    ops = [UpdateOne({"sku": p["sku"]}, {"$set": p}, upsert=True) for p in products]
    result = db.products.bulk_write(ops)
    print("upserted", result.upserted_count)
    # the price history refers to old SKUs too
    # expect: destructive
    db.price_history.delete_many({})


if __name__ == "__main__":
    main()
