"""Nightly: remove expired password-reset tokens and mark stale invitations."""
from datetime import datetime, timedelta, timezone
import os

from pymongo import MongoClient

client = MongoClient(os.environ.get("MONGO_URL", "mongodb://localhost:27017"))
db = client.accounts
now = datetime.now(timezone.utc)

expired = db.reset_tokens.delete_many({"expires_at": {"$lt": now}})
print("expired reset tokens removed:", expired.deleted_count)

stale = db.invitations.update_many(
    {"status": "pending", "sent_at": {"$lt": now - timedelta(days=30)}},
    {"$set": {"status": "expired", "expired_at": now}},
)
print("invitations expired:", stale.modified_count)

db.reset_tokens.create_index("expires_at", expireAfterSeconds=0)
db.audit.insert_one({"job": "expire_tokens", "at": now, "removed": expired.deleted_count})
