#!/bin/sh
# Download the public reference datasets
set -e
mkdir -p data/raw
curl -fsSL -o data/raw/countries.csv https://raw.githubusercontent.com/datasets/country-codes/master/data/country-codes.csv
wget -q -O data/raw/airports.csv https://davidmegginson.github.io/ourairports-data/airports.csv
aws s3 cp s3://acme-public-datasets/taxi/2023-01.parquet data/raw/ --no-sign-request
aws s3 ls s3://acme-public-datasets/taxi/
sha256sum data/raw/*
