"""Download the public holiday calendar used by the forecasting features."""
from pathlib import Path

import requests

URL = "https://date.nager.at/api/v3/PublicHolidays/2025/DE"
DEST = Path("data/reference/holidays_de_2025.json")


def main() -> None:
    resp = requests.get(URL, timeout=30)
    resp.raise_for_status()
    DEST.parent.mkdir(parents=True, exist_ok=True)
    DEST.write_text(resp.text, encoding="utf-8")
    print(f"{len(resp.json())} holidays -> {DEST}")


if __name__ == "__main__":
    main()
