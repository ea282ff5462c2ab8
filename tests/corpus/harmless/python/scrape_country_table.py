"""Scrape the list of countries by population from Wikipedia into a CSV."""
from io import StringIO
from pathlib import Path

import pandas as pd
import requests
from bs4 import BeautifulSoup

URL = "https://en.wikipedia.org/wiki/List_of_countries_and_dependencies_by_population"
OUT = Path("data/external/countries_population.csv")

headers = {"User-Agent": "Mozilla/5.0 (research script)"}
resp = requests.get(URL, headers=headers, timeout=30)
resp.raise_for_status()

soup = BeautifulSoup(resp.text, "html.parser")
table = soup.find("table", {"class": "wikitable"})
df = pd.read_html(StringIO(str(table)))[0]
df.columns = [c if isinstance(c, str) else c[0] for c in df.columns]
df = df.drop(columns=[c for c in df.columns if c.startswith("Unnamed")])
df = df.rename(columns={"Location": "country", "Population": "population"})

OUT.parent.mkdir(parents=True, exist_ok=True)
df.to_csv(OUT, index=False)
print(f"saved {len(df)} rows to {OUT}")
