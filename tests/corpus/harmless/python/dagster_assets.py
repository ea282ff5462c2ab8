import pandas as pd
import requests
from dagster import Definitions, asset

COUNTRIES_URL = "https://restcountries.com/v3.1/all?fields=name,cca2,region,population"


@asset
def countries() -> pd.DataFrame:
    resp = requests.get(COUNTRIES_URL, timeout=30)
    resp.raise_for_status()
    rows = [{"code": c["cca2"], "name": c["name"]["common"], "region": c["region"],
             "population": c["population"]} for c in resp.json()]
    return pd.DataFrame(rows)


@asset
def population_by_region(countries: pd.DataFrame) -> pd.DataFrame:
    return countries.groupby("region", as_index=False)["population"].sum()


defs = Definitions(assets=[countries, population_by_region])
