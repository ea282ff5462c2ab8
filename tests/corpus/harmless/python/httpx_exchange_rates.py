import httpx

BASE = "https://api.frankfurter.app/latest"


def rates(base: str = "EUR") -> dict:
    r = httpx.get(BASE, params={"from": base, "to": "USD,GBP,CHF"}, timeout=10)
    r.raise_for_status()
    return r.json()["rates"]


if __name__ == "__main__":
    for cur, val in rates().items():
        print(f"{cur}: {val}")
