#!/usr/bin/env bash
set -euo pipefail
mkdir -p data/raw
curl -fL --retry 3 -o data/raw/airports.csv https://davidmegginson.github.io/ourairports-data/airports.csv
curl -fsS "https://api.github.com/repos/duckdb/duckdb/releases/latest" | jq -r .tag_name
wget -nc -P data/raw https://www2.census.gov/geo/docs/reference/state.txt
sha256sum data/raw/*.csv > data/raw/SHA256SUMS
