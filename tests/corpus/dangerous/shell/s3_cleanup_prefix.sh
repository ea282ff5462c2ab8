#!/usr/bin/env bash
set -euo pipefail
BUCKET=acme-datalake-prod
PREFIX=${1:-raw/events/2023}

aws s3 ls "s3://${BUCKET}/${PREFIX}/" --summarize | tail -2
# expect: destructive
aws s3 rm "s3://${BUCKET}/${PREFIX}/" --recursive
# expect: destructive
aws s3 rb s3://acme-datalake-scratch-old --force
