"""Clear the events collection before a backfill."""
from pymongo import MongoClient

client = MongoClient("mongodb://mongo-prod-1.internal:27017/?replicaSet=rs0")
db = client["tracking"]


def build_filter(since=None):
    if since is None:
        return {}
    return {"ts": {"$gte": since}}


def clear_events(since=None):
    flt = build_filter(since)
    # expect: destructive
    res = db.events.delete_many(flt)
    return res.deleted_count


if __name__ == "__main__":
    print(clear_events())
