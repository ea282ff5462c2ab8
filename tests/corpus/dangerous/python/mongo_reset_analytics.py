"""Reset the analytics Mongo database before replaying events from Kafka."""
import os

from pymongo import MongoClient

MONGO_URI = os.getenv("MONGO_URI", "mongodb://mongo.internal:27017")
DB_NAME = "analytics"


def reset(client: MongoClient) -> None:
    db = client[DB_NAME]
    print("collections before reset:", db.list_collection_names())
    # expect: destructive
    db.page_views.delete_many({})
    # expect: destructive
    db.drop_collection("sessions")
    # expect: destructive
    client.drop_database("analytics_archive")


def ensure_indexes(client: MongoClient) -> None:
    db = client[DB_NAME]
    db.page_views.create_index([("user_id", 1), ("ts", -1)])
    db.sessions.create_index("expires_at", expireAfterSeconds=0)


if __name__ == "__main__":
    client = MongoClient(MONGO_URI)
    reset(client)
    ensure_indexes(client)
    print("ready for replay")
