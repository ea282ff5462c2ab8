"""Download NYC yellow taxi trip data for 2023 into data/raw/."""
import os
import urllib.request

BASE = "https://d37ci6vzurychx.cloudfront.net/trip-data"
MONTHS = [f"2023-{m:02d}" for m in range(1, 13)]
DEST = "data/raw/taxi"

os.makedirs(DEST, exist_ok=True)
for month in MONTHS:
    name = f"yellow_tripdata_{month}.parquet"
    target = os.path.join(DEST, name)
    if os.path.exists(target):
        print("skip", name)
        continue
    print("downloading", name)
    urllib.request.urlretrieve(f"{BASE}/{name}", target)
