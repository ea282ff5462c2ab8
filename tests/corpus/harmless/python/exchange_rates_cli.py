"""Fetch today's ECB reference exchange rates and print them as a table."""
import argparse
import xml.etree.ElementTree as ET

import requests

ECB_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
NS = {"e": "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=["USD", "GBP", "JPY", "CHF"])
    args = parser.parse_args()

    resp = requests.get(ECB_URL, timeout=15)
    resp.raise_for_status()
    root = ET.fromstring(resp.content)
    rates = {c.get("currency"): float(c.get("rate")) for c in root.iterfind(".//e:Cube[@currency]", NS)}
    wanted = set(args.only)
    wanted.discard("EUR")
    for cur in sorted(wanted):
        print(f"EUR/{cur}: {rates.get(cur, float('nan')):.4f}")


if __name__ == "__main__":
    main()
