"""Deduplicate the customers collection (same email, different _id).

Keeps the most recently updated document per email: read everything, dedupe in
memory, wipe the collection and insert the clean set back.
"""
import os

from pymongo import MongoClient

client = MongoClient(os.environ["MONGO_URI"])
customers = client["crm"]["customers"]


def main() -> None:
    docs = list(customers.find({}))
    latest = {}
    for doc in docs:
        key = (doc.get("email") or "").strip().lower()
        if not key:
            continue
        if key not in latest or doc.get("updated_at") > latest[key].get("updated_at"):
            latest[key] = doc
    print(f"{len(docs)} docs -> {len(latest)} unique emails")
    # expect: destructive
    customers.delete_many({})
    customers.insert_many(list(latest.values()))
    customers.create_index("email", unique=True)


if __name__ == "__main__":
    main()
