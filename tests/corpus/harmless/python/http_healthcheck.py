import sys
import urllib.request

ENDPOINTS = [
    "https://api.acme.example/healthz",
    "https://www.acme.example/",
]


def check(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status
    except Exception as exc:  # noqa: BLE001
        print(f"{url}: {exc}", file=sys.stderr)
        return None


bad = [u for u in ENDPOINTS if check(u) != 200]
sys.exit(1 if bad else 0)
