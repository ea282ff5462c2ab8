"""Poll the service health endpoints and exit non-zero if any is down (for the cron monitor)."""
import sys

import httpx

ENDPOINTS = [
    "https://api.example.com/healthz",
    "https://status.example.com/api/v2/status.json",
]


def main() -> int:
    failures = 0
    with httpx.Client(timeout=5.0) as client:
        for url in ENDPOINTS:
            try:
                r = client.get(url)
                ok = r.status_code == 200
            except httpx.HTTPError as exc:
                ok, r = False, exc
            print(("OK  " if ok else "FAIL"), url)
            failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
