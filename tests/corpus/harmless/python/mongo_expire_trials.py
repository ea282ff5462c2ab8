"""Expire trial accounts that ended more than 30 days ago."""
import logging
import os
from datetime import datetime, timedelta, timezone

from bson import ObjectId
from pymongo import MongoClient

log = logging.getLogger(__name__)
db = MongoClient(os.environ["MONGO_URI"])["saas"]


def expire_trials(days: int = 30) -> int:
    cutoff = datetime.now(timezone.utc) - timedelta(days=days)
    res = db.accounts.update_many(
        {"plan": "trial", "trial_ends_at": {"$lt": cutoff}, "status": "active"},
        {"$set": {"status": "expired"}},
    )
    log.info("expired %d trial accounts", res.modified_count)
    removed = db.trial_invites.delete_many({"created_at": {"$lt": cutoff}, "accepted": False})
    log.info("deleted %d stale invites", removed.deleted_count)
    return res.modified_count


def delete_account(account_id: str) -> None:
    db.accounts.delete_one({"_id": ObjectId(account_id)})


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    expire_trials()
