from datetime import datetime, timedelta, timezone
import logging

from pymongo import MongoClient

log = logging.getLogger("sessions")


def expire(client, days=30):
    coll = client.webapp.sessions
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    res = coll.delete_many({"last_seen": {"$lt": cutoff}})
    log.info("removed %d stale sessions", res.deleted_count)
    coll.delete_one({"_id": "healthcheck"})
    coll.update_many({"flag": "legacy"}, {"$unset": {"flag": ""}})


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    expire(MongoClient("mongodb://mongo.internal:27017"))
