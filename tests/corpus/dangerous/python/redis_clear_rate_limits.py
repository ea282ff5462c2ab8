"""Ops helper: customers are stuck behind the rate limiter after the incident; reset it."""
import argparse
import os

import redis


def main() -> None:
    parser = argparse.ArgumentParser(description="reset API rate limit counters")
    parser.add_argument("--db", type=int, default=2, help="the rate limiter's logical database")
    args = parser.parse_args()

    r = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://cache-0.internal:6379"), db=args.db)
    before = r.dbsize()
    print(f"db {args.db}: {before} keys, sample:", [k.decode() for k in r.scan(count=10)[1]])
    # expect: destructive
    r.flushdb()
    print(f"db {args.db}: cleared {before} keys")


if __name__ == "__main__":
    main()
