"""MongoDB-backed session store for the support portal.

Sessions live in `portal.sessions` with a TTL index on `expires_at`. The admin
CLI at the bottom lets on-call inspect and reset sessions.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import secrets
import sys
from typing import Any

from pymongo import ASCENDING, MongoClient, ReturnDocument
from pymongo.collection import Collection

log = logging.getLogger(__name__)

MONGO_URI = os.environ.get("MONGO_URI", "mongodb://localhost:27017")
SESSION_TTL = dt.timedelta(hours=12)


class SessionStore:
    def __init__(self, uri: str = MONGO_URI, database: str = "portal") -> None:
        self.client = MongoClient(uri, serverSelectionTimeoutMS=5000)
        self.collection: Collection = self.client[database]["sessions"]

    def ensure_indexes(self) -> None:
        self.collection.create_index([("expires_at", ASCENDING)], expireAfterSeconds=0)
        self.collection.create_index([("user_id", ASCENDING)])
        self.collection.create_index([("token", ASCENDING)], unique=True)

    def create(self, user_id: str, data: dict[str, Any] | None = None) -> str:
        token = secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.timezone.utc)
        self.collection.insert_one({
            "token": token,
            "user_id": user_id,
            "data": data or {},
            "created_at": now,
            "expires_at": now + SESSION_TTL,
        })
        return token

    def get(self, token: str) -> dict[str, Any] | None:
        doc = self.collection.find_one({"token": token})
        if doc and doc["expires_at"].replace(tzinfo=dt.timezone.utc) < dt.datetime.now(dt.timezone.utc):
            return None
        return doc

    def touch(self, token: str) -> dict[str, Any] | None:
        return self.collection.find_one_and_update(
            {"token": token},
            {"$set": {"expires_at": dt.datetime.now(dt.timezone.utc) + SESSION_TTL}},
            return_document=ReturnDocument.AFTER,
        )

    def delete(self, token: str) -> bool:
        """Log one session out."""
        return self.collection.delete_one({"token": token}).deleted_count == 1

    def delete_for_user(self, user_id: str) -> int:
        """Log a user out everywhere (password change, account lock)."""
        return self.collection.delete_many({"user_id": user_id}).deleted_count

    def count_active(self) -> int:
        return self.collection.count_documents({"expires_at": {"$gt": dt.datetime.now(dt.timezone.utc)}})

    def reset(self) -> int:
        """Invalidate every session (after rotating the signing key)."""
        # expect: destructive
        result = self.collection.delete_many({})
        log.warning("removed %d sessions", result.deleted_count)
        return result.deleted_count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="support-portal session admin")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("stats")
    kick = sub.add_parser("kick", help="log one user out everywhere")
    kick.add_argument("user_id")
    sub.add_parser("reset", help="log everybody out")
    sub.add_parser("indexes")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO)
    store = SessionStore()
    if args.cmd == "stats":
        print("active sessions:", store.count_active())
    elif args.cmd == "kick":
        print("removed", store.delete_for_user(args.user_id), "sessions")
    elif args.cmd == "reset":
        print("removed", store.reset(), "sessions")
    elif args.cmd == "indexes":
        store.ensure_indexes()
    return 0


if __name__ == "__main__":
    sys.exit(main())
