"""Weather ETL: download the DWD daily climate files, parse, and write parquet.

Steps (each retried with backoff):
    download  - fetch the station list and zipped daily files (public HTTPS, no auth)
    parse     - unzip in a temporary directory, read the semicolon CSVs
    transform - clean missing values (-999), rename columns, add station metadata
    write     - write data/weather/daily/year=YYYY/part.parquet (new files per run)

Old runs are never deleted by this job; use the storage lifecycle rules instead.
"""
from __future__ import annotations

import argparse
import io
import logging
import tempfile
import time
import zipfile
from pathlib import Path

import pandas as pd
import requests

log = logging.getLogger("weather_etl")

BASE = "https://opendata.dwd.de/climate_environment/CDC/observations_germany/climate/daily/kl/recent"
STATIONS_URL = f"{BASE}/KL_Tageswerte_Beschreibung_Stationen.txt"
OUT = Path("data/weather/daily")
RENAME = {"STATIONS_ID": "station_id", "MESS_DATUM": "date", "TMK": "temp_mean", "TXK": "temp_max",
          "TNK": "temp_min", "RSK": "precip_mm", "SDK": "sunshine_h", "FM": "wind_mean"}
drop_cols = ["QN_3", "QN_4", "eor", "FX", "VPM", "NM", "PM", "UPM", "RSKF", "SHK_TAG"]


def retry(fn, *args, attempts: int = 4, **kwargs):
    for attempt in range(1, attempts + 1):
        try:
            return fn(*args, **kwargs)
        except (requests.RequestException, zipfile.BadZipFile) as exc:
            if attempt == attempts:
                raise
            wait = 2 ** attempt
            log.warning("%s failed (%s); retry %d/%d in %ds", fn.__name__, exc, attempt, attempts, wait)
            time.sleep(wait)


def fetch(url: str) -> bytes:
    response = requests.get(url, timeout=60)
    response.raise_for_status()
    return response.content


def stations() -> pd.DataFrame:
    raw = retry(fetch, STATIONS_URL).decode("latin-1").splitlines()
    rows = []
    for line in raw[2:]:
        parts = line.split()
        if len(parts) < 7:
            continue
        rows.append({"station_id": int(parts[0]), "height": int(parts[3]), "lat": float(parts[4]),
                     "lon": float(parts[5]), "name": " ".join(parts[6:-1])})
    return pd.DataFrame(rows)


def parse_zip(content: bytes, workdir: Path) -> pd.DataFrame:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        member = next(n for n in zf.namelist() if n.startswith("produkt_klima_tag"))
        path = Path(zf.extract(member, workdir))
    frame = pd.read_csv(path, sep=";", skipinitialspace=True)
    path.unlink()  # extracted into the temporary directory
    return frame


def transform(frame: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    frame = frame.rename(columns=lambda c: c.strip())
    frame = frame.drop(columns=[c for c in drop_cols if c in frame.columns])
    frame = frame.rename(columns=RENAME).replace(-999, pd.NA)
    frame["date"] = pd.to_datetime(frame["date"].astype(str), format="%Y%m%d")
    frame = frame.merge(meta, on="station_id", how="left")
    return frame


def write(frame: pd.DataFrame, run_id: str) -> list[Path]:
    written = []
    for year, part in frame.groupby(frame["date"].dt.year):
        directory = OUT / f"year={year}"
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"part-{run_id}.parquet"
        part.to_parquet(path, index=False)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("station_ids", nargs="+", type=int)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    run_id = time.strftime("%Y%m%dT%H%M%S")
    meta = stations()
    frames = []
    with tempfile.TemporaryDirectory(prefix="dwd-") as tmp:
        for sid in args.station_ids:
            url = f"{BASE}/tageswerte_KL_{sid:05d}_akt.zip"
            content = retry(fetch, url)
            frames.append(parse_zip(content, Path(tmp)))
            log.info("station %05d: %d rows", sid, len(frames[-1]))
    combined = transform(pd.concat(frames, ignore_index=True), meta)
    for path in write(combined, run_id):
        log.info("wrote %s", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
