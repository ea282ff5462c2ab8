from pathlib import Path

import httpx

COUNTRIES_URL = "https://raw.githubusercontent.com/datasets/country-codes/master/data/country-codes.csv"


def fetch_countries(dest: Path = Path("data/reference/country-codes.csv")) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    response = httpx.get(COUNTRIES_URL, timeout=30, follow_redirects=True)
    response.raise_for_status()
    dest.write_bytes(response.content)
    return dest
