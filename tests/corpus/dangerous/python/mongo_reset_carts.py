"""Carts have the old schema after the migration; the quickest fix is to empty them."""
import os
import sys

from pymongo import MongoClient

client = MongoClient(os.environ.get("MONGO_URL", "mongodb://shop-db.internal:27017"))
db = client["shop"]

old = db.carts.count_documents({"schema_version": {"$lt": 3}})
total = db.carts.estimated_document_count()
print(f"{old} of {total} carts have the old schema")
if input("empty the carts collection? [y/N] ").strip().lower() != "y":
    sys.exit(0)

# expect: destructive
result = db.carts.delete_many({})
print("deleted", result.deleted_count)
db.carts.create_index([("user_id", 1)], unique=True)
