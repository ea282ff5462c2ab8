#!/usr/bin/env bash
# Prune warehouse partitions older than 30 days to save disk
WAREHOUSE=/data/warehouse/events

echo "pruning $(find "$WAREHOUSE" -name '*.parquet' -mtime +30 | wc -l) files"
# expect: destructive
find "$WAREHOUSE" -name '*.parquet' -mtime +30 -print0 | xargs -0 rm -f
# expect: destructive
find "$WAREHOUSE" -mindepth 1 -type d -empty -delete
