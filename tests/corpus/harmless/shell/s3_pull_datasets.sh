#!/usr/bin/env bash
# Sync our S3 bucket down to the laptop (read-only on the bucket).
set -euo pipefail

BUCKET=s3://acme-analytics-datasets/curated
DEST=./data/curated

mkdir -p "$DEST"
aws s3 sync "$BUCKET" "$DEST" --exclude "*" --include "*.parquet" --no-progress
aws s3 ls "$BUCKET" --recursive --summarize | tail -2
du -sh "$DEST"
