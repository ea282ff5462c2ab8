import argparse
import redis


def connect(host, port, db):
    return redis.Redis(host=host, port=port, db=db, decode_responses=True)


def main():
    ap = argparse.ArgumentParser(description="Clear the product cache after a catalogue import")
    ap.add_argument("--host", default="cache.prod.internal")
    ap.add_argument("--port", type=int, default=6379)
    ap.add_argument("--db", type=int, default=0)
    args = ap.parse_args()

    r = connect(args.host, args.port, args.db)
    info = r.info("keyspace")
    print("keyspace before:", info)
    # expect: destructive
    r.flushall()
    print("cache cleared")


if __name__ == "__main__":
    main()
