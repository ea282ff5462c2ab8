"""Remove the `new_checkout` feature flag from the flag store (Redis).

Only that key is deleted; the CLI asks for confirmation unless --yes is given.
"""
import argparse
import os

import redis


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("flag", nargs="?", default="new_checkout")
    parser.add_argument("--yes", action="store_true")
    args = parser.parse_args()

    r = redis.Redis.from_url(os.environ.get("FLAGS_REDIS_URL", "redis://localhost:6379/3"))
    key = f"flag:{args.flag}"
    current = r.hgetall(key)
    if not current:
        print(f"{key} not found, nothing to do")
        return
    print(f"{key} = {current}")
    if not args.yes and input("delete this flag? [y/N] ").lower() != "y":
        print("aborted")
        return
    r.delete(key)
    r.srem("flags:index", args.flag)
    print(f"removed {key}")


if __name__ == "__main__":
    main()
